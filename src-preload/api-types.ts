/**
 * The type of `window.vulnzero`, derived from the contract (the renderer imports only
 * this type, never the preload's runtime).
 */
import type { z } from 'zod';
import type {
  ChannelDef,
  Contract,
  EventName,
  EventPayload,
  MethodOf,
  Namespace,
  Result,
} from './contract';

type Fn<D> =
  D extends ChannelDef<infer I, infer O>
    ? undefined extends z.input<I>
      ? (input?: z.input<I>) => Promise<Result<z.output<O>>>
      : (input: z.input<I>) => Promise<Result<z.output<O>>>
    : never;

export type VulnzeroEvents = {
  [E in EventName as `on${Capitalize<E>}`]: (
    listener: (payload: EventPayload<E>) => void,
  ) => () => void;
};

export type VulnzeroApi = {
  readonly [N in Namespace]: { readonly [M in MethodOf<N>]: Fn<Contract[N][M]> };
} & {
  readonly events: VulnzeroEvents;
  /** Path of a dropped or picked file (see FileAccess in api-shape.ts). */
  readonly files: { pathFor(file: File): Promise<Result<string>> };
};
