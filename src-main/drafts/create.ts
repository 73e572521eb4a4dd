/**
 * Creating a draft from a finding or a group. Rules first: when a rule applies, its
 * draft is the result (engine "rules") or, with the LLM engine, the model's input. One
 * draft can fix many hosts: a package draft covers every open finding with the same
 * (packages, fixed versions, OS family) — its group key.
 */
import type { DraftContent } from '../../src-preload/drafts-schemas';
import { VzError } from '../core/errors';
import type { VaultSession } from '../vault/session';
import type { Db } from '../vault/sqlcipher';
import { matchRule, ruleDraft, type RuleInput, type RuleMatch } from './rules';
import { createDraft } from './store';

/** How many candidate findings a group lookup reads at most (documented limit). */
export const GROUP_SCAN_LIMIT = 50_000;

export interface FindingContext extends RuleInput {
  id: number;
  severity: string;
  cves: string[];
  assetName: string;
  port: number | null;
  service: string | null;
  description: string | null;
  solution: string | null;
}

/** The model's part, injected by the caller (drafts/llm); null output = not available. */
export type LlmGenerate = (
  finding: FindingContext,
  rulesDraft: DraftContent | null,
) => Promise<{ content: DraftContent; modelSha256: string; modelId: number }>;

const CONTEXT_SQL = `SELECT f.id, v.title, v.severity, v.cves, v.description, v.solution, f.evidence, f.port, f.service,
  f.component_name, f.component_version, f.component_fixed_version, a.os, a.image, a.display_name, a.kind AS asset_kind
  FROM findings f JOIN vulnerabilities v ON v.id = f.vulnerability_id JOIN assets a ON a.id = f.asset_id`;

interface ContextRow {
  id: number;
  title: string;
  severity: string;
  cves: string;
  description: string | null;
  solution: string | null;
  evidence: string | null;
  port: number | null;
  service: string | null;
  component_name: string | null;
  component_version: string | null;
  component_fixed_version: string | null;
  os: string | null;
  image: string | null;
  display_name: string;
  asset_kind: 'host' | 'software';
}

function toContext(r: ContextRow): FindingContext {
  return {
    id: r.id,
    title: r.title,
    severity: r.severity,
    cves: JSON.parse(r.cves) as string[],
    description: r.description,
    solution: r.solution,
    evidence: r.evidence,
    port: r.port,
    service: r.service,
    componentName: r.component_name,
    componentVersion: r.component_version,
    componentFixedVersion: r.component_fixed_version,
    os: r.os,
    image: r.image,
    assetName: r.display_name,
    assetKind: r.asset_kind,
  };
}

export function findingContext(db: Db, id: number): FindingContext {
  const row = db.prepare(`${CONTEXT_SQL} WHERE f.id = ?`).get(id) as ContextRow | undefined;
  if (!row) throw new VzError('NOT_FOUND', `No finding #${id}.`);
  return toContext(row);
}

/** Open findings that may share a rule with these package names or this config rule. */
function candidates(db: Db, match: RuleMatch): FindingContext[] {
  if (match.kind === 'config') {
    const words = match.rule === 'ssh-weak-crypto' ? ['%SSH%'] : ['%TLS%', '%SSL%'];
    return (
      db
        .prepare(
          `${CONTEXT_SQL} WHERE f.status = 'open' AND (${words.map(() => 'v.title LIKE ?').join(' OR ')}) LIMIT ?`,
        )
        .all(...words, GROUP_SCAN_LIMIT) as ContextRow[]
    ).map(toContext);
  }
  const names = match.fixes.map((f) => f.name);
  return (
    db
      .prepare(
        `${CONTEXT_SQL} WHERE f.status = 'open' AND (f.component_name IN (SELECT value FROM json_each(?))
           OR ${names.map(() => 'f.evidence LIKE ?').join(' OR ')}) LIMIT ?`,
      )
      .all(JSON.stringify(names), ...names.map((n) => `%${n}%`), GROUP_SCAN_LIMIT) as ContextRow[]
  ).map(toContext);
}

function groupMembers(db: Db, match: RuleMatch): number[] {
  return candidates(db, match)
    .filter((c) => {
      const m = matchRule(c);
      return m.kind !== 'none' && m.groupKey === match.groupKey;
    })
    .map((c) => c.id);
}

