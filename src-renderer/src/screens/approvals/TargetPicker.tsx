import { useState } from 'react';
import { CredentialSelect } from '../../components/CredentialSelect';
import { Field, UserField } from '../../components/Field';
import { HostCells } from '../../components/HostCells';
import { useHosts } from '../../stores/push';
import { useUi } from '../../stores/ui';

interface Props {
  selected: number[];
  onChange: (ids: number[]) => void;
  /** The draft's assets, for "make hosts from the draft's assets". */
  assets: { assetId: number; name: string }[];
}

/** Target hosts of the approval: registered hosts with their pinned-key state. */
export function TargetPicker({ selected, onChange, assets }: Props) {
  const hosts = useHosts((s) => s.hosts);
  const busy = useHosts((s) => s.busy);
  const fromAssets = useHosts((s) => s.fromAssets);
  const error = useHosts((s) => s.error);
  const message = useHosts((s) => s.message);
  const navigate = useUi((s) => s.navigate);
  const [username, setUsername] = useState('');
  const [credentialId, setCredentialId] = useState('');
  const assetIds = assets.map((a) => a.assetId);
  const draftHosts = hosts.filter((h) => h.assetId !== null && assetIds.includes(h.assetId));

  const toggle = (id: number, on: boolean) =>
    onChange(on ? [...new Set([...selected, id])] : selected.filter((x) => x !== id));

  return (
    <fieldset className="approval-targets" aria-label="Target hosts">
      <legend>Target hosts ({selected.length} chosen)</legend>
      {hosts.length === 0 ? (
        <p className="muted small">
          No hosts registered yet. Make them from this draft&apos;s assets below, or add them on the{' '}
          <button type="button" className="link" onClick={() => navigate('push')}>
            Push screen
          </button>
          .
        </p>
      ) : (
        <table className="table compact-table" aria-label="Hosts to target">
          <thead>
            <tr>
              <th />
              <th>Host</th>
              <th>Address</th>
              <th>User</th>
              <th>Credential</th>
              <th>Host key</th>
            </tr>
          </thead>
          <tbody>
            {hosts.map((h) => (
              <tr key={h.id} data-host={h.name}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Target ${h.name}`}
                    checked={selected.includes(h.id)}
                    onChange={(e) => toggle(h.id, e.target.checked)}
                  />
                </td>
                <HostCells
                  host={h}
                  hosts={hosts}
                  note={h.assetId !== null && assetIds.includes(h.assetId) ? '(draft asset)' : null}
                />
                <td className="small">
                  {h.credential ? h.credential.name : <span className="warn-text">none</span>}
                </td>
                <td className="small">
                  {h.hostKeys.length ? (
                    <span className="ok-text">pinned</span>
                  ) : (
                    <span className="not-pinned">NOT PINNED</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="toolbar wrap-toolbar">
        {draftHosts.length > 0 && (
          <button
            type="button"
            className="small-button"
            onClick={() => onChange([...new Set([...selected, ...draftHosts.map((h) => h.id)])])}
          >
            Choose the draft&apos;s {draftHosts.length} host{draftHosts.length === 1 ? '' : 's'}
          </button>
        )}
        {selected.length > 0 && (
          <button type="button" className="small-button" onClick={() => onChange([])}>
            Clear
          </button>
        )}
      </div>
      {assets.length > 0 && (
        <details className="from-assets">
          <summary className="small">
            Make hosts from the draft&apos;s {assets.length} asset{assets.length === 1 ? '' : 's'}
          </summary>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              const cred = credentialId ? Number(credentialId) : undefined;
              void fromAssets(assetIds, username.trim(), cred).then((made) => {
                if (made) onChange([...new Set([...selected, ...made.map((h) => h.id)])]);
              });
            }}
          >
            <UserField label="SSH user" value={username} onChange={setUsername} />
            <Field label="Credential">
              <CredentialSelect
                value={credentialId}
                onChange={setCredentialId}
                emptyLabel="none yet"
              />
            </Field>
            <button type="submit" disabled={busy || !username.trim()}>
              Make hosts
            </button>
          </form>
          {(error || message) && (
            <p
              className={error ? 'error-text small' : 'ok-text small'}
              role={error ? 'alert' : 'status'}
            >
              {error ?? message}
            </p>
          )}
        </details>
      )}
    </fieldset>
  );
}
