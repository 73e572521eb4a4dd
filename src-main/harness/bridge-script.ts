import { apiShape, buildApi } from '../../src-preload/api-shape';

/**
 * The browser script that defines `window.vulnzero` in the harness. It embeds the very
 * same `buildApi` function the preload uses (serialized), over fetch + EventSource
 * instead of Electron IPC, so both transports expose an identical shape.
 */
export function bridgeScript(): string {
  return `(() => {
  'use strict';
  const shape = ${JSON.stringify(apiShape())};
  const buildApi = (${buildApi.toString()});
  const meta = document.querySelector('meta[name="vz-harness-token"]');
  const token = meta ? meta.getAttribute('content') : '';
  const invoke = async (channel, input) => {
    try {
      const res = await fetch('/__vz/call/' + encodeURIComponent(channel), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-vz-token': token },
        body: JSON.stringify(input === undefined ? {} : { input }),
      });
      if (!res.ok) return { ok: false, error: { code: 'TRANSPORT', message: 'The harness refused the call (HTTP ' + res.status + ').' } };
      return await res.json();
    } catch (e) {
      return { ok: false, error: { code: 'TRANSPORT', message: 'The core is not reachable.' } };
    }
  };
  const listeners = new Set();
  let source = null;
  const subscribe = (event, listener) => {
    const entry = { event, listener };
    listeners.add(entry);
    if (!source) {
      source = new EventSource('/__vz/events?token=' + encodeURIComponent(token));
      source.onmessage = (m) => {
        const message = JSON.parse(m.data);
        for (const l of Array.from(listeners)) if (l.event === message.name) l.listener(message.payload);
      };
    }
    return () => {
      listeners.delete(entry);
      if (listeners.size === 0 && source) { source.close(); source = null; }
    };
  };
  // Dropped and picked files: streamed to the harness, which answers with the staged path.
  const pathFor = async (file) => {
    try {
      const res = await fetch('/__vz/stage?name=' + encodeURIComponent(file.name), {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-vz-token': token },
        body: file,
      });
      if (!res.ok) return { ok: false, error: { code: 'TRANSPORT', message: 'The harness refused the file (HTTP ' + res.status + ').' } };
      return await res.json();
    } catch (e) {
      return { ok: false, error: { code: 'TRANSPORT', message: 'The core is not reachable.' } };
    }
  };
  Object.defineProperty(window, 'vulnzero', { value: buildApi(shape, invoke, subscribe, { pathFor }), writable: false, configurable: false });
})();
`;
}
