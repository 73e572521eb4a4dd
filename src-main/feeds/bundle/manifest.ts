import { z } from 'zod';
import { FEED_KINDS } from '../types';

export const MANIFEST_NAME = 'manifest.json';
export const SIGNATURE_NAME = 'manifest.sig';
export const FILES_DIR = 'files/';
/** Ed25519 signatures are always 64 bytes; manifest.sig holds them raw. */
export const SIGNATURE_BYTES = 64;
export const MAX_MANIFEST_BYTES = 1024 * 1024;
export const MAX_FILES = 1000;

/**
 * A feed file's name inside a bundle: one path segment of portable characters, not
 * starting with a dot, short enough that `files/NAME` fits ustar's 100-byte name field.
 * Anything else (slashes, `..`, drive letters, control characters) is refused outright.
 */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,89}$/;

export function isSafeName(name: string): boolean {
  return SAFE_NAME.test(name) && !name.includes('..');
}

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits');

export const manifestSchema = z.strictObject({
  format: z.literal('vulnzero-feed-bundle'),
  version: z.literal(1),
  sequence: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  createdAt: z.iso.datetime({ offset: true }),
  keyId: z.string().regex(/^(?:[0-9a-f]{32}|[0-9a-f]{64})$/, 'expected a hex SHA-256 fingerprint'),
  files: z
    .array(
      z.strictObject({
        name: z.string().refine(isSafeName, 'unsafe file name'),
        kind: z.enum(FEED_KINDS),
        size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        sha256: sha256Hex,
      }),
    )
    .max(MAX_FILES),
});

export type BundleManifest = z.infer<typeof manifestSchema>;
export type BundleFileEntry = BundleManifest['files'][number];
