/**
 * Policy guard: deny-listed operations mark a draft BLOCKED, with the step, line and
 * reason of each hit. Applies to every draft version, whatever wrote it. Admins can
 * disable built-in rules and add their own patterns (vault setting `drafts.policy`);
 * air-gapped mode (on by default) also denies network downloads. Each evaluation is
 * stored with the draft version together with the hash of the policy it used.
 *
 * Scripts are checked line by line after joining backslash continuations and dropping
 * comments, so a rule cannot be dodged by splitting a command over two lines.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { STEPS, type DraftContent, type policyResult } from '../../src-preload/drafts-schemas';
import { VzError } from '../core/errors';
import { readSetting } from '../vault/settings';
import type { VaultSession } from '../vault/session';
import type { Db } from '../vault/sqlcipher';

export type PolicyResult = z.infer<typeof policyResult>;

export interface PolicyRule {
  name: string;
  pattern: RegExp;
  reason: string;
  /** Only in air-gapped mode. */
  airGappedOnly?: boolean;
}

const SYSTEM_DIRS =
  '(?:bin|boot|dev|etc|home|lib|lib32|lib64|opt|proc|root|run|sbin|srv|sys|usr|var)';

export const BUILTIN_RULES: readonly PolicyRule[] = [
  {
    name: 'recursive-delete-system-path',
    pattern: new RegExp(
      `\\brm\\s+(?:-[A-Za-z]*[rR][A-Za-z]*|--recursive)\\b(?:\\s+-[^\\s;&|]+)*(?:\\s+[^\\s;&|]+)*?\\s+["']?(?:/|/\\*|/${SYSTEM_DIRS}/?\\*?|~|\\$HOME)["']?(?=\\s|;|&|\\||$)`,
    ),
    reason: 'recursive delete of the root or a system directory',
  },
  {
    name: 'mkfs',
    pattern: /\bmkfs(?:\.\w+)?\b|\bmke2fs\b|\bwipefs\b/,
    reason: 'creates a file system (destroys data)',
  },
  {
    name: 'dd-to-block-device',
    pattern: /\bdd\b[^;|&]*\bof=\/dev\/(?:sd|hd|vd|xvd|nvme|mmcblk|dm-|md|disk|mapper)/,
    reason: 'dd onto a block device',
  },
  {
    name: 'recursive-chmod-chown-root',
    pattern:
      /\bch(?:mod|own|grp)\s+(?:-[A-Za-z]*R[A-Za-z]*|--recursive)\b[^;|&]*\s["']?\/["']?(?=\s|;|&|\||$)/,
    reason: 'recursive permission or owner change of /',
  },
  {
    name: 'disable-security-controls',
    pattern:
      /\bufw\s+disable\b|\b(?:systemctl|service)\s+(?:stop|disable|mask)\s+(?:[\w@.-]+\s+)*(?:firewalld|ufw|iptables|ip6tables|nftables|apparmor|auditd|selinux)\b|\bservice\s+(?:firewalld|ufw|iptables|apparmor|auditd)\s+stop\b|\biptables\s+(?:-F|--flush)\b|\bnft\s+flush\s+ruleset\b|\bsetenforce\s+(?:0|[Pp]ermissive)\b|SELINUX=(?:disabled|permissive)|\baa-teardown\b|\baa-complain\b|\bauditctl\s+-e\s*0\b/,
    reason: 'disables the firewall, SELinux, AppArmor or auditd',
  },
  {
    name: 'add-user',
    pattern:
      /\b(?:useradd|adduser|newusers)\b|\busermod\b[^;|&]*\s-(?:a?G|aG)\s*\S*\b(?:sudo|wheel|admin|root)\b|\bpasswd\b[^;|&]*--stdin|\bchpasswd\b/,
    reason: 'adds a user or grants admin rights',
  },
  {
    name: 'ssh-keys',
    pattern: /authorized_keys2?\b/,
    reason: 'adds or changes SSH authorized keys',
  },
  { name: 'sudoers', pattern: /\/etc\/sudoers\b|\bvisudo\b/, reason: 'edits sudoers' },
  {
    name: 'pipe-download-to-shell',
    pattern:
      /\b(?:curl|wget|fetch)\b[^;&]*\|\s*(?:sudo\s+)?(?:ba|da|z|k|c|tc)?sh\b|\b(?:ba|da|z)?sh\s+<\(\s*(?:curl|wget)\b|\b(?:ba|da|z)?sh\s+-c\s+["']?\$\((?:curl|wget)\b/,
    reason: 'pipes a download into a shell',
  },
  {
    name: 'base64-execution',
    pattern:
      /\bbase64\s+(?:-d|--decode|-D)\b[^;&]*\|\s*(?:sudo\s+)?(?:ba|da|z|k)?sh\b|\beval\b[^;&]*\bbase64\b|\b(?:ba|da|z)?sh\s+-c\s+["']?\$\([^)]*base64/,
    reason: 'executes base64-decoded code',
  },
  {
    name: 'history-wipe',
    pattern:
      /\bhistory\s+-[cw]\b|\bunset\s+HISTFILE\b|\bHISTFILE=\/dev\/null|\bHISTSIZE=0\b|\.bash_history\b|\bshred\b[^;|&]*\/var\/log|>\s*\/var\/log\/(?:wtmp|btmp|lastlog|auth\.log|secure)\b/,
    reason: 'wipes shell history or login records',
  },
  {
    name: 'network-download',
    pattern:
      /\b(?:curl|wget|fetch|aria2c|ftp|tftp)\b|\b(?:https?|ftp):\/\/|\bnc\b[^;|&]*\s\d+\s*$|\bscp\b[^;|&]*\S+:\S*|\brsync\b[^;|&]*\S+::?\S*/,
    reason: 'network download (the vault is in air-gapped mode)',
    airGappedOnly: true,
  },
];

export const policySettings = z
  .object({
    airGapped: z.boolean().default(true),
    disabledRules: z.array(z.string()).default([]),
    extraRules: z
      .array(
        z.object({
          name: z.string().min(1).max(60),
          pattern: z.string().min(1).max(500),
          reason: z.string().min(1).max(200),
        }),
      )
      .max(100)
      .default([]),
  })
  .strict();
export type PolicySettings = z.infer<typeof policySettings>;

export const POLICY_SETTING = 'drafts.policy';

export function readPolicy(db: Db): PolicySettings {
  const parsed = policySettings.safeParse(readSetting<unknown>(db, POLICY_SETTING, {}));
  return parsed.success ? parsed.data : policySettings.parse({});
}

/** Validates an admin's policy change: unknown built-in names and bad patterns are refused. */
export function parsePolicy(value: unknown): PolicySettings {
  const parsed = policySettings.safeParse(value);
  if (!parsed.success)
    throw new VzError(
      'INVALID_INPUT',
      `Invalid draft policy: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const unknown = parsed.data.disabledRules.filter((n) => !BUILTIN_RULES.some((r) => r.name === n));
  if (unknown.length)
    throw new VzError('INVALID_INPUT', `Unknown policy rule(s): ${unknown.join(', ')}.`);
  for (const rule of parsed.data.extraRules) {
    try {
      new RegExp(rule.pattern);
    } catch (error) {
      throw new VzError('INVALID_INPUT', `Policy rule "${rule.name}": ${(error as Error).message}`);
    }
  }
  return parsed.data;
}

export interface PolicyView extends PolicySettings {
  builtinRules: { name: string; reason: string; airGappedOnly: boolean }[];
}

/** The policy as the Drafts screen and `vulnzero drafts policy show` present it. */
export function policyView(db: Db): PolicyView {
  return {
    ...readPolicy(db),
    builtinRules: BUILTIN_RULES.map((r) => ({
      name: r.name,
      reason: r.reason,
      airGappedOnly: r.airGappedOnly === true,
    })),
  };
}

/**
 * An admin's policy change (drafts.setPolicy, `vulnzero drafts policy set`): validated,
 * stored and audited as `settings.set`; drafts are re-checked when next edited or linted.
 */
export function setPolicy(session: VaultSession, value: unknown): PolicySettings {
  const settings = parsePolicy(value);
  session.setSetting(POLICY_SETTING, settings);
  return settings;
}

function rulesOf(settings: PolicySettings): PolicyRule[] {
  return [
    ...BUILTIN_RULES.filter(
      (r) => !settings.disabledRules.includes(r.name) && (!r.airGappedOnly || settings.airGapped),
    ),
    ...settings.extraRules.map((r) => ({
      name: r.name,
      pattern: new RegExp(r.pattern),
      reason: r.reason,
    })),
  ];
}

/** Logical lines: continuations joined, comments and here-doc markers kept as text. */
function logicalLines(script: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const physical = script.split('\n');
  for (let i = 0; i < physical.length; i += 1) {
    const start = i;
    let text = physical[i] ?? '';
    while (text.endsWith('\\') && i + 1 < physical.length) {
      i += 1;
      text = `${text.slice(0, -1)} ${physical[i] ?? ''}`;
    }
    const trimmed = text.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    out.push({ line: start + 1, text: trimmed.replace(/\s+#[^'"]*$/, '') });
  }
  return out;
}

export function evaluatePolicy(
  content: DraftContent,
  settings: PolicySettings,
  now = new Date(),
): PolicyResult {
  const rules = rulesOf(settings);
  const findings: PolicyResult['findings'] = [];
  for (const step of STEPS) {
    for (const { line, text } of logicalLines(content[step])) {
      for (const rule of rules) {
        if (rule.pattern.test(text))
          findings.push({
            step,
            rule: rule.name,
            line,
            excerpt: text.slice(0, 200),
            reason: rule.reason,
          });
      }
    }
  }
  return {
    blocked: findings.length > 0,
    airGapped: settings.airGapped,
    findings,
    evaluatedAt: now.toISOString(),
    policyHash: createHash('sha256')
      .update(
        JSON.stringify({
          v: 1,
          builtin: BUILTIN_RULES.map((r) => [r.name, r.pattern.source]),
          settings,
        }),
      )
      .digest('hex'),
  };
}
