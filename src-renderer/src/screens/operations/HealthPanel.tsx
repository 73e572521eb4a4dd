import type { HealthReport } from '../../../../src-preload/ops-schemas';
import { bytes, when } from './format';

interface Props {
  health: HealthReport;
  busy: boolean;
  onCheckBackup: () => void;
}

/** Vault size, disk, last backup and its check, feed ages, model, logs, and what needs attention. */
export function HealthPanel({ health, busy, onCheckBackup }: Props) {
  const { vault, disk, backups, feeds, model, logs } = health;
  const last = backups?.last ?? null;
  const check = backups?.lastCheck ?? null;
  return (
    <div className="card stack" aria-labelledby="health-title">
      <h2 id="health-title">Health</h2>
      {health.warnings.length === 0 ? (
        <p className="ok-text" data-testid="health-ok">
          Nothing needs attention.
        </p>
      ) : (
        <ul className="warn-list" aria-label="Needs attention">
          {health.warnings.map((w) => (
            <li key={w} className="warn-text">
              {w}
            </li>
          ))}
        </ul>
      )}
      <dl className="facts" aria-label="Health facts">
        <dt>Vault</dt>
        <dd>
          <span className="mono">{vault.path}</span> · {bytes(vault.sizeBytes)}
          {vault.demo ? ' · demo' : ''}
        </dd>
        <dt>Disk free</dt>
        <dd>{disk ? `${bytes(disk.freeBytes)} of ${bytes(disk.totalBytes)}` : 'unknown'}</dd>
        <dt>Last backup</dt>
        <dd data-testid="last-backup">
          {last
            ? `#${last.id} ${when(last.createdAt)} (${last.reason}, ${bytes(last.size)}, ${last.ageHours} h ago)`
            : 'none yet'}
        </dd>
        <dt>Its check</dt>
        <dd data-testid="backup-check">
          {check
            ? check.ok
              ? `ok on ${when(check.at)} (backup #${check.backupId})`
              : `FAILED on ${when(check.at)}: ${check.problem ?? ''}`
            : 'never checked'}{' '}
          {last && (
            <button type="button" disabled={busy} onClick={onCheckBackup}>
              Check last backup
            </button>
          )}
        </dd>
        <dt>Feeds</dt>
        <dd>
          {(feeds ?? []).map((f) => (
            <span key={f.kind} className={f.loaded && !f.stale ? 'chip' : 'chip warn-text'}>
              {f.kind}: {f.loaded ? `${f.ageDays ?? '?'} d` : 'not loaded'}
            </span>
          ))}
        </dd>
        <dt>Model</dt>
        <dd>
          {model.loaded ? `${model.loaded} loaded` : 'none loaded'} · {model.registered ?? 0}{' '}
          registered
        </dd>
        <dt>Logs</dt>
        <dd>
          {logs.dir ? (
            <>
              <span className="mono">{logs.dir}</span> · {logs.files} file(s), {bytes(logs.bytes)}
            </>
          ) : (
            'not kept by this host'
          )}
        </dd>
      </dl>
    </div>
  );
}
