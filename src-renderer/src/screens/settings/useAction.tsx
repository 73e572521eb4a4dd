import { useCallback, useState } from 'react';
import { errorMessage } from '../../api/client';

/** Runs an async action with busy/error/message state for a settings panel. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const run = useCallback(async (fn: () => Promise<string | void>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const done = await fn();
      if (done) setMessage(done);
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, message, run };
}

export function Feedback({ error, message }: { error: string | null; message: string | null }) {
  if (error)
    return (
      <p role="alert" className="error-text">
        {error}
      </p>
    );
  if (message)
    return (
      <p role="status" className="hint ok">
        {message}
      </p>
    );
  return null;
}
