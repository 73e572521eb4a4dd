/**
 * One SARIF result as a normalized finding (docs/importers-app.md, "sarif"):
 * - key: a rule named by a vulnerability id (CVE-..., GHSA-...; dependency scanners'
 *   SARIF) keys the finding by that id, the artifact being the component; any other rule
 *   keys it by `<tool>:<rule id>@<file>#<fingerprint>` (or `:<line>:<column>` when the
 *   result has no fingerprint), because one rule matches many places and each place is
 *   its own finding. The rule alone is `scanner.pluginId`.
 * - severity: `security-severity` (0..10, CVSS bands), else a severity word the tool put
 *   in the properties, else the level: error high, warning medium, note low, none info.
 */
import { severityFromCvss } from '../common/cvss';
import { lookupSeverity } from '../common/severity';
import { cleanText, uniqueStrings } from '../common/text';
import type { FindingKind } from '../../../src-preload/triage-schemas';
import type { NormalizedAsset, NormalizedFinding, Severity } from '../types';
import { artifactPath, resultMessage, type CompactResult, type SarifRule } from './sarif-model';
import { APP_SEVERITY } from './severity-words';
import { chooseKey } from './vuln-key';

export const SARIF_LEVELS: Readonly<Record<string, Severity>> = {
  error: 'high',
  warning: 'medium',
  note: 'low',
  none: 'info',
};

/** problem.severity of CodeQL-style rules: error, warning, recommendation. */
const PROBLEM_SEVERITY: Readonly<Record<string, Severity>> = {
  error: 'high',
  warning: 'medium',
  recommendation: 'low',
};

const VULN_ID = /^(CVE-\d{4}-\d{4,}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3})(?:[-_:\s]+(.+))?$/i;

/** Tools whose results are not vulnerabilities (finding `kind`). */
const SECRET_TOOLS = /gitleaks|trufflehog|detect-secrets|secretlint|ggshield/i;
const CONFIG_TOOLS =
  /dockle|checkov|kics|tfsec|terrascan|hadolint|kube-?score|kube-?linter|kubesec|trivy-config/i;

export interface SarifRunInfo {
  tool: string;
  asset: NormalizedAsset;
}

export function sarifSeverity(result: CompactResult, rule: SarifRule | undefined): Severity {
  const score = result.securitySeverity ?? rule?.securitySeverity ?? result.cvss3 ?? result.cvss2;
  if (score !== undefined) return severityFromCvss(score);
  const word = lookupSeverity(result.severityWord, APP_SEVERITY);
  if (word !== undefined) return word;
  const level = result.level ?? rule?.defaultLevel;
  const fromLevel = level !== undefined ? SARIF_LEVELS[level.toLowerCase()] : undefined;
  if (fromLevel !== undefined) return fromLevel;
  const problem = rule?.severityWord?.toLowerCase();
  const fromProblem =
    problem !== undefined
      ? (PROBLEM_SEVERITY[problem] ?? lookupSeverity(problem, APP_SEVERITY))
      : undefined;
  if (fromProblem !== undefined) return fromProblem;
  // SARIF 3.27.10: without a level, "fail" results are warnings, other kinds "none".
  return result.kind === undefined || result.kind === 'fail' ? 'medium' : 'info';
}

function kindOf(
  tool: string,
  rule: SarifRule | undefined,
  result: CompactResult,
): FindingKind | undefined {
  const tags = [...(rule?.tags ?? []), ...result.tags].map((t) => t.toLowerCase());
  if (SECRET_TOOLS.test(tool) || tags.includes('secret') || tags.includes('secrets'))
    return 'secret';
  if (CONFIG_TOOLS.test(tool) || tags.includes('misconfiguration')) return 'misconfiguration';
  return undefined;
}

/** "Package: x" / "Version: 1.0" / "Fix Version: 2.0" lines some tools write in rule help. */
function helpField(help: string | undefined, label: RegExp): string | undefined {
  if (help === undefined) return undefined;
  for (const line of help.split('\n')) {
    const match = /^\s*([A-Za-z ]+?)\s*:\s*(.*)$/.exec(line);
    if (match?.[1] && label.test(match[1])) return cleanText(match[2]);
  }
  return undefined;
}

export function sarifFinding(
  result: CompactResult,
  rule: SarifRule | undefined,
  run: SarifRunInfo,
): NormalizedFinding {
  const message = resultMessage(result, rule);
  const ruleId =
    result.ruleId ?? rule?.id ?? cleanText(message?.split('\n')[0]?.slice(0, 100)) ?? 'result';
  const path = artifactPath(result.uri);
  const vulnId = VULN_ID.exec(ruleId);
  let cves = uniqueStrings([...result.cves, ...(rule?.cves ?? [])]);
  let key: string;
  let component: NormalizedFinding['component'];
  if (vulnId?.[1]) {
    const ids = chooseKey(vulnId[1], cves);
    key = ids?.key ?? vulnId[1].toUpperCase();
    cves = uniqueStrings([...(ids?.cves ?? []), ...cves]);
    const name =
      helpField(rule?.help, /^package$/i) ??
      cleanText(vulnId[2]) ??
      (path !== undefined ? path.replace(/^.*[\\/]/, '') : undefined);
    if (name !== undefined) {
      component = { name };
      const version = helpField(rule?.help, /^(installed )?version$/i);
      if (version) component.version = version;
      const fixed = helpField(rule?.help, /^fix(ed)? version$/i);
      if (fixed) component.fixedVersion = fixed;
      if (path) component.path = path;
    }
  } else {
    const where = result.fingerprint
      ? `#${result.fingerprint}`
      : result.line !== undefined
        ? `:${result.line}${result.column !== undefined ? `:${result.column}` : ''}`
        : '';
    key = `${run.tool}:${ruleId}${path !== undefined ? `@${path}` : ''}${where}`;
  }
  const finding: NormalizedFinding = {
    format: 'sarif',
    scanner: { name: run.tool, pluginId: ruleId },
    asset: run.asset,
    vulnerability: {
      key,
      cves,
      title: rule?.title ?? cleanText(message?.split('\n')[0]?.slice(0, 300)) ?? ruleId,
      severity: sarifSeverity(result, rule),
      cwes: uniqueStrings([...result.cwes, ...(rule?.cwes ?? [])]),
      references: uniqueStrings([rule?.helpUri]),
    },
  };
  if (result.cvss3 !== undefined) finding.vulnerability.cvss3 = result.cvss3;
  if (result.cvss2 !== undefined) finding.vulnerability.cvss2 = result.cvss2;
  const kind = kindOf(run.tool, rule, result);
  if (kind !== undefined) finding.kind = kind;
  if (component !== undefined) finding.component = component;
  if (path !== undefined) {
    finding.location = { path };
    if (result.line !== undefined) finding.location.line = result.line;
    if (result.column !== undefined) finding.location.column = result.column;
  }
  if (rule?.description) finding.description = rule.description;
  const evidence = [
    message,
    result.snippet ? `Snippet:\n${result.snippet}` : undefined,
    result.otherLocations > 0
      ? `${result.otherLocations} more location(s) in the result`
      : undefined,
  ].filter((part): part is string => part !== undefined && part !== '');
  if (evidence.length > 0) finding.evidence = evidence.join('\n\n');
  return finding;
}
