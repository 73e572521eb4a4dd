/** The JSON limits every JSON parser checks first (src-main/core/json-bounds.ts). */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { JsonBounds } from '../../../src-main/core/json-bounds';
import { parseFeed } from '../../../src-main/feeds/parse';
import { importerFor } from '../../../src-main/importers/registry';

function scanAll(chunks: string[], bounds = new JsonBounds(3, 10)) {
  for (const chunk of chunks) {
    const beyond = bounds.scan(chunk);
    if (beyond) return beyond;
  }
  return null;
}

describe('JsonBounds', () => {
  it('counts nesting outside strings only, and says where the limit was crossed', () => {
    expect(scanAll(['[[[1]]]'])).toBeNull();
    expect(scanAll(['["[[[[[[", {"a": "{{{{{"}]'])).toBeNull();
    expect(scanAll(['[[[', '['])).toEqual({ reason: 'values nested deeper than 3 levels', at: 3 });
  });

  it('follows strings and escapes across chunk boundaries', () => {
    // An escaped quote split over two chunks does not end the string.
    expect(scanAll(['["ab\\', '"[[[[", 1]'])).toBeNull();
    // An escaped backslash does end it: the brackets after it count.
    expect(scanAll(['["ab\\\\', '", [[[[]]]]]'])?.reason).toMatch(/deeper than 3/);
  });

  it('refuses one string longer than the limit, even spread over chunks', () => {
    expect(scanAll(['["0123456789"]'])).toBeNull();
    const beyond = scanAll(['["012345', '67890123"]']);
    expect(beyond?.reason).toBe('a string longer than 10 characters');
    // The eleventh character of the string, "0" at index 12.
    expect(beyond?.at).toBe(12);
  });
});

describe('the parsers refuse hostile nesting before building it', () => {
  const deep = `{"SchemaVersion":2,"Results":${'['.repeat(5000)}`;

  it('Trivy JSON (whole-file path): IMPORT_MALFORMED with line and column', async () => {
    const run = async () => {
      for await (const r of importerFor('trivy-json').parse(Readable.from([Buffer.from(deep)]), {
        fileName: 'deep.json',
      }))
        void r;
    };
    await expect(run()).rejects.toMatchObject({
      code: 'IMPORT_MALFORMED',
      message: 'deep.json: line 1, column 1029: values nested deeper than 1000 levels',
    });
  });

  it('Nessus XML: elements nested deeper than 1000 levels', async () => {
    const xml = `<?xml version="1.0"?><NessusClientData_v2>${'<a>'.repeat(2000)}`;
    const run = async () => {
      for await (const r of importerFor('nessus').parse(Readable.from([Buffer.from(xml)]), {
        fileName: 'deep.nessus',
      }))
        void r;
    };
    await expect(run()).rejects.toMatchObject({
      code: 'IMPORT_MALFORMED',
      message: expect.stringMatching(
        /^deep\.nessus: line 1, column \d+: elements nested deeper than 1000 levels$/,
      ),
    });
  });

  it('NVD feed: FEED_MALFORMED near the character', async () => {
    const nvd = `{"format":"NVD_CVE","vulnerabilities":${'['.repeat(5000)}`;
    const run = async () => {
      for await (const item of parseFeed('nvd', Readable.from([Buffer.from(nvd)]), {
        fileName: 'deep-nvd.json',
      }))
        void item;
    };
    await expect(run()).rejects.toMatchObject({
      code: 'FEED_MALFORMED',
      message: 'deep-nvd.json: near character 1037: values nested deeper than 1000 levels',
    });
  });
});
