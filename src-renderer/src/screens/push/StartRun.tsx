import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { isLive, usePush, waveSizes, type ApprovalInfo } from '../../stores/push';

function label(a: ApprovalInfo): string {
  return `#${a.id} · draft #${a.draftId} v${a.version} · ${a.targets.length} host${a.targets.length === 1 ? '' : 's'} · by ${a.approver}`;
}

/** Start a push from a live approval: dry run or live, after a confirmation. */
export function StartRun() {
  const approvals = usePush((s) => s.approvals);
  const chosenId = usePush((s) => s.chosenApprovalId);
  const choose = usePush((s) => s.chooseApproval);
  const job = usePush((s) => s.job);
  const busy = usePush((s) => s.busy);
  const start = usePush((s) => s.start);
  const [dryRun, setDryRun] = useState(false);
  const [concurrency, setConcurrency] = useState('');
  const [confirming, setConfirming] = useState(false);
  const live = approvals.filter((a) => isLive(a));
  const chosen = live.find((a) => a.id === chosenId) ?? null;
  const c = concurrency.trim() === '' ? undefined : Number(concurrency);
  const concurrencyError =
    c !== undefined && chosen && !(Number.isInteger(c) && c >= 1 && c <= chosen.options.concurrency)
      ? `Concurrency: 1 to the approved ${chosen.options.concurrency}.`
      : null;
  const waves = chosen ? waveSizes(chosen.targets.length, chosen.options.wavePercent) : [];

  return (
    <section className="card" aria-label="Start a push">
      <h2>Start a push</h2>
      {live.length === 0 ? (
        <p className="muted small">
          No live approval. Approve a ready draft on the Approvals screen first.
        </p>
      ) : (
        <>
          <div className="inline-form">
            <label className="field compact grow">
              Approval
              <select
                value={chosenId ?? ''}
                onChange={(e) => choose(e.target.value ? Number(e.target.value) : null)}
              >
                {live.map((a) => (
                  <option key={a.id} value={a.id}>
                    {label(a)}
                  </option>
                ))}
              </select>
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={dryRun}
                onChange={(e) => setDryRun(e.target.checked)}
              />{' '}
              Dry run (prechecks only)
            </label>
            <label className="field compact">
              Concurrency (optional)
              <input
                value={concurrency}
                inputMode="numeric"
                onChange={(e) => setConcurrency(e.target.value)}
                placeholder={chosen ? `≤ ${chosen.options.concurrency}` : ''}
              />
            </label>
            <button
              type="button"
              className="primary"
              disabled={!chosen || busy || job !== null || concurrencyError !== null}
              onClick={() => setConfirming(true)}
            >
              {dryRun ? 'Start dry run…' : 'Start push…'}
            </button>
          </div>
          {concurrencyError && <p className="hint warn">{concurrencyError}</p>}
          {chosen && (
            <dl className="facts" aria-label="Chosen approval">
              <dt>SHA-256</dt>
              <dd className="mono small wrap selectable">{chosen.sha256}</dd>
              <dt>Targets</dt>
              <dd className="small">{chosen.targets.map((t) => t.name).join(', ')}</dd>
              <dt>Wave plan</dt>
              <dd className="small" data-testid="wave-plan">
                {waves.map((n, i) => `wave ${i + 1}: ${n} host${n === 1 ? '' : 's'}`).join(' → ')}{' '}
                (breaker: the canary may not fail; later waves ≤ {chosen.options.maxFailPercent}%)
              </dd>
              <dt>Expires</dt>
              <dd className="small">{new Date(chosen.expiresAt).toLocaleString()}</dd>
            </dl>
          )}
        </>
      )}
      {confirming && chosen && (
        <ConfirmDialog
          title={dryRun ? `Dry run approval #${chosen.id}?` : `Push approval #${chosen.id}?`}
          confirmLabel={dryRun ? 'Start dry run' : 'Start push'}
          danger={!dryRun}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void start({
              approvalId: chosen.id,
              dryRun,
              ...(c !== undefined ? { concurrency: c } : {}),
            });
          }}
        >
          <p data-testid="confirm-summary">
            {dryRun ? (
              <>
                <strong>DRY RUN</strong> on {chosen.targets.length} host
                {chosen.targets.length === 1 ? '' : 's'}: only the precheck runs; nothing is
                changed.
              </>
            ) : (
              <>
                <strong>LIVE</strong> on {chosen.targets.length} host
                {chosen.targets.length === 1 ? '' : 's'}: the approved scripts change these hosts
                (apply, verify, rollback on failure).
              </>
            )}
          </p>
          <p className="small">
            {chosen.targets.map((t) => `${t.name} (${t.address}:${t.port})`).join(', ')}
          </p>
          <p className="small muted">
            Waves: {waves.join(' → ')} · concurrency {c ?? chosen.options.concurrency}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
