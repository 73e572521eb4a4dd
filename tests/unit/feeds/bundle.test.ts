import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBundle,
  generateBundleKeyPair,
  keyFingerprint,
  verifyBundle,
  type BundleKeyPair,
  type BundleManifest,
  type TrustedKey,
} from '../../../src-main/feeds/bundle';
import {
  decodeHeader,
  encodeHeader,
  endOfArchive,
  paddingFor,
} from '../../../src-main/feeds/bundle/tar';
import { parseFeed } from '../../../src-main/feeds/parse';
import { collect, fixture, fixturePath, vzError } from './helpers';

const FEEDS = [
  'known_exploited_vulnerabilities.json',
  'epss_scores-2026-09-29.slice.csv',
  'nvd/single-entry.json.xz',
];

let dir: string;
let keys: BundleKeyPair;
let trusted: TrustedKey[];
let bundlePath: string;
let bundle: Buffer;
let manifest: BundleManifest;

function tmp(name: string): string {
  return join(dir, name);
}

function trust(k: BundleKeyPair): TrustedKey {
  return { fingerprint: k.fingerprint, publicKeyPem: k.publicKeyPem };
}

/** Offsets of each entry's data in an archive, read with the module's own header decoder. */
function entries(buf: Buffer): Map<string, { offset: number; size: number }> {
  const out = new Map<string, { offset: number; size: number }>();
  for (let pos = 0; pos + 512 <= buf.length;) {
    const header = decodeHeader(buf.subarray(pos, pos + 512));
    if (typeof header === 'string') break;
    out.set(header.name, { offset: pos + 512, size: header.size });
    pos += 512 + header.size + paddingFor(header.size);
  }
  return out;
}

function withFlippedByte(offset: number): string {
  const copy = Buffer.from(bundle);
  copy[offset] = (copy[offset] ?? 0) ^ 0x01;
  const path = tmp(`flipped-${offset}.vzb`);
  writeFileSync(path, copy);
  return path;
}

