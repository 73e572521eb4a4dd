/**
 * Trivy's findings other than package vulnerabilities, each with its own kind:
 * misconfigurations (IaC, Dockerfile, Kubernetes checks that FAILed), secrets (Trivy
 * masks the matched value) and licences (restricted, reciprocal... per Trivy's policy).
 * Severity uses the same table as vulnerabilities; identity is documented in
 * docs/importers-tabular.md.
 */
import { z } from 'zod';
import type { NormalizedFinding, Severity } from '../types';
import { optionalNumber, optionalObject, optionalString, stringList } from '../common/json-fields';
import { lookupSeverity, type SeverityTable } from '../common/severity';
import { cleanText, uniqueStrings } from '../common/text';

export const OTHER_FINDINGS = ['Misconfigurations', 'Secrets', 'Licenses'] as const;
export type OtherFindingList = (typeof OTHER_FINDINGS)[number];

const misconfigurationSchema = z.looseObject({
  ID: z.string().min(1),
  AVDID: optionalString,
  Type: optionalString,
  Title: optionalString,
  Description: optionalString,
  Message: optionalString,
  Resolution: optionalString,
  Severity: optionalString,
  PrimaryURL: optionalString,
  References: stringList,
  Status: optionalString,
  CauseMetadata: optionalObject({
    Resource: optionalString,
    Provider: optionalString,
    Service: optionalString,
    StartLine: optionalNumber,
    EndLine: optionalNumber,
  }),
});

const secretSchema = z.looseObject({
  RuleID: z.string().min(1),
  Category: optionalString,
  Severity: optionalString,
  Title: optionalString,
  StartLine: optionalNumber,
  EndLine: optionalNumber,
  Match: optionalString,
});

const licenseSchema = z.looseObject({
  Name: z.string().min(1),
  Severity: optionalString,
  Category: optionalString,
  PkgName: optionalString,
  FilePath: optionalString,
  Confidence: optionalNumber,
  Link: optionalString,
});

export type OtherResult =
  | { ok: true; finding: NormalizedFinding }
  | { ok: false; skipped: 'passed' | 'invalid'; problem?: string };

interface Context {
  format: string;
  target: string | undefined;
  severities: SeverityTable;
}

function severity(value: string | undefined, table: SeverityTable): Severity {
  return lookupSeverity(value, table) ?? 'info';
}

function base(
  ctx: Context,
  kind: NonNullable<NormalizedFinding['kind']>,
  key: string,
  title: string,
  rated: Severity,
  references: (string | undefined)[],
): NormalizedFinding {
  return {
    format: ctx.format,
    kind,
    scanner: { name: 'Trivy' },
    asset: {},
    vulnerability: {
      key,
      cves: [],
      title,
      severity: rated,
      cwes: [],
      references: uniqueStrings(references),
    },
  };
}

function location(path: string | undefined, line: number | undefined) {
  const file = cleanText(path);
  if (file === undefined) return undefined;
  return line !== undefined && Number.isInteger(line) && line >= 1
    ? { path: file, line }
    : { path: file };
}

function misconfiguration(value: unknown, ctx: Context): OtherResult {
  const parsed = misconfigurationSchema.safeParse(value);
  if (!parsed.success) return { ok: false, skipped: 'invalid', problem: parsed.error.message };
  const m = parsed.data;
  // Trivy lists passed checks too (`--include-non-failures`): only failures are findings.
  if (m.Status !== undefined && m.Status.toUpperCase() !== 'FAIL')
    return { ok: false, skipped: 'passed' };
  const finding = base(
    ctx,
    'misconfiguration',
    `trivy:misconfig:${m.ID}`,
    cleanText(m.Title) ?? m.ID,
    severity(m.Severity, ctx.severities),
    [m.PrimaryURL, ...(m.References ?? [])],
  );
  const description = cleanText(m.Description);
  if (description) finding.description = description;
  const solution = cleanText(m.Resolution);
  if (solution) finding.solution = solution;
  const cause = m.CauseMetadata;
  const where = location(ctx.target, cause?.StartLine);
  if (where) finding.location = where;
  const evidence = [
    cleanText(m.Message),
    ctx.target ? `Target: ${ctx.target}` : undefined,
    cause?.Resource ? `Resource: ${cause.Resource}` : undefined,
    cause?.StartLine !== undefined
      ? `Lines: ${cause.StartLine}${cause.EndLine !== undefined && cause.EndLine !== cause.StartLine ? `-${cause.EndLine}` : ''}`
      : undefined,
  ].filter((line): line is string => line !== undefined);
  if (evidence.length) finding.evidence = evidence.join('\n');
  return { ok: true, finding };
}

function secret(value: unknown, ctx: Context): OtherResult {
  const parsed = secretSchema.safeParse(value);
  if (!parsed.success) return { ok: false, skipped: 'invalid', problem: parsed.error.message };
  const s = parsed.data;
  const finding = base(
    ctx,
    'secret',
    `trivy:secret:${s.RuleID}`,
    cleanText(s.Title) ?? s.RuleID,
    severity(s.Severity, ctx.severities),
    [],
  );
  const where = location(ctx.target, s.StartLine);
  if (where) finding.location = where;
  // Trivy replaces the secret itself with asterisks in Match.
  const evidence = [
    s.Category ? `Category: ${s.Category}` : undefined,
    cleanText(s.Match) ? `Match: ${cleanText(s.Match)}` : undefined,
  ].filter((line): line is string => line !== undefined);
  if (evidence.length) finding.evidence = evidence.join('\n');
  finding.solution =
    'Remove the secret from the artifact and rotate it: it must be treated as exposed.';
  return { ok: true, finding };
}

function license(value: unknown, ctx: Context): OtherResult {
  const parsed = licenseSchema.safeParse(value);
  if (!parsed.success) return { ok: false, skipped: 'invalid', problem: parsed.error.message };
  const l = parsed.data;
  const category = cleanText(l.Category);
  const finding = base(
    ctx,
    'license',
    `trivy:license:${l.Name}`,
    `Licence ${l.Name}${category ? ` (${category})` : ''}`,
    severity(l.Severity, ctx.severities),
    [l.Link],
  );
  const pkg = cleanText(l.PkgName);
  const file = cleanText(l.FilePath);
  if (pkg) finding.component = file ? { name: pkg, path: file } : { name: pkg };
  else if (file) finding.location = { path: file };
  const evidence = [
    ctx.target ? `Target: ${ctx.target}` : undefined,
    l.Confidence !== undefined ? `Confidence: ${l.Confidence}` : undefined,
  ].filter((line): line is string => line !== undefined);
  if (evidence.length) finding.evidence = evidence.join('\n');
  return { ok: true, finding };
}

export function otherFinding(list: OtherFindingList, value: unknown, ctx: Context): OtherResult {
  switch (list) {
    case 'Misconfigurations':
      return misconfiguration(value, ctx);
    case 'Secrets':
      return secret(value, ctx);
    case 'Licenses':
      return license(value, ctx);
  }
}
