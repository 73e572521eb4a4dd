import { useEffect, useState, type FormEvent } from 'react';
import { call } from '../api/client';
import { useVault } from '../stores/vault';

/** First run (create the vault) or unlock; nothing else is reachable until unlocked. */
export function VaultGate() {
  const { status, busy, error, create, unlock, lockReason, startDemo } = useVault();
  const [operator, setOperator] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [totp, setTotp] = useState('');
  const [wantsTotp, setWantsTotp] = useState(false);
  const [strength, setStrength] = useState<{ ok: boolean; reason?: string } | null>(null);
  const creating = status?.state === 'absent';

  useEffect(() => {
    if (!creating || passphrase.length === 0) {
      setStrength(null);
      return;
    }
    const timer = setTimeout(() => {
      void call((api) => api.vault.checkPassphrase({ passphrase, operator })).then(
        setStrength,
        () => setStrength(null),
      );
    }, 200);
    return () => clearTimeout(timer);
  }, [creating, passphrase, operator]);

  // The core says when a one-time code is needed; the field then stays visible.
  const needsTotp = wantsTotp || (error?.includes('one-time code') ?? false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (creating) {
      if (await create(operator, passphrase)) setPassphrase('');
    } else if (await unlock(operator, passphrase, needsTotp ? totp : undefined)) {
      setWantsTotp(false);
      setPassphrase('');
      setTotp('');
    }
  };

  const mismatch = creating && repeat.length > 0 && repeat !== passphrase;
  const canSubmit =
    operator.length > 0 &&
    passphrase.length > 0 &&
    !busy &&
    (!creating || (repeat === passphrase && strength?.ok === true));

  return (
    <section className="gate" aria-labelledby="gate-title">
      <form className="card gate-card" onSubmit={(e) => void submit(e)}>
        <h1 id="gate-title">{creating ? 'Create your vault' : 'Unlock the vault'}</h1>
        <p className="muted">
          {creating
            ? 'Everything VulnZero knows is kept in one encrypted file. Choose the first operator (admin) and a passphrase: it cannot be recovered if lost.'
            : 'Enter your operator name and passphrase.'}
        </p>
        {lockReason === 'idle' && (
          <p className="notice">The vault locked itself after a period of inactivity.</p>
        )}
        {(lockReason === 'suspend' || lockReason === 'screen locked') && (
          <p className="notice">
            The vault locked itself when the{' '}
            {lockReason === 'suspend' ? 'computer slept' : 'screen locked'}.
          </p>
        )}
        <label className="field">
          Operator
          <input
            value={operator}
            onChange={(e) => setOperator(e.target.value)}
            autoComplete="username"
            autoFocus
          />
        </label>
        <label className="field">
          Passphrase
          <input
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            autoComplete={creating ? 'new-password' : 'current-password'}
          />
        </label>
        {creating && strength && !strength.ok && <p className="hint warn">{strength.reason}</p>}
        {creating && strength?.ok && <p className="hint ok">Strong enough.</p>}
        {creating && (
          <label className="field">
            Repeat passphrase
            <input
              type="password"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
              autoComplete="new-password"
            />
          </label>
        )}
        {mismatch && <p className="hint warn">The passphrases differ.</p>}
        {needsTotp && !creating && (
          <label className="field">
            One-time code
            <input
              value={totp}
              onFocus={() => setWantsTotp(true)}
              onChange={(e) => setTotp(e.target.value.replace(/\D/g, '').slice(0, 6))}
              inputMode="numeric"
              autoComplete="one-time-code"
            />
          </label>
        )}
        {error && (
          <p role="alert" className="error-text">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={!canSubmit}>
          {busy ? 'Working…' : creating ? 'Create vault' : 'Unlock'}
        </button>
      </form>
      <TryDemo busy={busy} onStart={() => void startDemo()} />
    </section>
  );
}

/** The first-run alternative: a separate demo vault, so every screen has data at once. */
export function TryDemo({ busy, onStart }: { busy: boolean; onStart: () => void }) {
  return (
    <div className="card gate-card demo-offer">
      <h2>Just looking?</h2>
      <p className="muted">
        Open a separate demo vault filled with public sample scans and feeds. It never touches your
        real vault and is discarded when you lock it.
      </p>
      <button type="button" onClick={onStart} disabled={busy}>
        {busy ? 'Preparing sample data…' : 'Try with sample data'}
      </button>
    </div>
  );
}
