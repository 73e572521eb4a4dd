/**
 * Loads one feed file (or one verified bundle member) into the vault in one
 * transaction, then refreshes the enrichment columns of the vulnerabilities. Runs in
 * the writer thread. Re-loading replaces that feed's data atomically: KEV is replaced
 * whole, EPSS is replaced for its score date (earlier dates stay, for trends), NVD and
 * CVE 5 records replace the same CVEs (yearly files complement each other).
 */
import { refreshPriorities } from '../../triage/priorities';
import type { Readable } from 'node:stream';
import { throwIfCancelled, type JobControls } from '../../core/jobs';
import { appendAudit, type AuditActor } from '../../vault/audit';
import type { Db } from '../../vault/sqlcipher';
import { parseFeed, type FeedMeta, type FeedRecord } from '../parse';
import type { FeedKind } from '../types';

export interface FeedLoadResult {
  kind: FeedKind;
  file: string;
  version: string | null;
  date: string | null;
  records: number;
  signed: boolean;
}

export interface FeedSource {
  kind: FeedKind;
  fileName: string;
  /** Known up front for bundle members; for plain files, once the stream was read. */
  sha256: () => string | null;
  open: () => Readable;
  /** Set for bundle members: the bundle's sequence and signer fingerprint. */
  bundle?: { sequence: number; signer: string };
}

function writerFor(db: Db, kind: FeedKind, meta: FeedMeta) {
  switch (kind) {
    case 'kev': {
      db.prepare('DELETE FROM kev').run();
      const insert = db.prepare(
        'INSERT OR REPLACE INTO kev(cve, vendor, product, name, date_added, due_date, ransomware, required_action, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      return (r: FeedRecord) => {
        if (r.type === 'kev')
          insert.run(
            r.cveID,
            r.vendorProject,
            r.product,
            r.vulnerabilityName,
            r.dateAdded,
            r.dueDate,
            r.knownRansomwareCampaignUse,
            r.requiredAction,
            r.notes,
          );
      };
    }
    case 'epss': {
      const scoreDate =
        (meta.type === 'meta' && meta.kind === 'epss' ? meta.scoreDate : null) ??
        meta.date ??
        'unknown';
      db.prepare('DELETE FROM epss WHERE score_date = ?').run(scoreDate);
      const insert = db.prepare(
        'INSERT OR REPLACE INTO epss(cve, score_date, epss, percentile) VALUES (?, ?, ?, ?)',
      );
      return (r: FeedRecord) => {
        if (r.type === 'epss') insert.run(r.cve, scoreDate, r.epss, r.percentile);
      };
    }
    case 'nvd': {
      const insert = db.prepare(
        'INSERT OR REPLACE INTO nvd(cve, published, last_modified, description, cvss3, cvss3_vector, cvss2, cwes, refs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      return (r: FeedRecord) => {
        if (r.type === 'nvd')
          insert.run(
            r.id,
            r.published,
            r.lastModified,
            r.description,
            r.cvss3?.baseScore ?? null,
            r.cvss3?.vectorString ?? null,
            r.cvss2?.baseScore ?? null,
            JSON.stringify(r.cwes),
            JSON.stringify(r.references),
          );
      };
    }
    case 'cve5': {
      const insert = db.prepare(
        'INSERT OR REPLACE INTO vulnrichment(cve, exploitation, automatable, technical_impact, provider) VALUES (?, ?, ?, ?, ?)',
      );
      return (r: FeedRecord) => {
        if (r.type === 'cve5' && r.ssvc)
          insert.run(
            r.cveId,
            r.ssvc.exploitation,
            r.ssvc.automatable,
            r.ssvc.technicalImpact,
            r.ssvc.provider,
          );
      };
    }
  }
}

/**
 * Recomputes the feed-derived columns from the feed tables: for every vulnerability after
 * a feed load, or for the given ids after an import.
 */
