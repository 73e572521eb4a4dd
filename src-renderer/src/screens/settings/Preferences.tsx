import { useEffect, useState } from 'react';
import type { Output } from '../../../../src-preload/contract';
import { call } from '../../api/client';
import { Feedback, useAction } from './useAction';

type Settings = Output<'vault.getSettings'>;

export function Preferences() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const { busy, error, message, run } = useAction();
  useEffect(() => {
    void call((api) => api.vault.getSettings()).then(setSettings, () => setSettings(null));
  }, []);
  if (!settings) return null;
  type NumberKey = Exclude<keyof Settings, 'requireSignedFeeds'>;
  const field = (key: NumberKey, label: string, min = 0) => (
    <label className="field small">
      {label}
      <input
        type="number"
        min={min}
        value={settings[key]}
        onChange={(e) => setSettings({ ...settings, [key]: Number(e.target.value) })}
      />
    </label>
  );
  return (
    <section className="card" aria-labelledby="pref-title">
      <h2 id="pref-title">Locking, backups, the local model and feeds</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            setSettings(await call((api) => api.vault.updateSettings(settings)));
            return 'Saved.';
          });
        }}
      >
        {field('idleLockMinutes', 'Lock after idle (minutes, 1 to 1440)')}
        {field('backupIntervalHours', 'Automatic backup every (hours, 0 = off)')}
        {field('backupKeep', 'Keep automatic backups')}
        {field('llmThreads', 'Local model CPU threads', 1)}
        <label
          className="check"
          title="Plain KEV, EPSS, NVD and CVE files are refused: only signed bundles load."
        >
          <input
            type="checkbox"
            checked={settings.requireSignedFeeds}
            onChange={(e) => setSettings({ ...settings, requireSignedFeeds: e.target.checked })}
          />{' '}
          Require signed feeds
        </label>
        <button type="submit" disabled={busy}>
          Save
        </button>
      </form>
      <Feedback error={error} message={message} />
    </section>
  );
}
