/**
 * OpenSSH known_hosts files (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT"): read them to pin the
 * keys an operator already trusts, and write lines for tools that want one (Ansible).
 *
 * Supported: plain host lists with `*`/`?` wildcards and `!` negation, `[host]:port` for
 * non-standard ports, hashed names (`|1|salt|hash`, HMAC-SHA1 as `ssh-keygen -H` writes),
 * comments and blank lines. `@cert-authority` and `@revoked` lines, certificates and
 * malformed lines are skipped with a note: nothing is trusted by accident.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isVzError } from '../../core/errors';
import { describeBase64Key, type HostKeyInfo } from './fingerprint';

export interface KnownHostEntry {
  /** 1-based line number in the file. */
  line: number;
  /** Host patterns as written; a hashed entry has one pattern, the `|1|salt|hash` text. */
  patterns: string[];
  hashed: boolean;
  key: HostKeyInfo;
  comment: string;
}

export interface KnownHostsNote {
  line: number;
  message: string;
}

export interface ParsedKnownHosts {
  entries: KnownHostEntry[];
  notes: KnownHostsNote[];
}

const HASH_MAGIC = '|1|';

/** The name known_hosts uses for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** Parses known_hosts text; never throws on content, reports what it skipped in `notes`. */
export function parseKnownHosts(text: string): ParsedKnownHosts {
  const entries: KnownHostEntry[] = [];
  const notes: KnownHostsNote[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/[ \t]+/);
    const first = fields[0] ?? '';
    if (first.startsWith('@')) {
      const kind =
        first === '@cert-authority'
          ? 'a certificate authority line (@cert-authority)'
          : first === '@revoked'
            ? 'a revocation line (@revoked)'
            : `an unknown marker (${first})`;
      notes.push({ line, message: `skipped ${kind}: only plain host keys are imported` });
      return;
    }
    const [hosts, keyType, keyBase64, ...rest] = fields;
    if (!hosts || !keyType || !keyBase64) {
      notes.push({ line, message: 'skipped: expected "hosts key-type base64-key [comment]"' });
      return;
    }
    if (/^\d+$/.test(keyType)) {
      notes.push({ line, message: 'skipped an SSH protocol 1 (RSA1) key' });
      return;
    }
    if (keyType.includes('-cert-')) {
      notes.push({ line, message: `skipped a certificate (${keyType}): pin plain host keys` });
      return;
    }
    let key: HostKeyInfo;
    try {
      key = describeBase64Key(keyBase64);
    } catch (e) {
      if (!isVzError(e)) throw e;
      notes.push({ line, message: `skipped: the key is not valid base64 SSH key data` });
      return;
    }
    if (key.algorithm !== keyType) {
      notes.push({
        line,
        message: `skipped: the line says ${keyType} but the key is ${key.algorithm}`,
      });
      return;
    }
    let patterns: string[];
    let hashed = false;
    if (hosts.startsWith('|')) {
      if (!parseHashed(hosts)) {
        notes.push({ line, message: 'skipped: unsupported or malformed hashed host name' });
        return;
      }
      patterns = [hosts];
      hashed = true;
    } else {
      patterns = hosts.split(',').filter((p) => p !== '');
      if (patterns.length === 0) {
        notes.push({ line, message: 'skipped: empty host list' });
        return;
      }
    }
    entries.push({ line, patterns, hashed, key, comment: rest.join(' ') });
  });
  return { entries, notes };
}

function parseHashed(field: string): { salt: Buffer; hash: Buffer } | undefined {
  if (!field.startsWith(HASH_MAGIC)) return undefined;
  const parts = field.slice(HASH_MAGIC.length).split('|');
  if (parts.length !== 2) return undefined;
  const [salt64, hash64] = parts as [string, string];
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(salt64) || !/^[A-Za-z0-9+/]+={0,2}$/.test(hash64)) {
    return undefined;
  }
  const salt = Buffer.from(salt64, 'base64');
  const hash = Buffer.from(hash64, 'base64');
  // SHA-1 sized salt and MAC, as OpenSSH writes them.
  if (salt.length !== 20 || hash.length !== 20) return undefined;
  return { salt, hash };
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

/** Whether an entry applies to `host` on `port` (a negated pattern that matches wins). */
export function entryMatches(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = knownHostName(host, port);
  if (entry.hashed) {
    const parsed = parseHashed(entry.patterns[0] ?? '');
    if (!parsed) return false;
    const mac = createHmac('sha1', parsed.salt).update(name).digest();
    return timingSafeEqual(mac, parsed.hash);
  }
  let matched = false;
  for (const pattern of entry.patterns) {
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    if (globToRegExp(glob).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The distinct keys known for `host` on `port`, in file order. */
export function lookup(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
): HostKeyInfo[] {
  const found: HostKeyInfo[] = [];
  for (const entry of entries) {
    if (!entryMatches(entry, host, port)) continue;
    if (found.some((k) => k.fingerprint === entry.key.fingerprint)) continue;
    found.push({ ...entry.key });
  }
  return found;
}

/** One known_hosts line for a pinned key (plain host name), e.g. for an Ansible export. */
export function formatKnownHostsLine(
  host: string,
  port: number,
  key: Pick<HostKeyInfo, 'algorithm' | 'publicKey'>,
): string {
  return `${knownHostName(host, port)} ${key.algorithm} ${key.publicKey}`;
}
