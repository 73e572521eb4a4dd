/**
 * `npm run fuzz` for the IPC contract: random and boundary payloads (wrong types, huge
 * strings, deep nesting, prototype keys, near-valid objects made of the contract's own
 * field names) on every channel, through the same router the Electron and harness
 * transports use, against a real unlocked vault. Each call must return `{ ok: true }` or
 * a typed error (never INTERNAL, never a throw, never a hang), and a failed call must
 * leave the vault as it was (the audit chain's head, which every state change moves, and
 * the row counts of the main tables).
 *
 * Channels that open connections or windows are only called while the vault has no hosts
 * and no approvals (so they cannot reach any address); host-creating channels run after.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger } from '../../src-main/core/logger';
import { createCore, type Core } from '../../src-main/ipc/core';
import { channelNames } from '../../src-preload/contract';
import { PASS, TEST_KDF } from '../helpers/vault';
import { rng } from './mutate';

export interface IpcFuzzOptions {
  cases: number;
  seed: number;
  maxSeconds: number;
}

export interface IpcFuzzResult {
  cases: number;
  channels: number;
  untyped: string[];
  changedOnFailure: string[];
  seconds: number;
}

/** Creates hosts: run after the channels that would connect to one. */
const CREATES_HOSTS = new Set(['hosts.add', 'hosts.fromAssets', 'hosts.importKnownHosts']);
/** Would connect to a host or open a browser: only called before any host exists. */
const CONNECTS = new Set([
  'hosts.fetchHostKey',
  'push.run',
  'push.resume',
  'push.rollbackHost',
  'app.openExternal',
]);

const FIELD_NAMES = [
  ...new Set(
    [
      ...readFileSync(join(import.meta.dirname, '../../src-preload/contract.ts'), 'utf8').matchAll(
        /^\s+(\w+): z\./gm,
      ),
    ].map((m) => m[1] as string),
  ),
];

function deep(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i += 1) v = i % 2 ? [v] : { a: v };
  return v;
}

function payloadMaker(random: () => number): () => unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const scalars: (() => unknown)[] = [
    () => undefined,
    () => null,
    () => random() < 0.5,
    () => pick([0, -1, 1, 2 ** 31, 2 ** 53 + 1, -0, 1.5, Number.NaN, Infinity, -Infinity]),
    () => Math.floor(random() * 20),
    () => pick(['', 'a', '0', 'true', '../../../etc/passwd', '\u0000', '<script>x</script>']),
    () => pick(['2026-01-01', '9999-99-99', 'CVE-2021-44228', '10.0.0.0/8', '::1', 'alice']),
    () => 'x'.repeat(pick([256, 65_537, 1_000_001])),
    () => String.fromCharCode(...Array.from({ length: 40 }, () => Math.floor(random() * 0xffff))),
  ];
  const value = (level: number): unknown => {
    const r = random();
    if (level > 2 || r < 0.55) return pick(scalars)();
    if (r < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => value(level + 1));
    if (r < 0.75) return deep(pick([100, 5_000, 50_000]), pick(scalars)());
    if (r < 0.8)
      return JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}');
    if (r < 0.83) return Array.from({ length: 100_000 }, (_, i) => i);
    const obj: Record<string, unknown> = {};
    for (let i = Math.floor(random() * 6); i > 0; i -= 1) obj[pick(FIELD_NAMES)] = value(level + 1);
    if (random() < 0.3) obj['confirm'] = true;
    return obj;
  };
  return () => value(0);
}

function fingerprint(core: Core): string | null {
  if (core.ctx.vault.state() !== 'unlocked') return null;
  const db = core.ctx.vault.session().db;
  const head = db.prepare('SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1').get();
  const counts = ['assets', 'findings', 'drafts', 'hosts', 'approvals', 'operators', 'scans']
    .map((t) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get())
    .join(',');
  return `${JSON.stringify(head)}|${counts}`;
}

async function idle(core: Core): Promise<void> {
  while (core.ctx.jobs.runningCount() > 0) await new Promise((r) => setTimeout(r, 20));
}

async function freshCore(): Promise<Core> {
  const core = createCore({
    runtime: { transport: 'direct' },
    logger: createMemoryLogger(),
    vaultPath: join(mkdtempSync(join(tmpdir(), 'vz-fuzz-ipc-')), 'vault.vz'),
    kdf: TEST_KDF,
    llm: { threads: 1 },
  });
  const created = await core.router.call('vault.create', { operator: 'alice', passphrase: PASS });
  if (!created.ok) throw new Error(`vault.create: ${created.error.message}`);
  return core;
}

function describeValue(v: unknown): string {
  try {
    return (JSON.stringify(v) ?? String(v)).slice(0, 160);
  } catch {
    return String(v).slice(0, 160);
  }
}

export async function fuzzIpc(options: IpcFuzzOptions): Promise<IpcFuzzResult> {
  const random = rng(options.seed);
  const payload = payloadMaker(random);
  const all = channelNames();
  const phaseOne = all.filter((c) => !CREATES_HOSTS.has(c));
  const phaseTwo = all.filter((c) => !CONNECTS.has(c));
  const result: IpcFuzzResult = {
    cases: 0,
    channels: all.length,
    untyped: [],
    changedOnFailure: [],
    seconds: 0,
  };
  const started = performance.now();
  let core = await freshCore();
  for (let i = 0; i < options.cases; i += 1) {
    if ((performance.now() - started) / 1000 > options.maxSeconds) break;
    const channels = i < options.cases / 2 ? phaseOne : phaseTwo;
    const channel = channels[i % channels.length] as string;
    const input = payload();
    await idle(core);
    const before = fingerprint(core);
    let outcome: unknown;
    try {
      outcome = await Promise.race([
        core.router.call(channel, input),
        new Promise((resolve) => setTimeout(() => resolve('hang'), 15_000).unref()),
      ]);
    } catch (error) {
      outcome = { thrown: String(error) };
    }
    result.cases += 1;
    const typed =
      typeof outcome === 'object' &&
      outcome !== null &&
      'ok' in outcome &&
      (outcome.ok === true ||
        ('error' in outcome &&
          typeof (outcome.error as { code?: unknown }).code === 'string' &&
          (outcome.error as { code: string }).code !== 'INTERNAL'));
    if (!typed)
      result.untyped.push(`${channel} ${describeValue(input)} → ${describeValue(outcome)}`);
    await idle(core);
    if (typed && (outcome as { ok: boolean }).ok === false && before !== null) {
      const after = fingerprint(core);
      if (after !== null && after !== before)
        result.changedOnFailure.push(`${channel} ${describeValue(input)}: ${before} → ${after}`);
    }
    if (({} as Record<string, unknown>)['polluted'] !== undefined)
      result.untyped.push(`${channel}: Object.prototype was polluted`);
    // A successful lock (or operator change) ends the session: start again unlocked.
    if (core.ctx.vault.state() !== 'unlocked') {
      const again = await core.router.call('vault.unlock', { operator: 'alice', passphrase: PASS });
      if (!again.ok) {
        await core.dispose();
        core = await freshCore();
      }
    }
  }
  await idle(core);
  await core.dispose();
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
