/**
 * `vulnzero diagnostics --out FILE`: one JSON file an operator can hand to support. It holds
 * versions, the health report, the vault's check, row counts, recent jobs and the last log
 * records, all redacted (ops/redact.ts): no secrets, no finding text, no host addresses,
 * home directories shown as "~". Without the passphrase it still holds what can be read
 * while locked.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { VzError } from '../core/errors';
import { APP_VERSION } from '../core/version';
import { keyFilePath, readKeyFile } from '../vault/keyfile';
import type { VaultSession } from '../vault/session';
import { healthReport, type HealthInputs } from './health';
import { jobsFromLogs } from './job-history';
import { logFiles } from './log-files';
import { redactValue } from './redact';

export const DIAGNOSTICS_LOG_RECORDS = 500;

const COUNTED_TABLES = ['assets', 'findings', 'scans', 'drafts', 'push_runs', 'backups', 'audit'];

function counts(session: VaultSession): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const table of COUNTED_TABLES) {
    try {
      out[table] = (
        session.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }
      ).n;
    } catch {
      out[table] = null; // a table of a newer schema than this vault's
    }
  }
  return out;
}

/** The newest `limit` log records (newest file last read first), parsed or kept as cut text. */
function lastLogRecords(dir: string | null, limit: number): unknown[] {
  if (!dir) return [];
  const lines: string[] = [];
  for (const file of logFiles(dir)) {
    const text = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    lines.unshift(...text);
    if (lines.length >= limit) break;
  }
  return lines.slice(-limit).map((line) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      return { unparsed: line.slice(0, 200) };
    }
  });
}

function vaultFacts(path: string): Record<string, unknown> {
  if (!existsSync(keyFilePath(path))) return { keyFile: 'absent' };
  try {
    const key = readKeyFile(keyFilePath(path));
    return {
      keyFile: 'ok',
      epoch: key.epoch,
      operators: key.operators.length,
      rotationPending: key.pending !== null,
    };
  } catch (error) {
    return { keyFile: 'unreadable', problem: (error as Error).message };
  }
}

export async function diagnosticsBundle(input: HealthInputs): Promise<Record<string, unknown>> {
  const session = input.session;
  const bundle = {
    bundle: 'vulnzero-diagnostics',
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    app: {
      version: APP_VERSION,
      node: process.versions.node,
      platform: process.platform,
      arch: process.arch,
    },
    unlocked: session !== null,
    vault: {
      ...vaultFacts(input.vaultPath),
      ...(session
        ? (({ schemaVersion, latestSchemaVersion, cipher, sizeBytes }) => ({
            schemaVersion,
            latestSchemaVersion,
            cipher,
            sizeBytes,
          }))(session.info())
        : {}),
    },
    health: healthReport(input),
    check: session ? await session.check() : null,
    counts: session ? counts(session) : null,
    jobs: input.logDir ? jobsFromLogs(input.logDir).slice(-200) : [],
    logs: lastLogRecords(input.logDir, DIAGNOSTICS_LOG_RECORDS),
  };
  return withoutHome(redactValue(bundle)) as Record<string, unknown>;
}

function withoutHome(value: unknown): unknown {
  const home = homedir();
  if (!home || home === '/') return value;
  return JSON.parse(JSON.stringify(value).split(home).join('~')) as unknown;
}

/** Writes the bundle owner-only; an existing file is kept unless `force`. */
export function writeDiagnostics(
  path: string,
  bundle: Record<string, unknown>,
  force: boolean,
): void {
  if (existsSync(path) && !force)
    throw new VzError('EXPORT_EXISTS', `${path} exists; choose another file or replace it.`);
  try {
    writeFileSync(path, JSON.stringify(bundle, null, 2) + '\n', { mode: 0o600 });
  } catch (error) {
    throw new VzError('REPORT_WRITE_FAILED', `Cannot write ${path}: ${(error as Error).message}`);
  }
}
