import type { EventName, EventPayload } from '../../src-preload/contract';

/** Where the core pushes events; each transport (Electron, harness, CLI) provides one. */
export interface EventSink {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

/** A sink that fans out to any number of listeners (the harness keeps one per client). */
export interface EventHub extends EventSink {
  subscribe(listener: (name: EventName, payload: unknown) => void): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<(name: EventName, payload: unknown) => void>();
  return {
    emit(name, payload) {
      for (const listener of listeners) listener(name, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