/** Builds an archive by hand (for shapes createBundle refuses to make). */
function craft(parts: { name: string; data: Buffer }[]): string {
  const chunks: Buffer[] = [];
  for (const { name, data } of parts) {
    chunks.push(encodeHeader(name, data.length, 0), data, Buffer.alloc(paddingFor(data.length)));
  }
  chunks.push(endOfArchive());
  const path = tmp(`crafted-${Math.random().toString(16).slice(2)}.vzb`);
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

function signedParts(
  m: unknown,
  files: { name: string; data: Buffer }[],
): { name: string; data: Buffer }[] {
  const bytes = Buffer.from(JSON.stringify(m));
  return [
    { name: 'manifest.json', data: bytes },
    { name: 'manifest.sig', data: sign(null, bytes, keys.privateKeyPem) },
    ...files.map((f) => ({ name: `files/${f.name}`, data: f.data })),
  ];
}

function fileEntry(name: string, data: Buffer): BundleManifest['files'][number] {
  return {
    name,
    kind: 'epss',
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vz-bundle-'));
  keys = generateBundleKeyPair();
  trusted = [trust(keys)];
  bundlePath = tmp('feeds.vzb');
  const result = await createBundle({
    privateKeyPem: keys.privateKeyPem,
    sequence: 7,
    files: FEEDS.map((f) => ({ path: fixturePath(f) })),
    out: bundlePath,
    now: new Date('2026-10-01T08:00:00.000Z'),
  });
  manifest = result.manifest;
  bundle = readFileSync(bundlePath);
  expect(result.bytes).toBe(bundle.length);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('bundle keys', () => {
  it('makes Ed25519 PEM keys whose fingerprint is SHA-256 of the DER SPKI', () => {
    expect(keys.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(keys.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(createPublicKey(keys.publicKeyPem).asymmetricKeyType).toBe('ed25519');
    const der = createPublicKey(keys.publicKeyPem).export({ type: 'spki', format: 'der' });
    expect(keys.fingerprint).toBe(createHash('sha256').update(der).digest('hex'));
    expect(keyFingerprint(keys.publicKeyPem)).toBe(keys.fingerprint);
  });
});

describe('createBundle', () => {
  it('writes a signed manifest with detected kinds, sizes and hashes', () => {
    expect(manifest).toEqual({
      format: 'vulnzero-feed-bundle',
      version: 1,
      sequence: 7,
      createdAt: '2026-10-01T08:00:00.000Z',
      keyId: keys.fingerprint,
      files: FEEDS.map((f, i) => {
        const data = fixture(f);
        return {
          name: f.split('/').pop(),
          kind: ['kev', 'epss', 'nvd'][i],
          size: data.length,
          sha256: createHash('sha256').update(data).digest('hex'),
        };
      }),
    });
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('is a plain ustar archive that tar(1) lists and extracts', () => {
    const list = spawnSync('tar', ['-tf', bundlePath], { encoding: 'utf8' });
    expect(list.status).toBe(0);
    expect(list.stdout.trim().split('\n')).toEqual([
      'manifest.json',
      'manifest.sig',
      'files/known_exploited_vulnerabilities.json',
      'files/epss_scores-2026-09-29.slice.csv',
      'files/single-entry.json.xz',
    ]);
    const extracted = spawnSync('tar', ['-xOf', bundlePath, 'files/single-entry.json.xz']);
    expect(Buffer.compare(extracted.stdout, fixture('nvd/single-entry.json.xz'))).toBe(0);
  });

  it('refuses unsafe or duplicate names, malformed feeds and unknown kinds, leaving nothing behind', async () => {
    const base = { privateKeyPem: keys.privateKeyPem, sequence: 1, out: tmp('refused.vzb') };
    const csv = fixturePath('epss_scores-2025-02-20.slice.csv');
    expect(
      (await vzError(() => createBundle({ ...base, files: [{ path: csv, name: '../x.csv' }] })))
        .code,
    ).toBe('INVALID_INPUT');
    expect(
      (await vzError(() => createBundle({ ...base, files: [{ path: csv }, { path: csv }] })))
        .message,
    ).toMatch(/both named/);
    const broken = tmp('broken.csv');
    writeFileSync(broken, 'cve,epss,percentile\nCVE-2024-0001,2,0.5\n');
    const err = await vzError(() => createBundle({ ...base, files: [{ path: broken }] }));
    expect(err.code).toBe('FEED_MALFORMED');
    const notAFeed = tmp('notes.txt');
    writeFileSync(notAFeed, 'hello');
    expect((await vzError(() => createBundle({ ...base, files: [{ path: notAFeed }] }))).code).toBe(
      'FEED_UNKNOWN_KIND',
    );
    const rsa = await vzError(() =>
      createBundle({ ...base, privateKeyPem: 'not a key', files: [{ path: csv }] }),
    );
    expect(rsa.code).toBe('BUNDLE_KEY_INVALID');
    expect(readdirSync(dir).filter((n) => n.startsWith('refused') || n.endsWith('.tmp'))).toEqual(
      [],
    );
  });
});

describe('verifyBundle', () => {
  it('verifies a valid bundle and streams each feed back, byte for byte and parseable', async () => {
    const verified = await verifyBundle(bundlePath, trusted, { lastSequence: 6 });
    expect(verified.manifest).toEqual(manifest);
    expect(verified.signer).toBe(keys.fingerprint);
    expect(verified.rollback).toBe(false);
    for (const [i, f] of FEEDS.entries()) {
      const name = manifest.files[i]!.name;
      const bytes = Buffer.concat(await collect(verified.open(name)));
      expect(Buffer.compare(bytes, fixture(f))).toBe(0);
    }
    const items = await collect(
      parseFeed('epss', verified.open('epss_scores-2026-09-29.slice.csv'), { fileName: 'e' }),
    );
    expect(items).toHaveLength(535);
    expect(() => verified.open('other.csv')).toThrow(/no feed file named "other.csv"/);
  });

  it('accepts the first bundle (no last sequence) and a key id of 16 bytes', async () => {
    await expect(verifyBundle(bundlePath, trusted, { lastSequence: null })).resolves.toMatchObject({
      rollback: false,
    });
    const short = { ...manifest, keyId: keys.fingerprint.slice(0, 32) };
    const path = craft(
      signedParts(
        short,
        FEEDS.map((f, i) => ({ name: manifest.files[i]!.name, data: fixture(f) })),
      ),
    );
    await expect(verifyBundle(path, trusted, { lastSequence: null })).resolves.toMatchObject({
      signer: keys.fingerprint,
    });
  });

  it('refuses one flipped byte in the manifest with BUNDLE_BAD_SIGNATURE', async () => {
    const m = entries(bundle).get('manifest.json')!;
    const text = bundle.subarray(m.offset, m.offset + m.size).toString('utf8');
    const at = m.offset + text.indexOf('"sequence": 7') + '"sequence": '.length;
    const err = await vzError(() =>
      verifyBundle(withFlippedByte(at), trusted, { lastSequence: null }),
    );
    expect(err.code).toBe('BUNDLE_BAD_SIGNATURE');
    expect(err.message).toContain(keys.fingerprint);
  });

  it('refuses one flipped byte in the signature with BUNDLE_BAD_SIGNATURE', async () => {
    const s = entries(bundle).get('manifest.sig')!;
    const err = await vzError(() =>
      verifyBundle(withFlippedByte(s.offset + 10), trusted, { lastSequence: null }),
    );
    expect(err.code).toBe('BUNDLE_BAD_SIGNATURE');
  });

  it.each(FEEDS.map((f) => f.split('/').pop()!))(
    'refuses one flipped byte in %s with BUNDLE_HASH_MISMATCH naming it',
    async (name) => {
      const e = entries(bundle).get(`files/${name}`)!;
      const err = await vzError(() =>
        verifyBundle(withFlippedByte(e.offset + Math.floor(e.size / 2)), trusted, {
          lastSequence: null,
        }),
      );
      expect(err.code).toBe('BUNDLE_HASH_MISMATCH');
      expect(err.message).toContain(`"${name}"`);
      expect(err.message).toMatch(
        /has SHA-256 [0-9a-f]{64}; the signed manifest says [0-9a-f]{64}/,
      );
    },
  );

  it('refuses a bundle signed by a key that is not trusted, naming its fingerprint', async () => {
    const other = generateBundleKeyPair();
    const err = await vzError(() =>
      verifyBundle(bundlePath, [trust(other)], { lastSequence: null }),
    );
    expect(err.code).toBe('BUNDLE_UNTRUSTED_KEY');
    expect(err.message).toContain(keys.fingerprint);
    expect(err.message).toContain(other.fingerprint);
    const none = await vzError(() => verifyBundle(bundlePath, [], { lastSequence: null }));
    expect(none.message).toMatch(/no feed keys are trusted yet/);
  });

  it('refuses a bundle whose keyId names a trusted key but whose signature is by another', async () => {
    const impostor = generateBundleKeyPair();
    const bytes = Buffer.from(JSON.stringify(manifest));
    const data = FEEDS.map((f, i) => ({
      name: `files/${manifest.files[i]!.name}`,
      data: fixture(f),
    }));
    const path = craft([
      { name: 'manifest.json', data: bytes },
      { name: 'manifest.sig', data: sign(null, bytes, impostor.privateKeyPem) },
      ...data,
    ]);
    expect((await vzError(() => verifyBundle(path, trusted, { lastSequence: null }))).code).toBe(
      'BUNDLE_BAD_SIGNATURE',
    );
  });

  it.each([7, 8, 100])(
    'refuses a replayed or older bundle when the last sequence is %i',
    async (last) => {
      const err = await vzError(() => verifyBundle(bundlePath, trusted, { lastSequence: last }));
      expect(err.code).toBe('BUNDLE_ROLLBACK');
      expect(err.message).toContain('sequence 7');
      expect(err.message).toContain(`last imported sequence ${last}`);
    },
  );

  it('lets an operator override the rollback check and says so', async () => {
    const verified = await verifyBundle(bundlePath, trusted, {
      lastSequence: 8,
      allowRollback: true,
    });
    expect(verified.rollback).toBe(true);
  });

  it('refuses a truncated archive at every kind of cut with BUNDLE_TRUNCATED', async () => {
    const e = entries(bundle);
    const kev = e.get('files/known_exploited_vulnerabilities.json')!;
    const cuts = [
      0,
      100, // inside the first header
      512, // after the first header
      700, // inside the manifest
      kev.offset - 512, // at a header boundary
      kev.offset + 1000, // inside a feed
      bundle.length - 1024, // before the end-of-archive marker
      bundle.length - 600, // inside the marker
      bundle.length - 1,
    ];
    for (const cut of cuts) {
      const path = tmp(`cut-${cut}.vzb`);
      writeFileSync(path, bundle.subarray(0, cut));
      const err = await vzError(() => verifyBundle(path, trusted, { lastSequence: null }));
      expect({ cut, code: err.code }).toEqual({ cut, code: 'BUNDLE_TRUNCATED' });
      expect(err.message).toMatch(/^The feed bundle is truncated: /);
    }
  });

  it('refuses path traversal in archive entry names and in manifest names', async () => {
    const data = fixture('epss_scores-2025-02-20.slice.csv');
    const inTar = craft(
      signedParts({ ...manifest, files: [fileEntry('e.csv', data)] }, [
        { name: '../../etc/e.csv', data },
      ]),
    );
    const err = await vzError(() => verifyBundle(inTar, trusted, { lastSequence: null }));
    expect(err.code).toBe('BUNDLE_MALFORMED');
    expect(err.message).toContain('entry name "files/../../etc/e.csv" is not allowed');

    const inManifest = craft(
      signedParts({ ...manifest, files: [fileEntry('../e.csv', data)] }, []),
    );
    const err2 = await vzError(() => verifyBundle(inManifest, trusted, { lastSequence: null }));
    expect(err2.code).toBe('BUNDLE_MALFORMED');
    expect(err2.message).toContain('files[0].name: unsafe file name');
  });

  it('refuses extra and missing files', async () => {
    const data = fixture('epss_scores-2025-02-20.slice.csv');
    const extra = craft(
      signedParts({ ...manifest, files: [fileEntry('e.csv', data)] }, [
        { name: 'e.csv', data },
        { name: 'smuggled.csv', data },
      ]),
    );
    expect(
      (await vzError(() => verifyBundle(extra, trusted, { lastSequence: null }))).message,
    ).toContain('files/smuggled.csv, which the signed manifest does not list');
    const missing = craft(signedParts({ ...manifest, files: [fileEntry('e.csv', data)] }, []));
    const err = await vzError(() => verifyBundle(missing, trusted, { lastSequence: null }));
    expect(err).toMatchObject({ code: 'BUNDLE_MALFORMED' });
    expect(err.message).toContain('lists "e.csv" but the archive has no files/e.csv');
  });

  it('refuses a manifest that is not valid JSON or not the version 1 schema', async () => {
    const notJson = craft([
      { name: 'manifest.json', data: Buffer.from('{nope') },
      { name: 'manifest.sig', data: Buffer.alloc(64) },
    ]);
    expect(
      (await vzError(() => verifyBundle(notJson, trusted, { lastSequence: null }))).message,
    ).toMatch(/manifest\.json is not valid UTF-8 JSON/);
    const v2 = craft(signedParts({ ...manifest, version: 2 }, []));
    const err = await vzError(() => verifyBundle(v2, trusted, { lastSequence: null }));
    expect(err.code).toBe('BUNDLE_MALFORMED');
    expect(err.message).toContain('version');
    const noManifest = craft([{ name: 'files/a.csv', data: Buffer.from('x') }]);
    expect(
      (await vzError(() => verifyBundle(noManifest, trusted, { lastSequence: null }))).message,
    ).toMatch(/no manifest\.json/);
  });

  it('refuses a corrupt header and data after the end of the archive', async () => {
    const header = withFlippedByte(0);
    const err = await vzError(() => verifyBundle(header, trusted, { lastSequence: null }));
    expect(err.code).toBe('BUNDLE_MALFORMED');
    expect(err.message).toMatch(/header at byte 0 is corrupt \(checksum/);
    const trailing = tmp('trailing.vzb');
    writeFileSync(trailing, Buffer.concat([bundle, Buffer.alloc(512, 0), Buffer.from('extra')]));
    expect(
      (await vzError(() => verifyBundle(trailing, trusted, { lastSequence: null }))).message,
    ).toMatch(/data follows the end-of-archive marker/);
  });

  it('fails the stream of a file changed on disk after verification', async () => {
    const path = tmp('changing.vzb');
    writeFileSync(path, bundle);
    const verified = await verifyBundle(path, trusted, { lastSequence: null });
    const e = entries(bundle).get('files/epss_scores-2026-09-29.slice.csv')!;
    const changed = Buffer.from(bundle);
    changed[e.offset + 5] = (changed[e.offset + 5] ?? 0) ^ 0x01;
    writeFileSync(path, changed);
    const err = await vzError(() => collect(verified.open('epss_scores-2026-09-29.slice.csv')));
    expect(err.code).toBe('BUNDLE_HASH_MISMATCH');
    expect(err.message).toMatch(/changed on disk after the bundle was verified/);
  });

  it('refuses a trust store entry whose fingerprint does not match its key', async () => {
    const other = generateBundleKeyPair();
    const err = await vzError(() =>
      verifyBundle(
        bundlePath,
        [{ fingerprint: other.fingerprint, publicKeyPem: keys.publicKeyPem }],
        {
          lastSequence: null,
        },
      ),
    );
    expect(err.code).toBe('BUNDLE_TRUST_STORE_INVALID');
  });
});
