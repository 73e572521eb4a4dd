/**
 * "Why this priority": every input of the risk score, the SSVC decision and the SLA, each
 * with its value, where it came from (scanner, feed, asset setting, vault setting or
 * default) and the date of that source, so an operator can tell a stale EPSS from a fresh
 * one and a default criticality from one somebody set.
 */
import type { FindingPriority } from '../prioritization/finding-priority';
import type { PrioritizationConfig, PrioritizationSettings } from '../prioritization/config';
import type { Db } from '../vault/sqlcipher';

export interface PrioritySource {
  part: 'score' | 'ssvc' | 'sla';
  input: string;
  value: string;
  source: string;
  date: string | null;
}

/** The columns of one finding this explanation reads. */
export interface SourceColumns {
  asset_id: number;
  scanner: string;
  severity: string;
  first_seen: string;
  cvss3: number | null;
  cvss3_vector: string | null;
  cvss2: number | null;
  nvd_cvss3: number | null;
  v_kev: number;
  kev_due_date: string | null;
  kev_ransomware: number;
  v_epss: number | null;
  epss_percentile: number | null;
  epss_date: string | null;
  criticality: string;
  exposure: string;
}

interface FeedRow {
  kind: string;
  version: string | null;
  feed_date: string | null;
  loaded_at: string;
}

function feeds(db: Db): Map<string, FeedRow> {
  const rows = db
    .prepare('SELECT kind, version, feed_date, loaded_at FROM feeds')
    .all() as FeedRow[];
  return new Map(rows.map((r) => [r.kind, r]));
}

function feedDate(feed: FeedRow | undefined): string | null {
  return feed ? (feed.feed_date ?? feed.loaded_at) : null;
}

function feedLabel(name: string, feed: FeedRow | undefined): string {
  if (!feed) return `${name} (feed not loaded)`;
  return `${name}${feed.version ? ` ${feed.version}` : ''}, loaded ${feed.loaded_at.slice(0, 10)}`;
}

function cvssSource(
  r: SourceColumns,
  nvd: FeedRow | undefined,
  lastScan: string | null,
): Omit<PrioritySource, 'part' | 'input'> {
  if (r.cvss3 !== null)
    return {
      value: `CVSS v3 ${r.cvss3}`,
      source: `scanner ${r.scanner}${r.cvss3_vector ? ` (${r.cvss3_vector})` : ''}`,
      date: lastScan,
    };
  if (r.nvd_cvss3 !== null)
    return { value: `CVSS v3 ${r.nvd_cvss3}`, source: feedLabel('NVD', nvd), date: feedDate(nvd) };
  if (r.cvss2 !== null)
    return { value: `CVSS v2 ${r.cvss2}`, source: `scanner ${r.scanner}`, date: lastScan };
  return {
    value: `severity ${r.severity}`,
    source: `scanner ${r.scanner} (no CVSS score: severity stands in)`,
    date: lastScan,
  };
}

/** The newest `assets.set` naming this asset alone (bulk changes by CIDR name no single asset). */
function assetSetting(db: Db, assetId: number): { ts: string; operator: string } | null {
  const row = db
    .prepare(
      `SELECT ts, operator_name FROM audit WHERE action = 'assets.set' AND object_type = 'asset' AND object_id = ? ORDER BY seq DESC LIMIT 1`,
    )
    .get(String(assetId)) as { ts: string; operator_name: string } | undefined;
  return row ? { ts: row.ts, operator: row.operator_name } : null;
}

function assetSource(
  set: { ts: string; operator: string } | null,
  isDefault: boolean,
): { source: string; date: string | null } {
  if (set) return { source: `asset setting by ${set.operator}`, date: set.ts };
  return isDefault
    ? { source: 'default (never set for this asset)', date: null }
    : { source: 'asset setting (a bulk change)', date: null };
}

export function prioritySources(
  db: Db,
  r: SourceColumns,
  priority: FindingPriority,
  config: PrioritizationConfig,
  settings: PrioritizationSettings,
  lastScan: string | null,
): PrioritySource[] {
  const byKind = feeds(db);
  const kev = byKind.get('kev');
  const epss = byKind.get('epss');
  const assetSet = assetSetting(db, r.asset_id);
  const settingDate =
    (
      db
        .prepare(
          `SELECT ts FROM audit WHERE action = 'settings.set' AND object_id = 'prioritization' ORDER BY seq DESC LIMIT 1`,
        )
        .get() as { ts: string } | undefined
    )?.ts ?? null;
  const inKev = r.v_kev === 1;
  const out: PrioritySource[] = [
    { part: 'score', input: 'Base score', ...cvssSource(r, byKind.get('nvd'), lastScan) },
    {
      part: 'score',
      input: 'EPSS',
      value:
        r.v_epss === null
          ? 'none'
          : `${r.v_epss}${r.epss_percentile === null ? '' : ` (percentile ${r.epss_percentile})`}`,
      source: r.v_epss === null && epss ? 'not in the EPSS feed' : feedLabel('FIRST EPSS', epss),
      date: r.epss_date ?? feedDate(epss),
    },
    {
      part: 'score',
      input: 'KEV',
      value: inKev ? 'listed' : 'not listed',
      source: feedLabel('CISA KEV', kev),
      date: feedDate(kev),
    },
  ];
  if (inKev)
    out.push({
      part: 'score',
      input: 'Ransomware use',
      value: r.kev_ransomware === 1 ? 'Known' : 'Unknown',
      source: feedLabel('CISA KEV', kev),
      date: feedDate(kev),
    });
  out.push(
    {
      part: 'score',
      input: 'Asset criticality',
      value: r.criticality,
      ...assetSource(assetSet, r.criticality === 'medium'),
    },
    {
      part: 'score',
      input: 'Asset exposure',
      value: r.exposure,
      ...assetSource(assetSet, r.exposure === 'internal'),
    },
  );
  for (const [input, v] of Object.entries(priority.ssvc.inputs)) {
    const date = /KEV/.test(v.source)
      ? feedDate(kev)
      : /vulnrichment/i.test(v.source)
        ? feedDate(byKind.get('cve5'))
        : /EPSS/.test(v.source)
          ? (r.epss_date ?? feedDate(epss))
          : /asset/.test(v.source)
            ? (assetSet?.ts ?? null)
            : null;
    out.push({ part: 'ssvc', input, value: v.value, source: v.source, date });
  }
  const decision = priority.ssvc.decision;
  out.push(
    {
      part: 'sla',
      input: 'SSVC decision',
      value: decision,
      source: 'SSVC deployer tree ssvc:DP:1.0.0 over the inputs above',
      date: null,
    },
    {
      part: 'sla',
      input: 'SLA days',
      value: `${config.slaDays[decision]} days`,
      source:
        settings.slaDays?.[decision] !== undefined
          ? 'vault setting (prioritization)'
          : 'default (docs/prioritization.md)',
      date: settings.slaDays?.[decision] !== undefined ? settingDate : null,
    },
    {
      part: 'sla',
      input: 'First seen',
      value: r.first_seen.slice(0, 10),
      source: 'the first import that reported it',
      date: r.first_seen,
    },
  );
  if (r.kev_due_date)
    out.push({
      part: 'sla',
      input: 'KEV due date',
      value: r.kev_due_date,
      source: feedLabel('CISA KEV', kev),
      date: feedDate(kev),
    });
  out.push({
    part: 'sla',
    input: 'Due',
    value: priority.dueDate.slice(0, 10),
    source: priority.overdue ? 'overdue' : 'open',
    date: priority.dueDate,
  });
  return out;
}
