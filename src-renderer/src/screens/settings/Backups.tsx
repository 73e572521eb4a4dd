import { useCallback, useEffect, useState } from 'react';
import type { Output } from '../../../../src-preload/contract';
import { call } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useVault } from '../../stores/vault';
import { Feedback, useAction } from './useAction';

type Backup = Output<'vault.listBackups'>[number];

export function Backups() {
  const [backups, setBackups] = useState<Backup[]>([]);
  const [restoring, setRestoring] = useState<string | null>(null);
  const [path, setPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const refresh = useVault((s) => s.refresh);
  const { busy, error, message, run } = useAction();
  const load = useCallback(
    async () => setBackups(await call((api) => api.vault.listBackups())),
    [],
  );
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="card" aria-labelledby="bak-title">
      <h2 id="bak-title">Backups</h2>
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            const b = await call((api) => api.vault.backup());
            await load();
            return `Backup written: ${b.path}`;
          })
        }
      >
        Back up now
      </button>
      <table className="table">
        <thead>
          <tr>
            <th>When</th>
            <th>Why</th>
            <th>Size</th>
            <th>File</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {backups.map((b) => (
            <tr key={b.id}>
              <td>{new Date(b.createdAt).toLocaleString()}</td>
              <td>{b.reason}</td>
              <td>{(b.size / 1024).toFixed(0)} KiB</td>
              <td className="selectable mono">{b.path}</td>
              <td>
                <button type="button" className="link" onClick={() => setRestoring(b.path)}>
                  Restore…
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="inline-form">
        <input
          aria-label="Backup file to restore"
          placeholder="/media/usb/vault.vzbak"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        <button type="button" disabled={!path} onClick={() => setRestoring(path)}>
          Restore from file…
        </button>
      </div>
      <Feedback error={error} message={message} />
      {restoring && (
        <ConfirmDialog
          title="Restore this backup?"
          confirmLabel="Restore"
          danger
          typeToConfirm="RESTORE"
          onCancel={() => setRestoring(null)}
          onConfirm={() => {
            const target = restoring;
            setRestoring(null);
            void run(async () => {
              const r = await call((api) =>
                api.vault.restore({ path: target, passphrase, confirm: true }),
              );
              setPassphrase('');
              await refresh();
              await load();
              return `Restored. The previous vault is kept at ${r.previous}.`;
            });
          }}
        >
          <p className="mono selectable">{restoring}</p>
          <p>
            The backup is checked (key and integrity) before anything is replaced; the current vault
            is kept beside it.
          </p>
          <label className="field">
            Your passphrase in that backup
            <input
              type="password"
              aria-label="Backup passphrase"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
            />
          </label>
        </ConfirmDialog>
      )}
    </section>
  );
}
