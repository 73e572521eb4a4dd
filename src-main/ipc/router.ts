import type { z } from 'zod';
import {
  findChannel,
  channelNames,
  type ChannelDef,
  type Contract,
  type MethodOf,
  type Namespace,
  type Result,
} from '../../src-preload/contract';
import type { CoreContext } from '../core/context';
import { describeThrown, isVzError } from '../core/errors';

type HandlerFn<D> =
  D extends ChannelDef<infer I, infer O>
    ? (input: z.output<I>, ctx: CoreContext) => Promise<z.input<O>> | z.input<O>
    : never;

/** One handler per contract channel, grouped like the contract; a missing one fails to compile. */
export type Handlers = { [N in Namespace]: { [M in MethodOf<N>]: HandlerFn<Contract[N][M]> } };

export interface Router {
  /** Runs one call. Never throws: every failure is a `{ ok: false }` result with a stable code. */
  call(channel: string, input: unknown): Promise<Result<unknown>>;
  channels(): string[];
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}

function fail(code: string, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/**
 * The transport-free router: validates input with the contract's schema, runs the
 * handler with the context, validates the output, and turns every error into data.
 * Electron's ipcMain, the loopback harness and tests all call `router.call`.
 */
export function createRouter(handlers: Handlers, ctx: CoreContext): Router {
  const table = new Map<string, (input: unknown, ctx: CoreContext) => unknown>();
  for (const [ns, group] of Object.entries(handlers)) {
    for (const [method, fn] of Object.entries(
      group as Record<string, (i: unknown, c: CoreContext) => unknown>,
    )) {
      table.set(`${ns}.${method}`, fn);
    }
  }

  return {
    channels: () => channelNames(),
    async call(channel, input) {
      const def = typeof channel === 'string' ? findChannel(channel) : undefined;
      const handler = def ? table.get(channel) : undefined;
      if (!def || !handler)
        return fail('UNKNOWN_CHANNEL', `Unknown channel: ${String(channel).slice(0, 100)}`);

      const parsed = def.input.safeParse(input);
      if (!parsed.success)
        return fail('INVALID_INPUT', `Invalid input for ${channel}: ${formatIssues(parsed.error)}`);

      let raw: unknown;
      try {
        raw = await handler(parsed.data, ctx);
      } catch (error) {
        if (isVzError(error)) return fail(error.code, error.message);
        ctx.logger.log('error', 'handler failed', { channel, error: describeThrown(error) });
        return fail(
          'INTERNAL',
          `Internal error in ${channel}. Details are in the application log.`,
        );
      }

      const out = def.output.safeParse(raw);
      if (!out.success) {
        ctx.logger.log('error', 'handler output does not match the contract', {
          channel,
          issues: formatIssues(out.error),
        });
        return fail(
          'INVALID_OUTPUT',
          `Internal error in ${channel}: the result did not match the contract.`,
        );
      }
      return { ok: true, value: out.data };
    },
  };
}
