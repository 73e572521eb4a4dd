import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Feedback } from '../../components/Feedback';
import { CredentialSelect } from '../../components/CredentialSelect';
import { Field, SelectField, TextField, UserField } from '../../components/Field';
import { HostCells } from '../../components/HostCells';
import { useHosts, type HostInfo, type HostKey } from '../../stores/push';

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
  const busy = useHosts((s) => s.busy);
  const setCredential = useHosts((s) => s.setCredential);
  const [choice, setChoice] = useState(host.credential ? String(host.credential.id) : '');
  const changed = choice !== '' && Number(choice) !== host.credential?.id;
  return (
    <div className="inline-field">
      <CredentialSelect
        ariaLabel={`Credential of ${host.name}`}
        value={choice}
        onChange={setChoice}
        emptyLabel={host.credential ? '' : 'none'}
      />
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

const SUDO_MODES = [
  { value: 'none', label: 'none' },
  { value: 'sudo-n', label: 'sudo -n' },
] as const;
const CREDENTIAL_KINDS = [
  { value: 'ssh-key', label: 'SSH private key' },
  { value: 'password', label: 'password' },
] as const;

function AddHost() {
  const hosts = useHosts((s) => s.hosts);
  const busy = useHosts((s) => s.busy);
  const add = useHosts((s) => s.add);
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
      <TextField label="Host name" value={name} onChange={setName} maxLength={128} />
      <TextField
        label="Address"
        value={address}
        onChange={setAddress}
        maxLength={253}
        spellCheck={false}
      />
      <TextField label="Port" value={port} onChange={setPort} inputMode="numeric" />
      <UserField label="User" value={username} onChange={setUsername} />
      <SelectField label="Sudo" value={sudoMode} onChange={setSudoMode} options={SUDO_MODES} />
      <Field label="Credential">
        <CredentialSelect value={credentialId} onChange={setCredentialId} emptyLabel="none" />
      </Field>
      <Field label="Jump host">
        <select value={jumpHostId} onChange={(e) => setJumpHostId(e.target.value)}>
          <option value="">none</option>
          {hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
      </Field>
      <TextField
        label="Group (optional)"
        value={groupName}
        onChange={setGroupName}
        maxLength={64}
      />
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
        <TextField label="Credential name" value={name} onChange={setName} maxLength={64} />
        <SelectField label="Kind" value={kind} onChange={setKind} options={CREDENTIAL_KINDS} />
        {kind === 'ssh-key' ? (
          <TextField
            label="Key passphrase (optional)"
            type="password"
            value={passphrase}
            onChange={setPassphrase}
            autoComplete="new-password"
          />
        ) : (
          <TextField
            label="Password"
            type="password"
            value={password}
            onChange={setPassword}
            autoComplete="new-password"
          />
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

/** A registered host: where it is, its credential, its pinned keys, "Fetch host key". */
function HostRow({ host }: { host: HostInfo }) {
  const hosts = useHosts((s) => s.hosts);
  const fetching = useHosts((s) => s.fetching);
  const fetchHostKey = useHosts((s) => s.fetchHostKey);
  return (
    <tr data-host={host.name}>
      <HostCells
        host={host}
        hosts={hosts}
        note={host.groupName ? `[${host.groupName}]` : undefined}
      />
      <td className="small">
        <CredentialCell key={`${host.id}-${host.credential?.id ?? 0}`} host={host} />
      </td>
      <td>
        <PinnedKeys host={host} />
      </td>
      <td className="nowrap">
        <button
          type="button"
          className="small-button"
          disabled={fetching !== null}
          onClick={() => void fetchHostKey(host.id)}
          aria-label={`Fetch host key of ${host.name}`}
        >
          {fetching === host.id ? 'Fetching…' : 'Fetch host key'}
        </button>
      </td>
    </tr>
  );
}

/** The key a host presented, compared with its pinned keys; Pin… or Dismiss. */
function FetchedKeyRow({
  host,
  fetched,
  onPin,
}: {
  host: HostInfo;
  fetched: HostKey;
  onPin: () => void;
}) {
  const busy = useHosts((s) => s.busy);
  const forgetFetched = useHosts((s) => s.forgetFetched);
  const matches = host.hostKeys.some((k) => k.fingerprint === fetched.fingerprint);
  const pinned = host.hostKeys.length > 0;
  return (
    <tr className="fetched-key" data-fetched-for={host.name}>
      <td colSpan={6}>
        <div className={matches ? 'fetched ok' : pinned ? 'fetched changed' : 'fetched'}>
          <span className="small">{host.name} presents</span>{' '}
          <strong className="small" data-testid="fetched-algorithm">
            {fetched.algorithm}
          </strong>{' '}
          <span className="mono selectable" data-testid="fetched-fingerprint">
            {fetched.fingerprint}
          </span>{' '}
          {matches ? (
            <span className="ok-text small">matches the pinned key</span>
          ) : pinned ? (
            <strong className="error-text">
              DIFFERENT from the pinned key — do not pin unless the host&apos;s key was really
              replaced
            </strong>
          ) : (
            <span className="warn-text small">not pinned yet</span>
          )}{' '}
          {!matches && (
            <button
              type="button"
              className="small-button"
              disabled={busy}
              onClick={onPin}
              aria-label={`Pin the key of ${host.name}`}
            >
              Pin…
            </button>
          )}{' '}
          <button type="button" className="link small" onClick={() => forgetFetched(host.id)}>
            Dismiss
          </button>
        </div>
      </td>
    </tr>
  );
}

/** Push targets: credentials, host keys (fetch, compare, pin with confirmation), known_hosts. */
export function HostsPanel() {
  const hosts = useHosts((s) => s.hosts);
  const fetched = useHosts((s) => s.fetched);
  const error = useHosts((s) => s.error);
  const message = useHosts((s) => s.message);
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
            {hosts.map((h) => [
              <HostRow key={h.id} host={h} />,
              fetched[h.id] ? (
                <FetchedKeyRow
                  key={`${h.id}-fetched`}
                  host={h}
                  fetched={fetched[h.id]!}
                  onPin={() => setPinning(h)}
                />
              ) : null,
            ])}
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
