/** How the CLI prints a draft (drafts create/show/lint/edit/ready/unready/archive). */
import type { DraftDetail } from '../../drafts/store';

export function describeDraft(d: DraftDetail): string {
  const latest = d.versions.at(-1);
  const lintRan = latest?.lint.filter((l) => l.ran) ?? [];
  const notLinted = latest?.lint.filter((l) => !l.ran).map((l) => `${l.step} (${l.tool})`) ?? [];
  return [
    `Draft #${d.id}: ${d.title}${d.kind === 'patch' ? ' [manifest patch]' : ''}`,
    `state ${d.state}, version ${d.latestVersion} (${latest?.engine}), ${d.findings} finding(s) on ${d.hosts.length} ${d.kind === 'patch' ? 'asset' : 'host'}(s)`,
    `sha256 ${latest?.sha256}`,
    `lint: ${lintRan.every((l) => l.ok) ? 'passed' : 'FAILED'}${notLinted.length ? `; not linted: ${notLinted.join(', ')}` : ''}`,
    latest?.policy.blocked
      ? `policy: BLOCKED\n${latest.policy.findings.map((f) => `  ${f.step}:${f.line} ${f.rule}: ${f.reason}`).join('\n')}`
      : 'policy: passed',
  ].join('\n');
}

/** The lint messages of the latest version, one block per step and tool. */
export function lintMessages(d: DraftDetail): string[] {
  return (d.versions.at(-1)?.lint ?? [])
    .filter((l) => l.messages.length)
    .map(
      (l) =>
        `${l.step} ${l.tool}:\n${l.messages.map((m) => `  ${m.line ?? '-'}: ${m.code ?? ''} ${m.message}`).join('\n')}`,
    );
}

/** Whether the latest version may be marked ready: not blocked, every tool that ran passed. */
export function latestPasses(d: DraftDetail): boolean {
  const latest = d.versions.at(-1);
  return latest !== undefined && !latest.policy.blocked && latest.lint.every((l) => l.ok);
}

/** The body of one version: its four scripts, or its bumps, skipped dependencies and diff. */
export function versionText(v: DraftDetail['versions'][number]): string {
  if (v.patch)
    return [
      ...v.patch.bumps.map(
        (b) => `bump ${b.name} ${b.from} -> ${b.to} (${v.patch?.file}:${b.line})`,
      ),
      ...v.patch.skipped.map((s) => `not changed: ${s.name}: ${s.reason}`),
      `--- patch`,
      v.patch.diff,
    ].join('\n');
  const scripts = v.content;
  return scripts
    ? (['precheck', 'apply', 'verify', 'rollback'] as const)
        .map((s) => `--- ${s}\n${scripts[s]}`)
        .join('\n')
    : '';
}
