import { useCallback, useState } from 'react';
import { errorMessage } from '../../api/client';

export { Feedback } from '../../components/Feedback';

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