export interface CreateRequest {
  findingId?: number;
  groupKey?: string;
  engine: 'rules' | 'llm';
}

export async function createDraftFor(
  session: VaultSession,
  request: CreateRequest,
  llm?: LlmGenerate,
): Promise<number> {
  session.requireRole('admin', 'approver', 'analyst');
  const db = session.db;
  let seed: FindingContext;
  let match: RuleMatch | { kind: 'none'; reason: string };
  if (request.findingId !== undefined) {
    seed = findingContext(db, request.findingId);
    match = matchRule(seed);
  } else if (request.groupKey) {
    const found = ruleGroups(db).find((g) => g.groupKey === request.groupKey);
    if (!found) throw new VzError('NOT_FOUND', `No open findings in group ${request.groupKey}.`);
    seed = findingContext(db, found.findingIds[0] as number);
    match = matchRule(seed);
  } else throw new VzError('INVALID_INPUT', 'Give a finding or a group.');

  const rules = match.kind === 'none' ? null : ruleDraft(match, seed.title);
  const findingIds = match.kind === 'none' ? [seed.id] : groupMembers(db, match);
  if (!findingIds.includes(seed.id)) findingIds.unshift(seed.id);
  const groupKey = match.kind === 'none' ? null : match.groupKey;
  const title =
    match.kind === 'package'
      ? `Upgrade ${match.fixes.map((f) => f.name).join(', ')} (${match.family})`
      : match.kind === 'config'
        ? match.rule === 'ssh-weak-crypto'
          ? 'Strong SSH ciphers, MACs and key exchange'
          : 'Disable TLS 1.0/1.1 on nginx/Apache'
        : seed.title;

  if (request.engine === 'rules') {
    if (!rules)
      throw new VzError(
        'NO_RULE',
        `No rule applies to finding #${seed.id}: ${(match as { reason: string }).reason}. Try the LLM engine.`,
      );
    return createDraft(
      session,
      { title, groupKey, findingIds },
      { content: rules, engine: 'rules' },
    );
  }
  if (!llm)
    throw new VzError('MODEL_NOT_FOUND', 'No local model is configured: add a GGUF model first.');
  const generated = await llm(seed, rules);
  return createDraft(
    session,
    { title, groupKey, findingIds },
    {
      content: generated.content,
      engine: 'llm',
      modelSha256: generated.modelSha256,
      modelId: generated.modelId,
      note: rules
        ? 'generated by the local model from the rules draft'
        : 'generated by the local model',
    },
  );
}

export interface RuleGroup {
  groupKey: string;
  title: string;
  findingIds: number[];
  hosts: number;
}

/** Groups of open findings a rule can fix, largest first (reads at most GROUP_SCAN_LIMIT). */
export function ruleGroups(db: Db): RuleGroup[] {
  const rows = (
    db
      .prepare(
        `${CONTEXT_SQL} WHERE f.status = 'open' AND (f.component_fixed_version IS NOT NULL
           OR f.evidence LIKE '%package installed%' OR f.evidence LIKE '%Installed package%'
           OR v.title LIKE '%SSH%' OR v.title LIKE '%TLS%' OR v.title LIKE '%SSL%') LIMIT ?`,
      )
      .all(GROUP_SCAN_LIMIT) as (ContextRow & { asset_id?: number })[]
  ).map(toContext);
  const groups = new Map<string, RuleGroup & { assets: Set<string> }>();
  for (const c of rows) {
    const m = matchRule(c);
    if (m.kind === 'none') continue;
    const g = groups.get(m.groupKey) ?? {
      groupKey: m.groupKey,
      title:
        m.kind === 'package'
          ? `${m.fixes.map((f) => `${f.name} ≥ ${f.fixed}`).join(', ')} (${m.family})`
          : m.rule,
      findingIds: [],
      hosts: 0,
      assets: new Set<string>(),
    };
    g.findingIds.push(c.id);
    g.assets.add(c.assetName);
    groups.set(m.groupKey, g);
  }
  return [...groups.values()]
    .map(({ assets, ...g }) => ({ ...g, hosts: assets.size }))
    .sort((a, b) => b.findingIds.length - a.findingIds.length);
}
