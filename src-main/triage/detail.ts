/**
 * Everything about one finding for the detail panel. Scanner text (evidence,
 * description, solution) is returned as plain strings; the renderer shows it as text.
 * The priority breakdown is recomputed here with the same code that filled the stored
 * columns, so the panel can explain every number.
 */
import type { z } from 'zod';
import type { findingDetail } from '../../src-preload/triage-schemas';
import { VzError } from '../core/errors';
import { readPrioritization, resolveConfig } from '../prioritization/config';
import { prioritize, priorityInputOf } from '../prioritization/finding-priority';
import { riskScore } from '../prioritization/score';
import { dueDate } from '../prioritization/sla';
import type { AssetCriticality, AssetExposure } from '../prioritization/ssvc';
import type { Db } from '../vault/sqlcipher';
import { prioritySources } from './priority-sources';
import { ROW_COLUMNS, ROW_JOINS, rowsByIds, toTriageRows, type RawRow } from './rows';

export type FindingDetail = z.infer<typeof findingDetail>;

const RELATED_LIMIT = 50;

interface DetailRow extends RawRow {
  service: string | null;
  component_path: string | null;
  component_purl: string | null;
  evidence: string | null;
  key: string;
  cvss3: number | null;
  cvss3_vector: string | null;
  cvss2: number | null;
  nvd_cvss3: number | null;
  cwes: string;
  refs: string;
  description: string | null;
  solution: string | null;
  v_kev: number;
  kev_due_date: string | null;
  kev_ransomware: number;
  v_epss: number | null;
  epss_percentile: number | null;
  epss_date: string | null;
  exploitation: string | null;
  automatable: string | null;
  technical_impact: string | null;
  a_ip: string | null;
  a_hostname: string | null;
  a_fqdn: string | null;
  a_mac: string | null;
  a_os: string | null;
  a_image: string | null;
  criticality: AssetCriticality;
  exposure: AssetExposure;
}

export function findingDetailOf(db: Db, id: number, now = new Date()): FindingDetail {
  const r = db
    .prepare(
      `SELECT ${ROW_COLUMNS}, f.service, f.component_path, f.component_purl, f.evidence, v.key, v.cvss3, v.cvss3_vector,
              v.cvss2, v.nvd_cvss3, v.cwes, v.refs, v.description, v.solution, v.kev AS v_kev, v.kev_due_date,
              v.kev_ransomware, v.epss AS v_epss, v.epss_percentile, v.epss_date, v.exploitation, v.automatable,
              v.technical_impact, a.ip AS a_ip, a.hostname AS a_hostname, a.fqdn AS a_fqdn, a.mac AS a_mac,
              a.os AS a_os, a.image AS a_image, a.criticality, a.exposure
       FROM findings f ${ROW_JOINS} WHERE f.id = ?`,
    )
    .get(id) as DetailRow | undefined;
  if (!r) throw new VzError('NOT_FOUND', `No finding #${id}.`);
  const [row] = toTriageRows(db, [r], now);
  const settings = readPrioritization(db);
  const config = resolveConfig(settings);
  const priority = prioritize(priorityInputOf({ ...r, kev: r.v_kev, epss: r.v_epss }), now, config);
  const inKev = r.v_kev === 1;
  const breakdown = riskScore(
    {
      cvssBaseScore: r.cvss3 ?? r.nvd_cvss3 ?? r.cvss2,
      severity: r.severity,
      epss: r.v_epss,
      inKev,
      ransomware: inKev ? (r.kev_ransomware === 1 ? 'Known' : 'Unknown') : null,
      assetCriticality: r.criticality,
      assetExposure: r.exposure,
    },
    config.score,
  ).breakdown;
  const due = dueDate({
    decision: priority.ssvc.decision,
    detectedAt: r.first_seen,
    kevDueDate: r.kev_due_date,
    now,
    days: config.slaDays,
  });
  const scans = db
    .prepare(
      `SELECT s.id, s.file_name AS fileName, s.scanner, s.imported_at AS importedAt
       FROM finding_scans fs JOIN scans s ON s.id = fs.scan_id WHERE fs.finding_id = ? ORDER BY s.id DESC LIMIT 100`,
    )
    .all(id) as FindingDetail['scans'];
  const decisions = db
    .prepare(
      `SELECT id, kind, reason, expires_at AS expiresAt, decided_by AS decidedBy, decided_at AS decidedAt,
              revoked_at AS revokedAt FROM risk_decisions WHERE finding_id = ? ORDER BY id DESC`,
    )
    .all(id) as FindingDetail['decisions'];
  return {
    row: row as FindingDetail['row'],
    vulnerabilityKey: r.key,
    asset: {
      id: r.asset_id,
      displayName: r.display_name,
      ip: r.a_ip,
      hostname: r.a_hostname,
      fqdn: r.a_fqdn,
      mac: r.a_mac,
      os: r.a_os,
      image: r.a_image,
      criticality: r.criticality,
      exposure: r.exposure,
    },
    service: r.service,
    componentPath: r.component_path,
    componentPurl: r.component_purl,
    cvss3: r.cvss3 ?? r.nvd_cvss3,
    cvss3Vector: r.cvss3_vector,
    cwes: JSON.parse(r.cwes) as string[],
    description: r.description,
    solution: r.solution,
    evidence: r.evidence,
    references: JSON.parse(r.refs) as string[],
    ssvcInputs: priority.ssvc.inputs,
    scoreBreakdown: breakdown,
    dueExplanation: due.explanation,
    prioritySources: prioritySources(
      db,
      r,
      priority,
      config,
      settings,
      scans[0]?.importedAt ?? null,
    ),
    scans,
    decisions,
    sameCveOtherAssets: rowsByIds(
      db,
      'f.vulnerability_id = ? AND f.asset_id <> ?',
      [r.vulnerability_id, r.asset_id],
      RELATED_LIMIT,
      now,
    ),
    otherOnAsset: rowsByIds(
      db,
      'f.asset_id = ? AND f.id <> ?',
      [r.asset_id, id],
      RELATED_LIMIT,
      now,
    ),
  };
}
