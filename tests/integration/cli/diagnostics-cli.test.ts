/**
 * `vulnzero diagnostics` and `vulnzero vault check-backup` on a real vault: the bundle is
 * owner-only JSON with the vault's check, counts and health when a passphrase is given,
 * the locked facts when not, the log records redacted, and never the passphrase; a backup
 * check passes, then fails on a damaged copy with exit 1.
 */
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStreamLogger } from '../../../src-main/core/logger';
import { RotatingLogFile, logDirFor } from '../../../src-main/ops/log-files';
import type { HealthReport } from '../../../src-preload/ops-schemas';
import { cli } from '../../helpers/cli';
import { fixture } from '../../helpers/import';
import { PASS, newVault, tempDir } from '../../helpers/vault';

interface Bundle {
  counts: Record<string, number> | null;
  health: HealthReport;
  logs: unknown[];
}

let path = '';
const out = tempDir('vz-diag-');
const unlocked = () => cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS });

beforeAll(async () => {
  ({ path } = await newVault().then(({ path: p, session }) => (session.lock(), { path: p })));
  expect(
    (await unlocked()('import', fixture('nessus_xml', 'nessus_with_cvssv3.nessus'))).code,
  ).toBe(0);
  // What the app would have logged beside the vault, including a field that must not leak.
  const file = new RotatingLogFile(logDirFor(path));
  const logger = createStreamLogger((l) => file.write(l));
  logger.log('info', 'job finished', {
    jobId: 'j1',
    kind: 'import',
    state: 'done',
    startedAt: new Date().toISOString(),
    durationMs: 1200,
  });
  file.write(
    JSON.stringify({
      level: 'info',
      msg: 'old',
      fields: { passphrase: PASS, host: '10.20.30.40' },
    }) + '\n',
  );
});

describe('vulnzero diagnostics', () => {
  it('writes a redacted bundle with the check, counts, health, jobs and logs', async () => {
    const file = join(out, 'diag.json');
    const r = await unlocked()('diagnostics', '--out', file, '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ file, unlocked: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(PASS);
    expect(text).not.toContain('10.20.30.40');
    const bundle = JSON.parse(text) as Bundle;
    expect(bundle).toMatchObject({
      bundle: 'vulnzero-diagnostics',
      unlocked: true,
      vault: { keyFile: 'ok', operators: 1, cipher: 'sqlcipher' },
      check: { ok: true },
      health: { vault: { state: 'unlocked' } },
      jobs: [{ jobId: 'j1', kind: 'import', state: 'done', durationMs: 1200 }],
    });
    expect(bundle.counts?.findings).toBeGreaterThan(0);
    expect(bundle.health.warnings).toContain('No backup of this vault yet.');
    expect(bundle.logs).toHaveLength(2);
    expect(bundle.logs[1]).toMatchObject({
      fields: { passphrase: '[redacted]', host: 'x.x.x.40' },
    });
  });

  it('without a passphrase holds what is readable while locked; keeps an existing file', async () => {
    const file = join(out, 'locked.json');
    const locked = cli({ VULNZERO_VAULT: path });
    const r = await locked('diagnostics', '--out', file);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('vault locked: no passphrase given');
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as Bundle;
    expect(bundle).toMatchObject({
      unlocked: false,
      check: null,
      counts: null,
      vault: { keyFile: 'ok' },
    });
    expect(bundle.health.vault.state).toBe('locked');
    const again = await locked('diagnostics', '--out', file);
    expect(again.code).toBe(2);
    expect(again.err).toContain('--force');
    expect((await locked('diagnostics')).code).toBe(2);
  });
});

describe('vulnzero vault check-backup', () => {
  it('passes on a fresh backup, fails with exit 1 on a damaged one, refuses a bad id', async () => {
    const run = unlocked();
    const none = await run('vault', 'check-backup');
    expect(none.code).toBe(1);
    expect(none.err).toContain('no backup yet');
    const backup = join(out, 'b.vz');
    expect((await run('vault', 'backup', backup)).code).toBe(0);
    const good = await run('vault', 'check-backup', '--json');
    expect(good.code, good.err).toBe(0);
    expect(JSON.parse(good.out)).toMatchObject({ ok: true, path: backup, problem: null });
    const fd = openSync(backup, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x33), 0, 4096, 4096);
    closeSync(fd);
    const bad = await run('vault', 'check-backup');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^FAILED: backup #1: /);
    expect((await run('vault', 'check-backup', '--id', 'x')).code).toBe(2);
    const audit = await run('audit', 'verify');
    expect(audit.code).toBe(0);
  });
});
