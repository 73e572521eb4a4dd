import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Feedback } from '../../components/Feedback';
import { knownCredentials, useHosts, type HostInfo } from '../../stores/push';

/** Pinned keys of a host, or NOT PINNED loudly. */
function PinnedKeys({ host }: { host: HostInfo }) {
  if (!host.hostKeys.length)
    return (
      <span className="not-pinned" data-testid="host-key-state">
        NOT PINNED
      </span>
    );
  return (
    <ul className="pinned-keys" data-testid="host-key-state">
      {host.hostKeys.map((k) => (
        <li key={k.fingerprint}>
          <span className="small">{k.algorithm}</span>{' '}
          <span className="mono small selectable">{k.fingerprint}</span>
          <span className="muted small">
            {' '}
            · pinned by {k.pinnedBy} {new Date(k.pinnedAt).toLocaleString()}
          </span>
        </li>
      ))}
    </ul>
  );
}

function CredentialCell({ host }: { host: HostInfo }) {
  const hosts = useHosts((s) => s.hosts);
  const added = useHosts((s) => s.added);
  const busy = useHosts((s) => s.busy);
  const setCredential = useHosts((s) => s.setCredential);
  const credentials = knownCredentials(hosts, added);
  const [choice, setChoice] = useState(host.credential ? String(host.credential.id) : '');
  const changed = choice !== '' && Number(choice) !== host.credential?.id;
  return (
    <div className="inline-field">
      <select
        aria-label={`Credential of ${host.name}`}
        value={choice}
        onChange={(e) => setChoice(e.target.value)}
      >
        <option value="">{host.credential ? '' : 'none'}</option>
        {credentials.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({c.kind})
          </option>
        ))}
      </select>
      <button
        type="button"
        className="small-button"
        disabled={busy || !changed}
        onClick={() => void setCredential(host.id, Number(choice))}
        aria-label={`Set the credential of ${host.name}`}
      >
        Set
      </button>
    </div>
  );
}

function AddHost() {
  const hosts = useHosts((s) => s.hosts);
  const added = useHosts((s) => s.added);
  const busy = useHosts((s) => s.busy);
  const add = useHosts((s) => s.add);
  const credentials = knownCredentials(hosts, added);
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [port, setPort] = useState('22');
  const [username, setUsername] = useState('');
  const [sudoMode, setSudoMode] = useState<'none' | 'sudo-n'>('none');
  const [credentialId, setCredentialId] = useState('');
  const [jumpHostId, setJumpHostId] = useState('');
  const [groupName, setGroupName] = useState('');
  const portNumber = Number(port);
  const valid =
    name.trim() &&
    address.trim() &&
    username.trim() &&
    Number.isInteger(portNumber) &&
    portNumber > 0 &&
    portNumber < 65536;
  return (
    <form
      className="inline-form"
      aria-label="Add a host"
      onSubmit={(e) => {
        e.preventDefault();
        void add({
          name: name.trim(),
          address: address.trim(),
          port: portNumber,
          username: username.trim(),
          sudoMode,
          ...(credentialId ? { credentialId: Number(credentialId) } : {}),
          ...(jumpHostId ? { jumpHostId: Number(jumpHostId) } : {}),
          ...(groupName.trim() ? { groupName: groupName.trim() } : {}),
        }).then((ok) => {
          if (ok) {
            setName('');
            setAddress('');
          }
        });
      }}
    >
      <label className="field compact">
        Host name
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={128} />
      </label>
      <label className="field compact">
        Address
        <input
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          maxLength={253}
          spellCheck={false}
        />
      </label>
      <label className="field compact">
        Port
        <input value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" />
      </label>
      <label className="field compact">
        User
        <input
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          maxLength={32}
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <label className="field compact">
        Sudo
        <select value={sudoMode} onChange={(e) => setSudoMode(e.target.value as 'none' | 'sudo-n')}>
          <option value="none">none</option>
          <option value="sudo-n">sudo -n</option>
        </select>
      </label>
      <label className="field compact">
        Credential
        <select value={credentialId} onChange={(e) => setCredentialId(e.target.value)}>
          <option value="">none</option>
          {credentials.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.kind})
            </option>
          ))}
        </select>
      </label>
      <label className="field compact">
        Jump host
        <select value={jumpHostId} onChange={(e) => setJumpHostId(e.target.value)}>
          <option value="">none</option>
          {hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field compact">
        Group (optional)
        <input value={groupName} onChange={(e) => setGroupName(e.target.value)} maxLength={64} />
      </label>
      <button type="submit" disabled={busy || !valid}>
        Add host
      </button>
    </form>
  );
}

