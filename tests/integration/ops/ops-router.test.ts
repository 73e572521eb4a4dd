/**
 * The operations channels over the router, on a real vault with rotating log files beside
 * it: jobs (imports, backups, checks, failures) with durations and outcomes that survive a
 * restart through the logs, log records free of secrets and finding text, the Health
 * panel's facts and warnings locked and unlocked, and a damaged backup caught by its check.
 */
import { readFileSync, readdirSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport, JobRecord } from '../../../src-preload/ops-schemas';
import { logDirFor } from '../../../src-main/ops/log-files';
import { testCore } from '../../helpers/core';
import { fixture } from '../../helpers/import';
import { runJob } from '../../helpers/jobs';
import { PASS, tempDir } from '../../helpers/vault';

const vaultPath = join(tempDir('vz-ops-'), 'vault.vz');
const logDir = logDirFor(vaultPath);
const core = testCore({ vaultPath, logDir });

async function ok<T>(channel: string, input?: unknown, on = core): Promise<T> {
  const result = await on.router.call(channel, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

function logText(): string {
  return readdirSync(logDir)
    .map((f) => readFileSync(join(logDir, f), 'utf8'))
    .join('');
}

let backupPath = '';

beforeAll(async () => {
  await ok('vault.create', { operator: 'alice', passphrase: PASS });
  const imported = await runJob(core, 'import.start', {
    paths: [fixture('nessus_xml', 'nessus_with_cvssv3.nessus')],
  });
  expect(imported.state, imported.error?.message).toBe('done');
  const notAScan = join(dirname(vaultPath), 'notes.txt');
  writeFileSync(notAScan, 'just some notes\n');
  const failed = await runJob(core, 'feeds.import', { paths: [notAScan] });
  expect(failed.state).toBe('failed');
  backupPath = (await ok<{ path: string }>('vault.backup')).path;
});

describe('jobs view', () => {
  it('lists imports, a failure and a backup with duration and outcome, newest first', async () => {
    const jobs = await ok<JobRecord[]>('jobs.history');
    expect(jobs.map((j) => j.kind)).toEqual(['vault.backup', 'feeds.import', 'import']);
    const [backup, failed, imported] = jobs;
    expect(backup).toMatchObject({ state: 'done', errorCode: null });
    expect(failed).toMatchObject({ state: 'failed' });
    expect(failed?.errorCode).toMatch(/^[A-Z_]+$/);
    expect(failed?.errorMessage).toBeTruthy();
    expect(imported?.state).toBe('done');
    for (const job of jobs) {
      expect(job.durationMs).toBeGreaterThanOrEqual(0);
      expect(Date.parse(job.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(job.startedAt));
    }
  });

  it('keeps the history across a restart through the log files (codes, not messages)', async () => {
    const later = testCore({ vaultPath, logDir });
    const jobs = await ok<JobRecord[]>('jobs.history', { limit: 2 }, later);
    expect(jobs.map((j) => j.kind)).toEqual(['vault.backup', 'feeds.import']);
    expect(jobs[1]).toMatchObject({ state: 'failed', errorMessage: null });
    expect(jobs[1]?.errorCode).toMatch(/^[A-Z_]+$/);
  });

  it('writes JSON lines with no passphrase and no finding text', async () => {
    const listed = await ok<{ vulnerability: { title: string } }[]>('findings.list', { limit: 20 });
    const titles = listed.map((f) => f.vulnerability.title).filter((t) => t.length > 12);
    expect(titles.length).toBeGreaterThan(0);
    const text = logText();
    for (const line of text.trim().split('\n'))
      expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(text).toContain('"msg":"job finished"');
    expect(text).not.toContain(PASS);
    for (const title of titles) expect(text).not.toContain(title);
  });
});

describe('health panel', () => {
  it('reports the vault, backups, feeds, disk and logs, with what needs attention', async () => {
    const health = await ok<HealthReport>('ops.health');
    expect(health.vault).toMatchObject({ state: 'unlocked', path: vaultPath, demo: false });
    expect(health.vault.sizeBytes).toBeGreaterThan(4096);
    expect(health.backups?.last?.path).toBe(backupPath);
    expect(health.backups?.lastCheck).toBeNull();
    expect(health.disk?.freeBytes).toBeGreaterThan(0);
    expect(health.logs.files).toBeGreaterThanOrEqual(1);
    expect(health.model).toEqual({ loaded: null, registered: 0 });
    expect(health.jobs.failedLastDay).toBe(1);
    expect(health.feeds?.find((f) => f.kind === 'kev')?.loaded).toBe(false);
    expect(health.warnings).toEqual(
      expect.arrayContaining([
        'Feed kev is not loaded.',
        'No backup has been checked yet (Check last backup).',
        '1 job(s) failed in the last 24 h.',
      ]),
    );
  });

  it('checks the last backup, records it in the audit log, and shows it', async () => {
    const check = await ok<{ ok: boolean; problem: string | null }>('vault.checkBackup');
    expect(check).toMatchObject({ ok: true, problem: null });
    const health = await ok<HealthReport>('ops.health');
    expect(health.backups?.lastCheck).toMatchObject({ ok: true, problem: null });
    expect(health.warnings.join('\n')).not.toMatch(/backup/i);
    const audit = await ok<{ action: string }[]>('audit.list', { limit: 5 });
    expect(audit.map((e) => e.action)).toContain('vault.backupCheck');
  });

  it('catches a damaged backup and warns about it', async () => {
    const fd = openSync(backupPath, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, 8192);
    closeSync(fd);
    const check = await ok<{ ok: boolean; problem: string | null }>('vault.checkBackup');
    expect(check.ok).toBe(false);
    expect(check.problem).toMatch(/damaged|integrity|decrypted/);
    const health = await ok<HealthReport>('ops.health');
    expect(health.warnings.some((w) => w.startsWith('The last backup check failed'))).toBe(true);
  });

  it('says what it can while locked, and refuses an unknown backup', async () => {
    const missing = await core.router.call('vault.checkBackup', { id: 999 });
    expect(missing.ok || missing.error.code).toBe('BACKUP_NOT_FOUND');
    await ok('vault.lock');
    const health = await ok<HealthReport>('ops.health');
    expect(health.vault.state).toBe('locked');
    expect(health.backups).toBeNull();
    expect(health.feeds).toBeNull();
    expect(health.vault.sizeBytes).toBeGreaterThan(0);
  });
});
