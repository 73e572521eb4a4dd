import { useState } from 'react';
import { call } from '../../api/client';
import { Feedback, useAction } from './useAction';

export function Passphrase() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const { busy, error, message, run } = useAction();
  return (
    <section className="card" aria-labelledby="pass-title">
      <h2 id="pass-title">My passphrase</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await call((api) => api.vault.changePassphrase({ current, next }));
            setCurrent('');
            setNext('');
            return 'Passphrase changed.';
          });
        }}
      >
        <input
          type="password"
          aria-label="Current passphrase"
          placeholder="Current"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <input
          type="password"
          aria-label="New passphrase"
          placeholder="New"
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
        <button type="submit" disabled={busy || !current || !next}>
          Change
        </button>
      </form>
      <Feedback error={error} message={message} />
    </section>
  );
}
