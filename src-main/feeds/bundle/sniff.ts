/**
 * Telling a signed bundle from a feed file by its content, never by its name: a bundle is
 * a ustar archive (checksummed header with the "ustar" magic), and feed files are JSON or
 * CSV text, possibly gz/xz-compressed, whose first 512 bytes can never pass a tar
 * header's checksum. Operators rename files on removable media ("feeds.vzb",
 * "bundle-2026-12.bin"); the verifier then checks the manifest and signature as usual.
 */
import { open } from 'node:fs/promises';
import { BLOCK, decodeHeader } from './tar';

/** True when the file starts with a valid ustar header (a bundle, or an archive that is not a feed). */
export async function isBundleFile(path: string): Promise<boolean> {
  // A file that cannot be read is left to the feed reader, which reports it with its name.
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const block = Buffer.alloc(BLOCK);
    const { bytesRead } = await handle.read(block, 0, BLOCK, 0);
    return bytesRead === BLOCK && typeof decodeHeader(block) === 'object';
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

/** Splits the operator's files into bundles and feed files, by content. */
export async function splitBundles(
  paths: readonly string[],
): Promise<{ bundles: string[]; files: string[] }> {
  const bundles: string[] = [];
  const files: string[] = [];
  for (const path of paths) ((await isBundleFile(path)) ? bundles : files).push(path);
  return { bundles, files };
}
