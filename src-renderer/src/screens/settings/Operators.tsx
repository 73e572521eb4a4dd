import { useCallback, useEffect, useState } from 'react';
import type { Output } from '../../../../src-preload/contract';
import { call } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useVault } from '../../stores/vault';
import { Feedback, useAction } from './useAction';

type OperatorInfo = Output<'operators.list'>[number];
const ROLES = ['viewer', 'analyst', 'approver', 'admin'] as const;

export function Operators() {
  const me = useVault((s) => s.status?.operator);
  const [operators, setOperators] = useState<OperatorInfo[]>([]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('analyst');
  const [passphrase, setPassphrase] = useState('');
  const [removing, setRemoving] = useState<OperatorInfo | null>(null);
  const { busy, error, message, run } = useAction();
  const isAdmin = me?.role === 'admin';

  const load = useCallback(async () => setOperators(await call((api) => api.operators.list())), []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="card" aria-labelledby="ops-title">
      <h2 id="ops-title">Operators</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>One-time code</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {operators.map((o) => (
            <tr key={o.id}>
              <td>{o.name}</td>
              <td>{o.role}</td>
              <td>{o.totpEnabled ? 'on' : 'off'}</td>
              <td>
                {isAdmin && o.id !== me?.id && (
                  <button type="button" className="link danger-text" onClick={() => setRemoving(o)}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {isAdmin && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await call((api) => api.operators.add({ name, role, passphrase }));
              setName('');
              setPassphrase('');
              await load();
              return `Added ${name}.`;
            });
          }}
        >
          <input
            placeholder="New operator"
            aria-label="New operator name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <select
            aria-label="Role"
            value={role}
            onChange={(e) => setRole(e.target.value as (typeof ROLES)[number])}
          >
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <input
            type="password"
            placeholder="Their passphrase"
            aria-label="New operator passphrase"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
          <button type="submit" disabled={busy || !name || !passphrase}>
            Add operator
          </button>
        </form>
      )}
      <Feedback error={error} message={message} />
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove operator"
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const target = removing;
            setRemoving(null);
            void run(async () => {
              await call((api) => api.operators.remove({ id: target.id, confirm: true }));
              await load();
              return `Removed ${target.name}. Rotate the data key so old copies of it stop working.`;
            });
          }}
        >
          <p>Their key slot is deleted. Rotate the data key afterwards (Key rotation below).</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
