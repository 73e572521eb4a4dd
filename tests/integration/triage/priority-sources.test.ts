/**
 * "Why this priority" on real inputs: a Nessus scan, the CISA KEV catalog and a FIRST EPSS
 * slice loaded into a vault. Every score, SSVC and SLA input of a KEV-listed finding says
 * where it came from and when: the scan's import date, the feeds' dates, the operator who
 * set the asset's criticality, and the vault setting that changed the SLA days.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Output, TriageRow } from '../../../src-preload/contract';
import { PRIORITIZATION_SETTING } from '../../../src-main/prioritization/config';
import { testCore } from '../../helpers/core';
import { fixture } from '../../helpers/import';
import { runJob } from '../../helpers/jobs';
import { PASS } from '../../helpers/vault';

type Detail = Output<'findings.detail'>;
const core = testCore();

async function call<T>(channel: string, input?: unknown): Promise<T> {
  const result = await core.router.call(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

function source(d: Detail, input: string) {
  const found = d.prioritySources.find((s) => s.input === input);
  if (!found) throw new Error(`no ${input} in ${d.prioritySources.map((s) => s.input).join(', ')}`);
  return found;
}

let kevRow: TriageRow;

beforeAll(async () => {
  await call('vault.create', { operator: 'alice', passphrase: PASS });
  for (const [channel, input] of [
    ['import.start', { paths: [fixture('nessus_xml', 'nessus_with_cvssv3.nessus')] }],
    [
      'feeds.import',
      {
        paths: [
          fixture('feeds', 'known_exploited_vulnerabilities.json'),
          fixture('feeds', 'epss_scores-2026-09-29.slice.csv'),
        ],
      },
    ],
  ] as const) {
    const end = await runJob(core, channel, input);
    expect(end.state, end.error?.message).toBe('done');
  }
  const page = await call<{ rows: TriageRow[] }>('findings.page', {
    filter: { kev: true },
    sort: { column: 'id', dir: 'asc' },
    limit: 10,
  });
  expect(page.rows.length).toBeGreaterThan(0);
  kevRow = page.rows[0]!;
});

describe('why this priority', () => {
  it('names the source and date of every score, SSVC and SLA input', async () => {
    const d = await call<Detail>('findings.detail', { id: kevRow.id });
    const feeds = await call<Output<'feeds.status'>>('feeds.status');
    const kevFeed = feeds.feeds.find((f) => f.kind === 'kev')!;
    expect(new Set(d.prioritySources.map((s) => s.part))).toEqual(
      new Set(['score', 'ssvc', 'sla']),
    );
    expect(source(d, 'Base score')).toMatchObject({
      source: expect.stringMatching(/^scanner Nessus/),
      date: d.scans[0]?.importedAt,
    });
    expect(source(d, 'KEV')).toMatchObject({
      value: 'listed',
      source: expect.stringMatching(/^CISA KEV .*, loaded \d{4}-\d{2}-\d{2}$/),
      date: kevFeed.date,
    });
    expect(source(d, 'Ransomware use').value).toMatch(/^(Known|Unknown)$/);
    expect(source(d, 'exploitation')).toMatchObject({ value: 'active', date: kevFeed.date });
    expect(source(d, 'Asset criticality')).toMatchObject({
      value: 'medium',
      source: 'default (never set for this asset)',
      date: null,
    });
    expect(source(d, 'SSVC decision').value).toBe(kevRow.decision);
    expect(source(d, 'SLA days').source).toMatch(/^default/);
    expect(source(d, 'First seen')).toMatchObject({
      date: kevRow.firstSeen,
      value: kevRow.firstSeen.slice(0, 10),
    });
    expect(source(d, 'Due').value).toBe(kevRow.dueAt.slice(0, 10));
    if (kevRow.epss !== null)
      expect(source(d, 'EPSS')).toMatchObject({
        source: expect.stringMatching(/^FIRST EPSS/),
        date: expect.stringMatching(/^2026-09-29/),
      });
  });

  it('shows who set the asset and the vault setting that changed the SLA', async () => {
    await call('assets.set', { ids: [kevRow.assetId], criticality: 'critical' });
    core.ctx.vault.session().setSetting(PRIORITIZATION_SETTING, {
      slaDays: { Immediate: 1, 'Out-of-cycle': 5, Scheduled: 20, Defer: 60 },
    });
    const d = await call<Detail>('findings.detail', { id: kevRow.id });
    const audit = await call<{ action: string; ts: string }[]>('audit.list', { limit: 10 });
    expect(source(d, 'Asset criticality')).toMatchObject({
      value: 'critical',
      source: 'asset setting by alice',
      date: audit.find((e) => e.action === 'assets.set')?.ts,
    });
    expect(source(d, 'SLA days')).toMatchObject({
      source: 'vault setting (prioritization)',
      date: audit.find((e) => e.action === 'settings.set')?.ts,
    });
    expect(source(d, 'SLA days').value).toMatch(/^(1|5|20|60) days$/);
  });
});
