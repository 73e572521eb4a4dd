/** An operation's outcome: its error (role alert) or its success message (role status). */
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
