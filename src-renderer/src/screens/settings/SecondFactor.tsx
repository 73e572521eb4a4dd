import { useState } from 'react';
import { call } from '../../api/client';
import { QrCode } from '../../components/QrCode';
import { Feedback, useAction } from './useAction';

/** TOTP enrolment: a QR code, the secret and otpauth URI are shown once, then confirmed with a code. */
export function SecondFactor() {
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string } | null>(null);
  const [code, setCode] = useState('');
  const { busy, error, message, run } = useAction();
  return (
    <section className="card" aria-labelledby="totp-title">
      <h2 id="totp-title">One-time code (TOTP)</h2>
      <p className="muted">An offline authenticator adds a second factor to unlocking.</p>
      {!enrolment ? (
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void run(async () => setEnrolment(await call((api) => api.operators.enrollTotp())))
          }
        >
          Set up one-time code
        </button>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await call((api) => api.operators.confirmTotp({ code }));
              setEnrolment(null);
              setCode('');
              return 'One-time code enabled: it is required at every unlock.';
            });
          }}
        >
          <p>
            Scan this code with your authenticator (or type the secret), then enter the code it
            shows. The image is drawn on this machine; nothing leaves it.
          </p>
          <QrCode text={enrolment.uri} label="QR code of the one-time code secret" />
          <p>
            Secret: <code className="selectable">{enrolment.secret}</code>
          </p>
          <p>
            URI: <code className="selectable wrap">{enrolment.uri}</code>
          </p>
          <div className="inline-form">
            <input
              aria-label="Code from the authenticator"
              inputMode="numeric"
              value={code}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
            />
            <button type="submit" disabled={busy || code.length !== 6}>
              Confirm
            </button>
          </div>
        </form>
      )}
      <Feedback error={error} message={message} />
    </section>
  );
}