function AddCredential() {
  const busy = useHosts((s) => s.busy);
  const addCredential = useHosts((s) => s.addCredential);
  const [kind, setKind] = useState<'ssh-key' | 'password'>('ssh-key');
  const [name, setName] = useState('');
  const [privateKey, setPrivateKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [password, setPassword] = useState('');
  const valid =
    name.trim() && (kind === 'ssh-key' ? privateKey.trim().length >= 40 : password.length > 0);
  return (
    <form
      className="credential-form"
      aria-label="Add a credential"
      autoComplete="off"
      onSubmit={(e) => {
        e.preventDefault();
        const input =
          kind === 'ssh-key'
            ? {
                kind,
                name: name.trim(),
                privateKey,
                ...(passphrase ? { passphrase } : {}),
              }
            : { kind, name: name.trim(), password };
        void addCredential(input).then((id) => {
          // Secrets leave the renderer's memory once stored; they are never shown back.
          setPrivateKey('');
          setPassphrase('');
          setPassword('');
          if (id !== null) setName('');
        });
      }}
    >
      <div className="inline-form">
        <label className="field compact">
          Credential name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={64} />
        </label>
        <label className="field compact">
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as 'ssh-key' | 'password')}>
            <option value="ssh-key">SSH private key</option>
            <option value="password">password</option>
          </select>
        </label>
        {kind === 'ssh-key' ? (
          <label className="field compact">
            Key passphrase (optional)
            <input
              type="password"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
              autoComplete="new-password"
            />
          </label>
        ) : (
          <label className="field compact">
            Password
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="new-password"
            />
          </label>
        )}
        <button type="submit" disabled={busy || !valid}>
          Store credential
        </button>
      </div>
      {kind === 'ssh-key' && (
        <label className="field full">
          Private key (PEM / OpenSSH)
          <textarea
            className="mono secret-input"
            rows={4}
            value={privateKey}
            onChange={(e) => setPrivateKey(e.target.value)}
            spellCheck={false}
            placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
          />
        </label>
      )}
    </form>
  );
}

function KnownHosts() {
  const busy = useHosts((s) => s.busy);
  const importKnownHosts = useHosts((s) => s.importKnownHosts);
  const [text, setText] = useState('');
  return (
    <form
      aria-label="Import known_hosts"
      onSubmit={(e) => {
        e.preventDefault();
        void importKnownHosts(text).then((ok) => {
          if (ok) setText('');
        });
      }}
    >
      <label className="field full">
        known_hosts lines (for registered hosts, matched by address or name and port)
        <textarea
          className="mono"
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
        />
      </label>
      <button type="submit" disabled={busy || !text.trim()}>
        Import known_hosts
      </button>
    </form>
  );
}

