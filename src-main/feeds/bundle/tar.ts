/**
 * The few parts of POSIX ustar (IEEE Std 1003.1, "pax" rationale: ustar Interchange
 * Format) that a feed bundle needs: regular files with short names, nothing else. Written
 * here rather than taken from a dependency so that the verifier's parser stays small enough
 * to review; standard `tar` reads what this writes.
 */
export const BLOCK = 512;
/** The name field holds 100 bytes; bundle names are kept shorter so no prefix is used. */
export const MAX_NAME_BYTES = 100;
/** 11 octal digits in the size field. */
export const MAX_ENTRY_SIZE = 0o77777777777;

export interface TarHeader {
  name: string;
  size: number;
  /** '0' regular file (or NUL in old archives); anything else is rejected by the reader. */
  typeflag: string;
  mtime: number;
}

export function paddingFor(size: number): number {
  const rest = size % BLOCK;
  return rest === 0 ? 0 : BLOCK - rest;
}

export function encodeHeader(name: string, size: number, mtimeSeconds: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > MAX_NAME_BYTES) throw new Error(`tar name too long: ${name}`);
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_ENTRY_SIZE)
    throw new Error(`tar entry too large: ${name}`);
  const h = Buffer.alloc(BLOCK, 0);
  nameBytes.copy(h, 0);
  writeOctal(h, 100, 8, 0o644); // mode
  writeOctal(h, 108, 8, 0); // uid
  writeOctal(h, 116, 8, 0); // gid
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, Math.max(0, Math.floor(mtimeSeconds)));
  h.write('        ', 148, 8, 'latin1'); // checksum counts as spaces while summing
  h.write('0', 156, 1, 'latin1'); // regular file
  h.write('ustar\u0000', 257, 6, 'latin1');
  h.write('00', 263, 2, 'latin1');
  writeOctal(h, 329, 8, 0); // devmajor
  writeOctal(h, 337, 8, 0); // devminor
  const sum = checksum(h);
  // Six octal digits, NUL, space: the traditional layout every tar accepts.
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return h;
}

/** Two zero blocks end an archive. */
export function endOfArchive(): Buffer {
  return Buffer.alloc(BLOCK * 2, 0);
}

export function isZeroBlock(block: Buffer): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

export type HeaderProblem = 'checksum' | 'magic' | 'size' | 'name';

/** Decodes a header block, or says which check it fails. */
export function decodeHeader(block: Buffer): TarHeader | HeaderProblem {
  const stored = readOctal(block, 148, 8);
  if (stored === null || stored !== checksum(block)) return 'checksum';
  if (block.toString('latin1', 257, 262) !== 'ustar') return 'magic';
  const size = readOctal(block, 124, 12);
  if (size === null) return 'size';
  const mtime = readOctal(block, 136, 12) ?? 0;
  const nameEnd = block.indexOf(0, 0);
  const name = block.toString('utf8', 0, nameEnd < 0 || nameEnd > 100 ? 100 : nameEnd);
  // A prefix (ustar's long-name extension) is never written by VulnZero; refusing it keeps
  // one meaning per name.
  if (block[345] !== 0) return 'name';
  const typeflag = block.toString('latin1', 156, 157);
  return { name, size, typeflag, mtime };
}

function checksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 32 : (block[i] ?? 0);
  return sum;
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  buf.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'latin1');
}

function readOctal(buf: Buffer, offset: number, length: number): number | null {
  // Numeric fields are octal digits padded with leading spaces or zeros and ended by NUL
  // or space.
  const text = buf
    .toString('latin1', offset, offset + length)
    .split('\u0000', 1)[0]
    ?.trim();
  if (text === undefined || !/^[0-7]+$/.test(text)) return null;
  const value = parseInt(text, 8);
  return Number.isSafeInteger(value) ? value : null;
}
