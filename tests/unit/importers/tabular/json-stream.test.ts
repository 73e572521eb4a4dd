import { describe, expect, it } from 'vitest';
import {
  JSON_STREAM_THRESHOLD_BYTES,
  walkJson,
  type JsonEvent,
  type JsonWalkOptions,
} from '../../../../src-main/importers/tabular/json-stream';
import { captureError, streamOf } from './helpers';

interface Seen {
  kind: string;
  path?: readonly (string | number)[];
  value?: unknown;
  /** Fields of the enclosing frames at the time of the event. */
  fields?: unknown[];
  rootKind?: string;
  rootValue?: unknown;
}

async function walk(text: string, options: Partial<JsonWalkOptions>, threshold: number, chunk = 5) {
  const seen: Seen[] = [];
  const events = walkJson(streamOf(text, chunk), {
    fileName: 'doc.json',
    items: [],
    thresholdBytes: threshold,
    ...options,
  });
  for await (const event of events) seen.push(summarize(event));
  return seen;
}

function summarize(event: JsonEvent): Seen {
  if (event.kind === 'item') {
    return {
      kind: 'item',
      path: event.path,
      value: event.value,
      fields: event.frames.map((frame) => ({ ...frame.fields })),
    };
  }
  if (event.kind === 'close') {
    return { kind: 'close', path: event.frame.path, fields: [{ ...event.frame.fields }] };
  }
  return { kind: 'end', rootKind: event.rootKind, rootValue: event.rootValue };
}

/** Runs both paths and checks they agree; returns the events. */
async function both(text: string, options: Partial<JsonWalkOptions>): Promise<Seen[]> {
  const parsed = await walk(text, options, JSON_STREAM_THRESHOLD_BYTES);
  const streamed = await walk(text, options, 0);
  expect(streamed).toEqual(parsed);
  return parsed;
}

describe('walkJson', () => {
  const report = JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: 'alpine:3.19',
    Results: [
      {
        Target: 'alpine',
        Vulnerabilities: [{ id: 'A' }, { id: 'B', deep: { x: [1, 2] } }],
        Packages: [1, 2],
      },
      { Target: 'app.jar', Vulnerabilities: null },
    ],
    Trailer: { done: true },
  });

  it('emits items with the metadata read so far, and frames on close', async () => {
    const events = await both(report, {
      items: [['Results', '*', 'Vulnerabilities', '*']],
      skip: [['Results', '*', 'Packages']],
    });
    expect(events).toEqual([
      {
        kind: 'item',
        path: ['Results', 0, 'Vulnerabilities', 0],
        value: { id: 'A' },
        fields: [{ SchemaVersion: 2, ArtifactName: 'alpine:3.19' }, {}, { Target: 'alpine' }, {}],
      },
      {
        kind: 'item',
        path: ['Results', 0, 'Vulnerabilities', 1],
        value: { id: 'B', deep: { x: [1, 2] } },
        fields: [{ SchemaVersion: 2, ArtifactName: 'alpine:3.19' }, {}, { Target: 'alpine' }, {}],
      },
      { kind: 'close', path: ['Results', 0, 'Vulnerabilities'], fields: [{}] },
      { kind: 'close', path: ['Results', 0], fields: [{ Target: 'alpine' }] },
      {
        kind: 'close',
        path: ['Results', 1],
        fields: [{ Target: 'app.jar', Vulnerabilities: null }],
      },
      { kind: 'close', path: ['Results'], fields: [{}] },
      {
        kind: 'close',
        path: [],
        fields: [{ SchemaVersion: 2, ArtifactName: 'alpine:3.19', Trailer: { done: true } }],
      },
      { kind: 'end', rootKind: 'object', rootValue: undefined },
    ]);
  });

  it('reads top-level arrays and scalar documents', async () => {
    const array = await both('[{"a":1},{"a":2}]', { items: [['*']] });
    expect(array.filter((e) => e.kind === 'item').map((e) => e.value)).toEqual([
      { a: 1 },
      { a: 2 },
    ]);
    expect(await both('null', { items: [['*']] })).toEqual([
      { kind: 'end', rootKind: 'scalar', rootValue: null },
    ]);
    expect(await both(' 42 ', { items: [['*']] })).toEqual([
      { kind: 'end', rootKind: 'scalar', rootValue: 42 },
    ]);
  });

  it('skips containers of an unexpected shape instead of assembling them', async () => {
    const events = await both('{"matches":{"not":"an array"},"source":{"type":"image"}}', {
      items: [['matches', '*']],
    });
    expect(events.at(-2)).toEqual({
      kind: 'close',
      path: [],
      fields: [{ source: { type: 'image' } }],
    });
  });

  it('keeps a "__proto__" key as data, as JSON.parse does', async () => {
    const events = await both('{"__proto__":{"polluted":true},"items":[{"__proto__":1}]}', {
      items: [['items', '*']],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const item = events.find((e) => e.kind === 'item');
    expect(Object.prototype.hasOwnProperty.call(item?.value, '__proto__')).toBe(true);
  });

  it('decodes multi-byte characters split across chunks and drops a BOM', async () => {
    const text = '\uFEFF{"items":[{"name":"Zürich ✓ 😀"}]}';
    const streamed = await walk(text, { items: [['items', '*']] }, 0, 1);
    expect(streamed[0]?.value).toEqual({ name: 'Zürich ✓ 😀' });
  });

  it('locates syntax errors on both paths', async () => {
    const broken = '{\n  "matches": [\n    {"a": 1},\n    {"a": 2,,}\n  ]\n}';
    for (const threshold of [0, JSON_STREAM_THRESHOLD_BYTES]) {
      const error = await captureError(() =>
        walk(broken, { items: [['matches', '*']] }, threshold),
      );
      expect(error.code).toBe('IMPORT_MALFORMED');
      expect(error.details).toMatchObject({ fileName: 'doc.json', line: 4 });
      expect(error.message).toMatch(/^doc\.json: line 4, column \d+: not valid JSON/);
    }
  });

  it('calls a cut document truncated', async () => {
    for (const threshold of [0, JSON_STREAM_THRESHOLD_BYTES]) {
      const error = await captureError(() =>
        walk('{"matches": [{"a": 1}, {"a"', { items: [['matches', '*']] }, threshold),
      );
      expect(error.code).toBe('IMPORT_MALFORMED');
      expect(error.message).toContain('ends early');
      const empty = await captureError(() => walk(' \n', {}, threshold));
      expect(empty.message).toBe('doc.json: the file is empty');
    }
  });

  it('stops with CANCELLED when the signal is aborted', async () => {
    const controller = new AbortController();
    const events = walkJson(streamOf('[1,2,3,4]', 1), {
      fileName: 'doc.json',
      items: [['*']],
      thresholdBytes: 0,
      signal: controller.signal,
    });
    const first = await events.next();
    expect(first.value).toMatchObject({ kind: 'item', value: 1 });
    controller.abort();
    const error = await captureError(() => events.next());
    expect(error.code).toBe('CANCELLED');
  });
});
