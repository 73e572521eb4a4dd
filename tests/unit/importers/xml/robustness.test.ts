import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { VzError } from '../../../../src-main/core/errors';
import { xmlImporters } from '../../../../src-main/importers/formats/xml-formats';
import type { Importer } from '../../../../src-main/importers/types';
import { XML_FIXTURES, collect, expectVzError, fixture, importError } from './helpers';

function importerOf(format: string): Importer {
  const importer = xmlImporters.find((i) => i.format === format);
  if (importer === undefined) throw new Error(`no importer ${format}`);
  return importer;
}

function chunked(buffer: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) parts.push(buffer.subarray(i, i + size));
  return Readable.from(parts);
}

const CUTS = [0.02, 0.25, 0.5, 0.75, 0.98];

describe('truncated files', () => {
  it.each(XML_FIXTURES)(
    '%s cut at several offsets imports or fails with IMPORT_MALFORMED',
    async (file, format) => {
      const importer = importerOf(format);
      const bytes = readFileSync(fixture(file));
      for (const fraction of [...CUTS, (bytes.length - 1) / bytes.length]) {
        const cut = bytes.subarray(0, Math.floor(bytes.length * fraction));
        let error: unknown;
        try {
          await collect(importer.parse(chunked(cut, 8192), { fileName: basename(file) }));
        } catch (e) {
          error = e;
        }
        if (error === undefined) continue;
        const vz = expectVzError(error, 'IMPORT_MALFORMED');
        expect(vz.message.startsWith(`${basename(file)}: line `), vz.message).toBe(true);
      }
    },
  );

  it('reports the middle of a file as ending too early, with its position', async () => {
    const bytes = readFileSync(fixture('nessus_xml/nessus_v_unknown.xml'));
    const error = await importError(
      importerOf('nessus'),
      bytes.subarray(0, bytes.length / 2),
      'nessus_v_unknown.xml',
    );
    const vz = expectVzError(error, 'IMPORT_MALFORMED');
    expect(vz.message).toMatch(
      /^nessus_v_unknown\.xml: line \d+, column \d+: the file ends too early \(truncated\?\): unclosed tag: /,
    );
  });
});

describe.each(xmlImporters.map((i) => [i.format, i] as const))(
  '%s importer',
  (format, importer) => {
    it('refuses a billion-laughs document with IMPORT_UNSAFE', async () => {
      const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>`;
      expectVzError(await importError(importer, laughs, 'laughs.xml'), 'IMPORT_UNSAFE');
    });

    it('refuses an XXE document with IMPORT_UNSAFE', async () => {
      const xxe =
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>';
      const vz = expectVzError(await importError(importer, xxe, 'xxe.xml'), 'IMPORT_UNSAFE');
      expect(vz.message).toBe('xxe.xml: DOCTYPE with entity declarations is refused.');
    });

    it('rejects a document of another format with a clear IMPORT_MALFORMED', async () => {
      const vz = expectVzError(
        await importError(
          importer,
          '<?xml version="1.0"?>\n<somethingElse><a/></somethingElse>',
          'other.xml',
        ),
        'IMPORT_MALFORMED',
      );
      expect(vz.message).toMatch(
        /^other\.xml: line 2, column \d+: expected .*root element, found <somethingElse>\.$/,
      );
    });

    it('stops with CANCELLED when the signal is aborted during the import', async () => {
      const [file] = XML_FIXTURES.find(([, f]) => f === format) ?? [];
      const bytes = readFileSync(fixture(file ?? ''));
      const controller = new AbortController();
      let records = 0;
      let error: unknown;
      try {
        for await (const record of importer.parse(chunked(bytes, 512), {
          fileName: 'x',
          signal: controller.signal,
        })) {
          void record;
          records++;
          controller.abort();
        }
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(VzError);
      expect((error as VzError).code).toBe('CANCELLED');
      expect(records).toBe(1);
    });
  },
);