export function refreshEnrichment(db: Db, ids?: number[]): void {
  const only = ids
    ? `WHERE id IN (SELECT value FROM json_each(${db.prepare('SELECT quote(?)').pluck().get(JSON.stringify(ids)) as string}))`
    : '';
  db.exec(`
    UPDATE vulnerabilities SET
      kev = EXISTS (SELECT 1 FROM vulnerability_cves c JOIN kev k ON k.cve = c.cve WHERE c.vulnerability_id = vulnerabilities.id),
      kev_due_date = (SELECT min(k.due_date) FROM vulnerability_cves c JOIN kev k ON k.cve = c.cve WHERE c.vulnerability_id = vulnerabilities.id),
      kev_ransomware = EXISTS (SELECT 1 FROM vulnerability_cves c JOIN kev k ON k.cve = c.cve WHERE c.vulnerability_id = vulnerabilities.id AND k.ransomware = 'Known'),
      epss_date = (SELECT max(score_date) FROM epss),
      epss = (SELECT max(e.epss) FROM vulnerability_cves c JOIN epss e ON e.cve = c.cve
              WHERE c.vulnerability_id = vulnerabilities.id AND e.score_date = (SELECT max(score_date) FROM epss)),
      epss_percentile = (SELECT max(e.percentile) FROM vulnerability_cves c JOIN epss e ON e.cve = c.cve
              WHERE c.vulnerability_id = vulnerabilities.id AND e.score_date = (SELECT max(score_date) FROM epss)),
      nvd_cvss3 = (SELECT max(n.cvss3) FROM vulnerability_cves c JOIN nvd n ON n.cve = c.cve WHERE c.vulnerability_id = vulnerabilities.id),
      exploitation = (SELECT max(v.exploitation) FROM vulnerability_cves c JOIN vulnrichment v ON v.cve = c.cve WHERE c.vulnerability_id = vulnerabilities.id),
      automatable = (SELECT max(v.automatable) FROM vulnerability_cves c JOIN vulnrichment v ON v.cve = c.cve WHERE c.vulnerability_id = vulnerabilities.id),
      technical_impact = (SELECT max(v.technical_impact) FROM vulnerability_cves c JOIN vulnrichment v ON v.cve = c.cve WHERE c.vulnerability_id = vulnerabilities.id)
    ${only};
    UPDATE vulnerabilities SET epss_date = NULL WHERE epss IS NULL;
  `);
  // CWEs from NVD where the scanner gave none.
  db.exec(`
    UPDATE vulnerabilities SET cwes = (SELECT n.cwes FROM vulnerability_cves c JOIN nvd n ON n.cve = c.cve
                                      WHERE c.vulnerability_id = vulnerabilities.id AND n.cwes <> '[]' LIMIT 1)
    WHERE cwes = '[]' ${only ? `AND ${only.slice('WHERE '.length)}` : ''} AND EXISTS (SELECT 1 FROM vulnerability_cves c JOIN nvd n ON n.cve = c.cve
                                  WHERE c.vulnerability_id = vulnerabilities.id AND n.cwes <> '[]');
  `);
}

async function loadOne(db: Db, source: FeedSource, controls: JobControls): Promise<FeedLoadResult> {
  let write: ((r: FeedRecord) => void) | null = null;
  let meta: FeedMeta | null = null;
  let records = 0;
  for await (const item of parseFeed(source.kind, source.open(), {
    fileName: source.fileName,
    signal: controls.signal,
  })) {
    if (item.type === 'meta') {
      meta = item;
      write = writerFor(db, source.kind, item);
      continue;
    }
    write?.(item);
    records += 1;
    if (records % 5000 === 0) {
      throwIfCancelled(controls.signal);
      controls.progress(
        `feed ${source.kind} ${source.fileName}`,
        records,
        meta?.recordCount ?? null,
      );
    }
  }
  const version = meta?.version ?? null;
  const date = meta?.date ?? null;
  const signed = source.bundle !== undefined;
  db.prepare(
    `INSERT INTO feeds(kind, version, feed_date, records, signed, source_file, sha256, loaded_at, bundle_sequence, signer)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(kind) DO UPDATE SET version = excluded.version, feed_date = excluded.feed_date, records = excluded.records,
       signed = excluded.signed, source_file = excluded.source_file, sha256 = excluded.sha256, loaded_at = excluded.loaded_at,
       bundle_sequence = excluded.bundle_sequence, signer = excluded.signer`,
  ).run(
    source.kind,
    version,
    date,
    records,
    signed ? 1 : 0,
    source.fileName,
    source.sha256(),
    new Date().toISOString(),
    source.bundle?.sequence ?? null,
    source.bundle?.signer ?? null,
  );
  return { kind: source.kind, file: source.fileName, version, date, records, signed };
}

/** Loads several feed files (or a bundle's members) in one transaction: all or nothing. */
export async function loadFeeds(
  db: Db,
  sources: FeedSource[],
  actor: AuditActor,
  controls: JobControls,
  beforeCommit?: (db: Db) => void,
): Promise<FeedLoadResult[]> {
  db.exec('BEGIN IMMEDIATE');
  try {
    const results: FeedLoadResult[] = [];
    for (const source of sources) results.push(await loadOne(db, source, controls));
    refreshEnrichment(db);
    controls.progress('prioritize', 0, null, 'recomputing finding priorities');
    refreshPriorities(db, { all: true });
    beforeCommit?.(db);
    for (const r of results) {
      appendAudit(db, actor, {
        action: 'feeds.load',
        objectType: 'feed',
        objectId: r.kind,
        summary: {
          after: {
            file: r.file,
            version: r.version,
            date: r.date,
            records: r.records,
            signed: r.signed,
          },
        },
      });
    }
    db.exec('COMMIT');
    return results;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
