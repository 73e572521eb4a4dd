/**
 * The shape of `window.vulnzero`, computed from the contract. Both transports build
 * the same object from it: the preload (Electron IPC) and the loopback harness's bridge
 * script (HTTP + server-sent events). Pure data and functions: no electron, no DOM.
 */
import { contract, events, type EventName } from './contract';

export const IPC_CALL_PREFIX = 'vz:call:';
export const IPC_EVENT_CHANNEL = 'vz:event';

export interface ApiShape {
  /** namespace -> method names */
  namespaces: Record<string, string[]>;
  /** event name -> subscription function name in `window.vulnzero.events` */
  events: Record<string, string>;
}

export function subscriptionName(event: string): string {
  return `on${event.charAt(0).toUpperCase()}${event.slice(1)}`;
}

export function apiShape(): ApiShape {
  const namespaces: Record<string, string[]> = {};
  for (const [ns, group] of Object.entries(contract)) namespaces[ns] = Object.keys(group);
  const subs: Record<string, string> = {};
  for (const name of Object.keys(events)) subs[name] = subscriptionName(name);
  return { namespaces, events: subs };
}

export type Invoke = (channel: string, input: unknown) => Promise<unknown>;
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

/**
 * Not a channel: the file system path of a dropped or picked file. The preload asks
 * Electron (webUtils.getPathForFile); the harness uploads the file to a staging folder
 * beside the vault, since a browser never reveals paths. Resolves to a Result.
 */
export interface FileAccess {
  pathFor: (file: never) => Promise<unknown>;
}

/** Builds the API object; every function is a thin, frozen forwarder. */
export function buildApi(
  shape: ApiShape,
  invoke: Invoke,
  subscribe: Subscribe,
  files?: FileAccess,
): Record<string, unknown> {
  const api: Record<string, unknown> = {};
  for (const [ns, methods] of Object.entries(shape.namespaces)) {
    const group: Record<string, (input?: unknown) => Promise<unknown>> = {};
    for (const method of methods)
      group[method] = (input?: unknown) => invoke(`${ns}.${method}`, input);
    api[ns] = Object.freeze(group);
  }
  const subs: Record<string, (listener: (payload: unknown) => void) => () => void> = {};
  for (const [event, fnName] of Object.entries(shape.events)) {
    subs[fnName] = (listener) => subscribe(event as EventName, listener);
  }
  api['events'] = Object.freeze(subs);
  if (files) api['files'] = Object.freeze({ pathFor: files.pathFor });
  return Object.freeze(api);
}
