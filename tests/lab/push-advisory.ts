/**
 * One advisory through the operator's loop, all by CLI: its rule draft (drafts groups →
 * drafts create → drafts ready), push targets made from the imported assets and pinned,
 * approval for every host, `push run` in waves (phase A, faults active), then the retry
 * (phase B: `push resume` for a run with interrupted hosts, `push run` again for hosts
 * that did not end fixed). Each host that went through a rollback is checked against the
 * versions the lab recorded before the run, independently of what the scripts said.
 */
import type { Output } from '../../src-preload/contract';
import { installedVersions } from './debian-root';
import { LAB_USER, type LabHost } from './lab-host';
import type { Lab } from './lab-setup';
import type { Operator } from './operator';
import type { Advisory } from './scan';

type RunStatus = Output<'push.status'>;

export interface HostAttempt {
  host: string;
  state: string;
  error: string | null;
  /** The engine ran the rollback script on this host. */
  rollbackRan: boolean;
  /** After a rollback: the advisory's packages are back at the lab's recorded versions. */
  restored: boolean | null;
  /** The rollback said "MANUAL ROLLBACK needed" (with the reason). */
  manual: boolean;
}

export interface AdvisoryRun {
  advisory: Advisory;
  approvalId: number;
  approvedAt: number;
  fixedAt: Map<string, number>;
  runIds: number[];
  phaseA: HostAttempt[];
  /** Each host's state when the advisory's last run ended. */
  final: Map<string, string>;
}

const FIXED = ['verified', 'already_fixed'];
const RESUMABLE = ['pending', 'interrupted', 'cancelled'];
/** Targets made so far (asset name → push target name), shared by every advisory. */
const targets = new Map<string, string>();

/** `hosts from-assets` for a lab host: its operator account, sudo -n and its own key. */
export function fromAssetsArgs(assetId: number, host: LabHost): string[] {
  return [
    'hosts',
    'from-assets',
    String(assetId),
    '--user',
    LAB_USER,
    '--sudo',
    'sudo-n',
    '--key',
    host.clientKeyPath,
    '--json',
  ];
}

function groupKeyFor(keys: readonly string[], advisory: Advisory): string {
  const want = advisory.builds.map((b) => `${b.name}=${b.version}`).sort();
  const key = keys.find((k) => {
    if (!k.startsWith('pkg:debian:')) return false;
    const have = k.slice('pkg:debian:'.length).split(',').sort();
    return have.length === want.length && have.every((t, i) => t === want[i]);
  });
  if (!key) throw new Error(`no rule group for ${advisory.source}; groups: ${keys.join(' ')}`);
  return key;
}

async function ensureTargets(
  vz: Operator,
  lab: Lab,
  hosts: readonly { assetId: number; name: string }[],
): Promise<string[]> {
  for (const h of hosts) {
    if (targets.has(h.name)) continue;
    const host = lab.hosts.find((l) => l.name === h.name);
    if (!host) throw new Error(`the draft names ${h.name}, which is not a lab host`);
    const [made] = await vz.json<{ name: string; address: string }[]>(
      fromAssetsArgs(h.assetId, host),
    );
    if (made?.address !== host.address)
      throw new Error(`${h.name}: target address ${made?.address}, expected ${host.address}`);
    await vz.must(['hosts', 'pin', made.name, '--fingerprint', host.fingerprint]);
    targets.set(h.name, made.name);
  }
  return hosts.map((h) => targets.get(h.name) as string);
}

function attempts(status: RunStatus, advisory: Advisory, lab: Lab): HostAttempt[] {
  return status.hosts.map((h) => {
    const steps = status.steps.filter((s) => s.hostId === h.hostId);
    const rollback = steps.filter((s) => s.step === 'rollback');
    const host = lab.hosts.find((l) => l.name === h.name);
    let restored: boolean | null = null;
    if (rollback.length && host) {
      const now = installedVersions(host.root);
      const was = lab.before.get(h.name);
      restored = advisory.builds.every((b) => now.get(b.name) === was?.get(b.name));
    }
    return {
      host: h.name,
      state: h.state,
      error: h.error,
      rollbackRan: rollback.length > 0,
      restored,
      manual: rollback.some((s) => (s.stderr ?? '').includes('MANUAL ROLLBACK')),
    };
  });
}

function noteFixed(run: AdvisoryRun, status: RunStatus): void {
  for (const h of status.hosts) {
    run.final.set(h.name, h.state);
    if (FIXED.includes(h.state) && !run.fixedAt.has(h.name)) run.fixedAt.set(h.name, Date.now());
  }
}

export async function pushAdvisory(
  vz: Operator,
  advisory: Advisory,
  lab: Lab,
  log: (line: string) => void,
): Promise<AdvisoryRun> {
  const groups = await vz.json<{ groupKey: string }[]>(['drafts', 'groups', '--json']);
  const key = groupKeyFor(
    groups.map((g) => g.groupKey),
    advisory,
  );
  const draft = await vz.json<Output<'drafts.get'>>(['drafts', 'create', '--group', key, '--json']);
  await vz.must(['drafts', 'ready', String(draft.id)]);
  const names = await ensureTargets(vz, lab, draft.hosts);
  const version = draft.versions.at(-1)?.id;
  const approval = await vz.json<{ id: number }>([
    'approve',
    String(version),
    '--targets',
    names.join(','),
    '--wave-percent',
    '40',
    '--concurrency',
    '3',
    '--max-fail-percent',
    '100',
    '--step-timeout',
    '300',
    '--comment',
    `lab: ${advisory.source}`,
    '--json',
  ]);
  const approvedAt = Date.now();
  const status = await vz.json<RunStatus>(['push', 'run', String(approval.id), '--json'], [0, 1]);
  const run: AdvisoryRun = {
    advisory,
    approvalId: approval.id,
    approvedAt,
    fixedAt: new Map(),
    runIds: [status.id],
    phaseA: attempts(status, advisory, lab),
    final: new Map(),
  };
  noteFixed(run, status);
  log(
    `${advisory.source}: run #${status.id} ${status.state}: ${status.hosts.map((h) => `${h.name} ${h.state}`).join(', ')}`,
  );
  return run;
}

export async function retryAdvisory(
  vz: Operator,
  run: AdvisoryRun,
  log: (line: string) => void,
): Promise<void> {
  const first = run.runIds[0] as number;
  let status = await vz.json<RunStatus>(['push', 'status', String(first), '--json']);
  if (status.hosts.some((h) => RESUMABLE.includes(h.state))) {
    status = await vz.json<RunStatus>(['push', 'resume', String(first), '--json'], [0, 1]);
    noteFixed(run, status);
    log(`${run.advisory.source}: resumed run #${first}: ${status.state}`);
  }
  if ([...run.final.values()].some((s) => !FIXED.includes(s))) {
    status = await vz.json<RunStatus>(['push', 'run', String(run.approvalId), '--json'], [0, 1]);
    run.runIds.push(status.id);
    noteFixed(run, status);
    log(
      `${run.advisory.source}: retry run #${status.id} ${status.state}: ${status.hosts.map((h) => `${h.name} ${h.state}`).join(', ')}`,
    );
  }
}
