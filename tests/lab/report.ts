/** The lab's figures (docs/lab.md says what each means) and its Markdown report. */
import { percentile } from '../bench/report';
import type { Fault } from './faults';
import type { HostHealth } from './health';
import type { LabHost } from './lab-host';
import type { AdvisoryRun } from './push-advisory';

export interface LabInput {
  hosts: readonly LabHost[];
  faults: ReadonlyMap<string, Fault | null>;
  fixable: number;
  stillVulnerable: number;
  findings: readonly { status: string }[];
  runs: readonly AdvisoryRun[];
  health: readonly HostHealth[];
  confirmedAt: number;
}

export interface LabSummary extends LabInput {
  fixedVerified: number;
  fixedVerifiedPct: number;
  hostsBroken: number;
  rollbacksNeeded: number;
  rollbacksOk: number;
  ttrS: number;
}

export function summarize(input: LabInput): LabSummary {
  const fixedVerified = Math.min(
    input.findings.filter((f) => f.status === 'fixed_verified').length,
    input.fixable - input.stillVulnerable,
  );
  const rollbacks = input.runs.flatMap((r) => r.phaseA.filter((a) => a.rollbackRan));
  const ok = rollbacks.filter(
    (a) =>
      (a.state === 'rolled_back' && a.restored === true) ||
      (a.manual && a.state === 'rollback_failed'),
  );
  const ttr = input.runs.flatMap((r) =>
    [...r.fixedAt.keys()].map(() => (input.confirmedAt - r.approvedAt) / 1000),
  );
  return {
    ...input,
    fixedVerified,
    fixedVerifiedPct: input.fixable ? (100 * fixedVerified) / input.fixable : 0,
    hostsBroken: input.health.filter((h) => h.broken).length,
    rollbacksNeeded: rollbacks.length,
    rollbacksOk: ok.length,
    ttrS: ttr.length ? percentile(ttr, 50) : 0,
  };
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function labReport(s: LabSummary, meta: { faults: number; wallS: number }): string {
  const lines = [
    '# VulnZero remediation lab report',
    '',
    `Run ${new Date().toISOString()}: ${s.hosts.length} real Debian bookworm hosts, ${s.runs.length} advisories, ${meta.faults} kinds of fault injected, ${meta.wallS.toFixed(0)} s.`,
    '',
    '| Figure | Value |',
    '| --- | --- |',
    `| fixable findings (first scan) | ${s.fixable} |`,
    `| fixed, verified by push and gone from the rescan | ${s.fixedVerified} (${s.fixedVerifiedPct.toFixed(1)} %) |`,
    `| still reported by the rescan | ${s.stillVulnerable} |`,
    `| rollbacks restored or declared manual / needed | ${s.rollbacksOk} / ${s.rollbacksNeeded} |`,
    `| hosts broken (dpkg --audit, apt-get check, sshd) | ${s.hostsBroken} |`,
    `| median time from approval to confirmed fix | ${s.ttrS.toFixed(0)} s |`,
    '',
    '## Hosts',
    '',
    `| Host | Fault | ${s.runs.map((r) => r.advisory.source).join(' | ')} | dpkg --audit | sshd |`,
    `| --- | --- | ${s.runs.map(() => '---').join(' | ')} | --- | --- |`,
  ];
  for (const host of s.hosts) {
    const health = s.health.find((h) => h.host === host.name);
    const outcomes = s.runs.map((r) => {
      const a = r.phaseA.find((x) => x.host === host.name);
      const end = r.final.get(host.name) ?? '-';
      return a && a.state !== end ? `${a.state} → ${end}` : end;
    });
    lines.push(
      `| ${host.name} (${host.address}) | ${s.faults.get(host.name) ?? 'none'} | ${outcomes.join(' | ')} | ${health?.dpkgAudit ? cell(health.dpkgAudit) : 'clean'} | ${cell(health?.sshBanner ?? 'no answer')} |`,
    );
  }
  lines.push('', '## Rollbacks (phase A, faults active)', '');
  for (const r of s.runs)
    for (const a of r.phaseA.filter((x) => x.rollbackRan))
      lines.push(
        `- ${a.host}, ${r.advisory.source}: ${a.state}${a.restored === null ? '' : a.restored ? ', packages back at their recorded versions' : ', packages NOT at their recorded versions'}${a.manual ? ', manual rollback declared' : ''} — ${cell(a.error ?? '')}`,
      );
  lines.push(
    '',
    'Phase A runs each advisory with the faults active; phase B clears them, resumes runs with interrupted hosts and pushes each approval again. Outcomes read "phase A → end state".',
    '',
  );
  return lines.join('\n');
}
