/**
 * Triage at scale: a synthetic vault with 1,000,000 findings over 20,000 assets, queried
 * through the router exactly as the renderer calls it.
 *   triage.page_p50_ms / page_p95_ms  a filtered (open, critical+high), risk-sorted
 *                                     100-row page, walking 50 pages deep (target p95 <= 30)
 *   triage.group_ms                   open findings grouped by vulnerability (<= 200)
 *   triage.fts_ms                     a free-text search, first page (<= 50)
 * plus the other sorts and the dashboard (cold: the first call on a fresh reader
 * connection; warm: again from the reader thread), for the record.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../src-main/ipc/core';
import { populateTriage } from '../helpers/synthetic-triage';
import { percentile, report } from './report';

const FINDINGS = Number(process.env['VZ_BENCH_FINDINGS'] ?? 1_000_000);
const core = createCore({
  runtime: { transport: 'direct' },
  vaultPath: join(mkdtempSync(join(tmpdir(), 'vz-bench-triage-')), 'vault.vz'),
});
const { router } = core;

async function call<T>(channel: string, input: unknown): Promise<T> {
  const result = await router.call(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

await call('vault.create', { operator: 'bench', passphrase: 'orbit-lantern-quartz-91' });
const t0 = performance.now();
populateTriage(core.ctx.vault.session().db, {
  findings: FINDINGS,
  assets: 20_000,
  vulnerabilities: 8_000,
});
process.stderr.write(
  `# built ${FINDINGS} findings in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
);

interface Page {
  rows: { id: number }[];
  next: string | null;
}

async function walk(filter: object, sort: object, pages: number): Promise<number[]> {
  const times: number[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < pages; i += 1) {
    const start = performance.now();
    const page: Page = await call('findings.page', {
      filter,
      sort,
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    times.push(performance.now() - start);
    cursor = page.next;
    if (!cursor) break;
  }
  return times;
}

// Warm the page cache the way a session would after opening the findings screen.
await walk({ status: ['open'] }, { column: 'risk', dir: 'desc' }, 3);

const pageTimes = [
  ...(await walk(
    { status: ['open'], severity: ['critical', 'high'] },
    { column: 'risk', dir: 'desc' },
    50,
  )),
  ...(await walk(
    { status: ['open'], severity: ['critical', 'high'] },
    { column: 'risk', dir: 'desc' },
    50,
  )),
];
report('triage', 'page_p50_ms', percentile(pageTimes, 50), 'ms');
report('triage', 'page_p95_ms', percentile(pageTimes, 95), 'ms');

const groupTimes: number[] = [];
for (let i = 0; i < 5; i += 1) {
  const start = performance.now();
  await call('findings.groups', { filter: { status: ['open'] }, by: 'vulnerability', limit: 200 });
  groupTimes.push(performance.now() - start);
}
report('triage', 'group_ms', percentile(groupTimes, 50), 'ms');

const ftsTimes: number[] = [];
for (const q of ['openssl', 'CVE-2024-10042', 'host-1234', 'log4j', 'privilege escalation']) {
  const start = performance.now();
  await call('findings.page', {
    filter: { status: ['open'], q },
    sort: { column: 'risk', dir: 'desc' },
    limit: 100,
  });
  ftsTimes.push(performance.now() - start);
}
report('triage', 'fts_ms', percentile(ftsTimes, 50), 'ms');
report('triage', 'fts_max_ms', Math.max(...ftsTimes), 'ms');

for (const column of ['due', 'title', 'asset', 'lastSeen', 'epss'] as const) {
  const times = await walk(
    { status: ['open'] },
    { column, dir: column === 'due' || column === 'title' || column === 'asset' ? 'asc' : 'desc' },
    20,
  );
  report('triage', `page_${column}_p95_ms`, percentile(times, 95), 'ms');
}
const kev = await walk({ status: ['open'], kev: true }, { column: 'due', dir: 'asc' }, 20);
report('triage', 'page_kev_due_p95_ms', percentile(kev, 95), 'ms');

let start = performance.now();
await call('findings.count', { filter: { status: ['open'] } });
report('triage', 'count_open_ms', performance.now() - start, 'ms');
start = performance.now();
await call('dashboard.summary', undefined);
report('triage', 'dashboard_ms', performance.now() - start, 'ms');
// The same figures again from the reader thread, its page cache now warm: what the
// dashboard costs after a change once the vault has been read (the cache is bypassed).
start = performance.now();
await core.ctx.vault.session().reader().read('dashboard', {});
report('triage', 'dashboard_warm_ms', performance.now() - start, 'ms');
await core.dispose();