/** Push targets: credentials, host keys (fetch, compare, pin with confirmation), known_hosts. */
export function HostsPanel() {
  const hosts = useHosts((s) => s.hosts);
  const fetched = useHosts((s) => s.fetched);
  const fetching = useHosts((s) => s.fetching);
  const busy = useHosts((s) => s.busy);
  const error = useHosts((s) => s.error);
  const message = useHosts((s) => s.message);
  const fetchHostKey = useHosts((s) => s.fetchHostKey);
  const forgetFetched = useHosts((s) => s.forgetFetched);
  const pin = useHosts((s) => s.pin);
  const [pinning, setPinning] = useState<HostInfo | null>(null);
  const pinKey = pinning ? fetched[pinning.id] : undefined;
  const replaces =
    pinning && pinKey
      ? pinning.hostKeys.find(
          (k) => k.algorithm === pinKey.algorithm && k.fingerprint !== pinKey.fingerprint,
        )
      : undefined;

  return (
    <section className="card hosts-panel" aria-label="Hosts and host keys">
      <h2>Hosts and host keys</h2>
      <p className="muted small">
        A push connects only to hosts whose key is pinned. Fetch the key a host presents, compare
        its fingerprint with the one on the host&apos;s console, then pin it. A changed key is
        refused.
      </p>
      <div aria-live="polite">
        <Feedback error={error} message={message} />
      </div>
      {hosts.length === 0 ? (
        <p className="muted small">No hosts yet.</p>
      ) : (
        <table className="table compact-table" aria-label="Hosts">
          <thead>
            <tr>
              <th>Host</th>
              <th>Address</th>
              <th>User</th>
              <th>Credential</th>
              <th>Pinned host key</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {hosts.map((h) => {
              const key = fetched[h.id];
              const matches = key && h.hostKeys.some((k) => k.fingerprint === key.fingerprint);
              return [
                <tr key={h.id} data-host={h.name}>
                  <td className="nowrap">
                    {h.name}
                    {h.groupName ? <span className="muted small"> [{h.groupName}]</span> : null}
                  </td>
                  <td className="mono small">
                    {h.address}:{h.port}
                    {h.jumpHostId ? (
                      <div className="muted small">
                        via {hosts.find((j) => j.id === h.jumpHostId)?.name ?? `#${h.jumpHostId}`}
                      </div>
                    ) : null}
                  </td>
                  <td className="small">
                    {h.username}
                    {h.sudoMode === 'sudo-n' ? ' (sudo -n)' : ''}
                  </td>
                  <td className="small">
                    <CredentialCell key={`${h.id}-${h.credential?.id ?? 0}`} host={h} />
                  </td>
                  <td>
                    <PinnedKeys host={h} />
                  </td>
                  <td className="nowrap">
                    <button
                      type="button"
                      className="small-button"
                      disabled={fetching !== null}
                      onClick={() => void fetchHostKey(h.id)}
                      aria-label={`Fetch host key of ${h.name}`}
                    >
                      {fetching === h.id ? 'Fetching…' : 'Fetch host key'}
                    </button>
                  </td>
                </tr>,
                key ? (
                  <tr key={`${h.id}-fetched`} className="fetched-key" data-fetched-for={h.name}>
                    <td colSpan={6}>
                      <div
                        className={
                          matches ? 'fetched ok' : h.hostKeys.length ? 'fetched changed' : 'fetched'
                        }
                      >
                        <span className="small">{h.name} presents</span>{' '}
                        <strong className="small" data-testid="fetched-algorithm">
                          {key.algorithm}
                        </strong>{' '}
                        <span className="mono selectable" data-testid="fetched-fingerprint">
                          {key.fingerprint}
                        </span>{' '}
                        {matches ? (
                          <span className="ok-text small">matches the pinned key</span>
                        ) : h.hostKeys.length ? (
                          <strong className="error-text">
                            DIFFERENT from the pinned key — do not pin unless the host&apos;s key
                            was really replaced
                          </strong>
                        ) : (
                          <span className="warn-text small">not pinned yet</span>
                        )}{' '}
                        {!matches && (
                          <button
                            type="button"
                            className="small-button"
                            disabled={busy}
                            onClick={() => setPinning(h)}
                            aria-label={`Pin the key of ${h.name}`}
                          >
                            Pin…
                          </button>
                        )}{' '}
                        <button
                          type="button"
                          className="link small"
                          onClick={() => forgetFetched(h.id)}
                        >
                          Dismiss
                        </button>
                      </div>
                    </td>
                  </tr>
                ) : null,
              ];
            })}
          </tbody>
        </table>
      )}
      <details className="hosts-forms" open>
        <summary>Add a host, a credential, or known_hosts</summary>
        <h3>Add a credential</h3>
        <p className="muted small">
          Stored encrypted in the vault; never shown again. Keys with a passphrase are supported.
        </p>
        <AddCredential />
        <h3>Add a host</h3>
        <AddHost />
        <h3>Import known_hosts</h3>
        <KnownHosts />
      </details>

      {pinning && pinKey && (
        <ConfirmDialog
          title={`Pin the host key of ${pinning.name}?`}
          confirmLabel="Pin this key"
          danger={replaces !== undefined}
          typeToConfirm={replaces ? 'replace' : undefined}
          onCancel={() => setPinning(null)}
          onConfirm={() => {
            const id = pinning.id;
            setPinning(null);
            void pin(id);
          }}
        >
          <p>
            {pinning.address}:{pinning.port} presented this {pinKey.algorithm} key:
          </p>
          <p className="mono selectable wrap" data-testid="pin-fingerprint">
            {pinKey.fingerprint}
          </p>
          <p className="small">
            Compare it with the host&apos;s own fingerprint (on its console:{' '}
            <code>ssh-keygen -lf /etc/ssh/ssh_host_{'*'}_key.pub</code>). Pushes connect only while
            the host presents a pinned key.
          </p>
          {replaces && (
            <p className="error-text">
              This REPLACES the pinned {replaces.algorithm} key {replaces.fingerprint}.
            </p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}
