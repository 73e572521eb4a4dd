/**
 * The Health panel's facts, and the warnings an operator should act on: vault size, last
 * backup and its check, feed ages, the model, disk space, logs and jobs. What needs the
 * vault's key (backups, feeds, models) is null while it is locked.
 */
import { existsSync, statSync, statfsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { CoreContext } from '../core/context';
import type { HealthReport } from '../../src-preload/ops-schemas';
import type { JobRecord } from './job-history';
import { listModels } from '../drafts/models';
import { feedStatus } from '../feeds/trust';
import type { VaultSession } from '../vault/session';
import { lastBackupCheck } from './backup-check';
import { jobHistory } from './job-history';
import { logFiles } from './log-files';

export const LOW_DISK_BYTES = 1024 ** 3;
export const BACKUP_WARN_HOURS = 7 * 24;

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

function disk(dir: string): { freeBytes: number; totalBytes: number } | null {
  try {
    const fs = statfsSync(existsSync(dir) ? dir : dirname(dir));
    return { freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize };
  } catch {
    return null;
  }
}

function backups(session: VaultSession, now: Date) {
  const all = session.listBackups(); // stats every backup file: once per report
  const last = all[0] ?? null;
  return {
    count: all.length,
    last: last && {
      id: last.id,
      path: last.path,
      reason: last.reason,
      size: last.size,
      createdAt: last.createdAt,
      ageHours: Math.round(((now.getTime() - Date.parse(last.createdAt)) / 3_600_000) * 10) / 10,
    },
    lastCheck: lastBackupCheck(session),
  };
}

/** What the report is computed from: the app's core, or the CLI's own session. */
export interface HealthInputs {
  vaultPath: string;
  state: 'absent' | 'locked' | 'unlocked';
  session: VaultSession | null;
  demo: boolean;
  logDir: string | null;
  jobs: JobRecord[];
  modelLoadedPath: string | null;
}

export function healthInputs(ctx: CoreContext): HealthInputs {
  const state = ctx.vault.state();
  return {
    vaultPath: ctx.vault.path,
    state,
    session: state === 'unlocked' ? ctx.vault.session() : null,
    demo: ctx.vault.isDemo(),
    logDir: ctx.logDir,
    jobs: jobHistory(ctx.jobs, ctx.logDir, 500),
    modelLoadedPath: ctx.llm.loaded?.path ?? null,
  };
}

export function healthReport(input: HealthInputs, now = new Date()): HealthReport {
  const { vaultPath: path, state, session } = input;
  const logs = input.logDir ? logFiles(input.logDir) : [];
  const dayAgo = now.getTime() - 86_400_000;
  const report = {
    checkedAt: now.toISOString(),
    vault: {
      state,
      path,
      demo: input.demo,
      sizeBytes: fileSize(path) + fileSize(`${path}-wal`) + fileSize(`${path}-shm`),
    },
    disk: disk(dirname(path)),
    logs: {
      dir: input.logDir,
      files: logs.length,
      bytes: logs.reduce((sum, f) => sum + fileSize(f), 0),
    },
    jobs: {
      running: input.jobs.filter((j) => j.state === 'running').length,
      failedLastDay: input.jobs.filter(
        (j) => j.state === 'failed' && Date.parse(j.startedAt) >= dayAgo,
      ).length,
    },
    backups: session ? backups(session, now) : null,
    feeds: session
      ? feedStatus(session, now).feeds.map((f) => ({
          kind: f.kind,
          loaded: f.loaded,
          loadedAt: f.loadedAt,
          ageDays: f.ageDays,
          stale: f.stale,
        }))
      : null,
    model: {
      loaded: input.modelLoadedPath ? basename(input.modelLoadedPath) : null,
      registered: session ? listModels(session.db).length : null,
    },
  };
  return { ...report, warnings: warnings(report) };
}

type Report = Omit<HealthReport, 'warnings'>;

function warnings(r: Report): string[] {
  const out: string[] = [];
  if (r.disk && r.disk.freeBytes < LOW_DISK_BYTES)
    out.push(
      `Less than 1 GiB free beside the vault (${Math.round(r.disk.freeBytes / 1048576)} MiB).`,
    );
  if (r.backups && !r.backups.last) out.push('No backup of this vault yet.');
  if (r.backups?.last && r.backups.last.ageHours > BACKUP_WARN_HOURS)
    out.push(`The last backup is ${Math.floor(r.backups.last.ageHours / 24)} days old.`);
  if (r.backups?.last && !r.backups.lastCheck)
    out.push('No backup has been checked yet (Check last backup).');
  if (r.backups?.lastCheck && !r.backups.lastCheck.ok)
    out.push(`The last backup check failed: ${r.backups.lastCheck.problem ?? 'unknown problem'}`);
  for (const f of r.feeds ?? []) {
    if (!f.loaded && (f.kind === 'kev' || f.kind === 'epss'))
      out.push(`Feed ${f.kind} is not loaded.`);
    else if (f.loaded && f.stale)
      out.push(`Feed ${f.kind} is stale (${f.ageDays ?? '?'} days old).`);
  }
  if (r.jobs.failedLastDay > 0) out.push(`${r.jobs.failedLastDay} job(s) failed in the last 24 h.`);
  return out;
}
