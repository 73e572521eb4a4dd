/**
 * The deterministic rules engine: which rule applies to a finding, and the draft it
 * writes. Rules come first; the local model only fills the gaps (docs/drafts.md).
 */
import type { DraftContent } from '../../../src-preload/drafts-schemas';
import { configDraft, configRuleFor } from './config-draft';
import { osFamily, packageFixes, type FindingFacts, type OsFamily, type PackageFix } from './facts';
import { packageDraft } from './package-draft';

export interface RuleInput extends FindingFacts {
  title: string;
  /** Software assets (projects, repositories) never get host scripts. */
  assetKind?: 'host' | 'software';
}

export type RuleMatch =
  | { kind: 'package'; family: OsFamily; fixes: PackageFix[]; groupKey: string }
  | { kind: 'config'; rule: 'ssh-weak-crypto' | 'tls-legacy'; groupKey: string };

const LINUX =
  /linux|ubuntu|debian|centos|red ?hat|rhel|suse|sles|alpine|alma|rocky|amazon|fedora|oracle/i;

/** The rule for one finding, or why none applies. */
export function matchRule(f: RuleInput): RuleMatch | { kind: 'none'; reason: string } {
  if (f.assetKind === 'software')
    return {
      kind: 'none',
      reason:
        'the finding is on software (a project or repository), not a host: draft a manifest patch instead',
    };
  const config = configRuleFor(f.title);
  if (config) {
    if (!LINUX.test(f.os ?? ''))
      return {
        kind: 'none',
        reason: `configuration rules cover Linux hosts; this host reports "${f.os ?? 'no OS'}"`,
      };
    return { kind: 'config', rule: config, groupKey: `cfg:${config}` };
  }
  const fixes = packageFixes(f);
  if (!fixes.length)
    return { kind: 'none', reason: 'no package with a known fixed version in this finding' };
  if (f.image && !f.os)
    return {
      kind: 'none',
      reason: `the finding is in a container image (${f.image}): rebuild the image instead of patching hosts`,
    };
  const family = osFamily(
    f.os,
    fixes.flatMap((x) => [x.fixed, x.installed ?? '']),
  );
  if (!family)
    return { kind: 'none', reason: `unknown Linux family for OS "${f.os ?? 'not reported'}"` };
  const sorted = [...fixes].sort((a, b) => a.name.localeCompare(b.name));
  return {
    kind: 'package',
    family,
    fixes: sorted,
    groupKey: `pkg:${family}:${sorted.map((x) => `${x.name}=${x.fixed}`).join(',')}`,
  };
}

export function ruleDraft(match: RuleMatch, title: string): DraftContent {
  return match.kind === 'config'
    ? configDraft(match.rule)
    : packageDraft(title, match.family, match.fixes);
}
