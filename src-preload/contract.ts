/**
 * The IPC contract: the single source of truth for every channel and event stream
 * between the renderer and the core. Adding a channel is one entry here plus one
 * handler in src-main/ipc/handlers; the preload, the loopback harness, the router and
 * the renderer's types are all derived from this object.
 *
 * This file is shared by the core (Node) and the renderer (DOM): it may import zod and
 * nothing else.
 */
import { z } from 'zod';

export interface ChannelDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly summary: string;
}

function channel<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  summary: string,
): ChannelDef<I, O> {
  return { input, output, summary };
}

/** Channels without input take `undefined` (the renderer calls them with no argument). */
const none = z.undefined();

const jobId = z.string().min(1).max(64);

export const contract = {
  app: {
    version: channel(
      none,
      z.object({
        name: z.string(),
        version: z.string(),
        node: z.string(),
        electron: z.string().nullable(),
        transport: z.enum(['electron', 'harness', 'direct']),
      }),
      'Application and runtime versions.',
    ),
    health: channel(
      none,
      z.object({
        status: z.literal('ok'),
        uptimeMs: z.number().nonnegative(),
        vault: z.enum(['absent', 'locked', 'unlocked']),
        runningJobs: z.number().int().nonnegative(),
      }),
      'Liveness of the core: vault state and running jobs.',
    ),
    openExternal: channel(
      z.object({ url: z.string().max(2048) }),
      z.object({ opened: z.boolean(), reason: z.string().optional() }),
      'Open a link in the system browser, only for allow-listed hosts.',
    ),
  },
  jobs: {
    list: channel(
      none,
      z.array(
        z.object({
          jobId,
          kind: z.string(),
          state: z.enum(['running', 'done', 'failed', 'cancelled']),
          startedAt: z.string(),
        }),
      ),
      'Long-running jobs known to the core.',
    ),
    cancel: channel(
      z.object({ jobId }),
      z.object({ cancelled: z.boolean() }),
      'Ask a running job to stop; it stops at its next safe point.',
    ),
  },
} as const;

/** Event streams pushed from the core to the renderer. */
export const events = {
  progress: z.object({
    jobId,
    kind: z.string(),
    phase: z.string(),
    done: z.number().nonnegative(),
    total: z.number().nonnegative().nullable(),
    message: z.string().optional(),
  }),
  jobFinished: z.object({
    jobId,
    kind: z.string(),
    state: z.enum(['done', 'failed', 'cancelled']),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  }),
} as const;

/**
 * Stable error codes that may cross the bridge. Domain modules add theirs here so the
 * renderer and scripts can branch on them.
 */
export const ERROR_CODES = [
  'UNKNOWN_CHANNEL',
  'INVALID_INPUT',
  'INVALID_OUTPUT',
  'INTERNAL',
  'FORBIDDEN_SENDER',
  'NOT_FOUND',
  'CANCELLED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface BridgeError {
  code: string;
  message: string;
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

export type Contract = typeof contract;
export type Namespace = keyof Contract;
export type MethodOf<N extends Namespace> = keyof Contract[N] & string;
export type ChannelName = { [N in Namespace]: `${N}.${MethodOf<N>}` }[Namespace];

type DefOf<C extends ChannelName> = C extends `${infer N}.${infer M}`
  ? N extends Namespace
    ? M extends keyof Contract[N]
      ? Contract[N][M]
      : never
    : never
  : never;

export type Input<C extends ChannelName> =
  DefOf<C> extends ChannelDef<infer I, z.ZodType> ? z.input<I> : never;
export type Output<C extends ChannelName> =
  DefOf<C> extends ChannelDef<z.ZodType, infer O> ? z.output<O> : never;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** Looks a channel up by its wire name ("app.version"); undefined when unknown. */
export function findChannel(name: string): ChannelDef | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const ns = name.slice(0, dot);
  const method = name.slice(dot + 1);
  if (!Object.hasOwn(contract, ns)) return undefined;
  const group = contract[ns as Namespace] as Record<string, ChannelDef>;
  return Object.hasOwn(group, method) ? group[method] : undefined;
}

export function channelNames(): ChannelName[] {
  const names: string[] = [];
  for (const [ns, group] of Object.entries(contract)) {
    for (const method of Object.keys(group)) names.push(`${ns}.${method}`);
  }
  return names as ChannelName[];
}
