/**
 * SSH to the hosts a push changes (ssh2). One connection per host, optionally through a
 * jump host, every hop verified against its own pinned host keys; scripts run through
 * stdin to `sh -s` (or `sudo -n sh -s`) with capped output, per-step timeouts and cancel
 * that kill the remote process group. See docs/ssh.md.
 */
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ssh2 from 'ssh2';
import type {
  Client as SshClient,
  ClientChannel,
  ConnectConfig,
  ServerHostKeyAlgorithm,
} from 'ssh2';
import { describeThrown, VzError } from '../../core/errors';
import { describeHostKey, matchesPin, type HostKeyInfo, type HostKeyPin } from './fingerprint';

const { Client, utils } = ssh2;

export type SshAuth =
  | { kind: 'key'; privateKey: string | Buffer; passphrase?: string }
  | { kind: 'password'; password: string };

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  auth: SshAuth;
  /** The host keys this hop may present. Empty: the connection fails with HOST_KEY_UNKNOWN. */
  pins: readonly HostKeyPin[];
  /** Reach this target through another SSH host (TCP forwarding on that host). */
  jump?: SshTarget;
}

export interface ConnectOptions {
  /** Per hop: TCP connect, handshake and authentication. Default 20 s. */
  timeoutMs?: number;
  /** SSH keepalive interval once connected; 0 turns it off. Default 10 s. */
  keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection counts as lost. Default 3. */
  keepaliveCountMax?: number;
  signal?: AbortSignal;
}

export type SudoMode = 'none' | 'sudo-n';
export type OutputStream = 'stdout' | 'stderr';

export interface ExecOptions {
  /** `sudo-n` runs the script as root through `sudo -n` (never prompts). Default `none`. */
  sudo?: SudoMode;
  /** Kill the remote process group after this long and report `timedOut`. */
  timeoutMs?: number;
  /** Abort kills the remote process group and rejects with CANCELLED. */
  signal?: AbortSignal;
  /** Bytes kept per stream (the head); the rest is drained and dropped. Default 64 KiB. */
  maxOutputBytes?: number;
  /** Exported to the script. Names match /^[A-Z_][A-Z0-9_]*$/; values are single-quoted. */
  env?: Record<string, string>;
  /** Live output (only the kept part), e.g. for a streaming transcript. */
  onOutput?: (stream: OutputStream, text: string) => void;
}

export interface ExecResult {
  /** Exit status, null when the process died of a signal or none was reported. */
  exitCode: number | null;
  /** Signal name without `SIG` (e.g. `KILL`) when the process died of one. */
  signal: string | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
  /** True when `timeoutMs` expired and the remote process group was killed. */
  timedOut: boolean;
}

export interface SshConnection {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** The key the (last hop's) server presented, already matched against the pins. */
  readonly hostKey: HostKeyInfo;
  /** True once the connection is gone (closed, dropped, keepalive lost). */
  readonly closed: boolean;
  exec(script: string, options?: ExecOptions): Promise<ExecResult>;
  /** Ends the connection (and its jump hosts). Running execs reject with SSH_DISCONNECTED. */
  close(): Promise<void>;
}

export interface HostKeyProbeOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Probe through this jump host (which must itself be pinned). */
  jump?: SshTarget;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_KEEPALIVE_MS = 10_000;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

// ssh2's default order, most preferred first; a pinned key type allows its signature algorithms.
const HOST_KEY_ALGORITHMS: [string, ServerHostKeyAlgorithm[]][] = [
  ['ssh-ed25519', ['ssh-ed25519']],
  ['ecdsa-sha2-nistp256', ['ecdsa-sha2-nistp256']],
  ['ecdsa-sha2-nistp384', ['ecdsa-sha2-nistp384']],
  ['ecdsa-sha2-nistp521', ['ecdsa-sha2-nistp521']],
  ['ssh-rsa', ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']],
];

/*
 * The remote side of `exec`. The login shell runs `sh -c`, which first prints a marker with
 * its PID (= the session's process group, sshd starts each session with setsid) and then
 * becomes `sh -s` reading the script. With sudo, the root shell prints a second marker, so
 * "sudo refused" is told apart from "the script failed". Markers are stripped from stdout.
 */
const MARK_PGID = Buffer.from('\x1eVZ1 ');
const MARK_SUDO = Buffer.from('\x1eVZ2\n');
const PLAIN_COMMAND = `exec sh -c 'printf "\\036VZ1 %s\\n" "$$"; exec sh -s'`;
const SUDO_COMMAND = `exec sh -c 'printf "\\036VZ1 %s\\n" "$$"; exec sudo -n sh -c "printf \\"\\036VZ2\\n\\"; exec sh -s"'`;
const HEADER_LIMIT = 64 * 1024;

function hopLabel(target: Pick<SshTarget, 'host' | 'port' | 'username'>): string {
  return `${target.username}@${target.host}:${target.port}`;
}

function cancelled(what: string): VzError {
  return new VzError('CANCELLED', `${what} was cancelled.`);
}

/** Single-quotes a value for POSIX sh. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The text sent to the remote `sh -s`: env exports, then the script inside a `{ ... }`
 * group with stdin from /dev/null. The shell parses the whole group before running any of
 * it, so a command that reads stdin cannot swallow the rest of the script, and a script
 * with a syntax error runs nothing.
 */
export function buildScriptInput(script: string, env: Record<string, string> = {}): string {
  if (script.includes('\0')) throw new VzError('INVALID_INPUT', 'The script contains a NUL byte.');
  // `:` keeps the group valid when the script is empty or only comments.
  let text = '{ :\n';
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME.test(name)) {
      throw new VzError(
        'INVALID_INPUT',
        `Environment variable name "${name}" is not allowed (use A-Z, 0-9 and _).`,
      );
    }
    if (value.includes('\0')) {
      throw new VzError('INVALID_INPUT', `Environment variable ${name} contains a NUL byte.`);
    }
    text += `${name}=${shQuote(value)}; export ${name}\n`;
  }
  text += script.endsWith('\n') || script === '' ? script : `${script}\n`;
  return `${text}} </dev/null\n`;
}

function checkTarget(target: SshTarget): void {
  if (typeof target.host !== 'string' || target.host.trim() === '') {
    throw new VzError('INVALID_INPUT', 'An SSH target needs a host.');
  }
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    throw new VzError('INVALID_INPUT', `SSH port ${String(target.port)} is not valid.`);
  }
  if (typeof target.username !== 'string' || target.username === '') {
    throw new VzError('INVALID_INPUT', `No SSH user for ${target.host}:${target.port}.`);
  }
  if (!Array.isArray(target.pins)) {
    throw new VzError('INVALID_INPUT', `No host key pins for ${target.host}:${target.port}.`);
  }
}

function checkPrivateKey(auth: SshAuth, label: string): void {
  if (auth.kind !== 'key') return;
  const parsed = utils.parseKey(auth.privateKey, auth.passphrase);
  if (parsed instanceof Error) {
    const msg = parsed.message;
    if (/no passphrase given/i.test(msg)) {
      throw new VzError(
        'SSH_KEY_INVALID',
        `The private key for ${label} is encrypted: its passphrase is needed.`,
      );
    }
    if (/passphrase|decrypt|integrity/i.test(msg)) {
      throw new VzError(
        'SSH_KEY_INVALID',
        `The private key for ${label} could not be decrypted: wrong passphrase.`,
      );
    }
    throw new VzError(
      'SSH_KEY_INVALID',
      `The private key for ${label} is not a supported SSH private key (${msg}).`,
    );
  }
  const key = Array.isArray(parsed) ? (parsed[0] as typeof parsed) : parsed;
  if (!key?.isPrivateKey()) {
    throw new VzError(
      'SSH_KEY_INVALID',
      `The key for ${label} is a public key, not a private key.`,
    );
  }
}

/** Server host key algorithms to offer: only the pinned key types, if we know them. */
function hostKeyAlgorithms(pins: readonly HostKeyPin[]): ServerHostKeyAlgorithm[] | undefined {
  const wanted = new Set(pins.map((p) => p.algorithm));
  const list = HOST_KEY_ALGORITHMS.filter(([type]) => wanted.has(type)).flatMap(([, a]) => a);
  return list.length > 0 ? list : undefined;
}

type SshError = Error & { level?: string; code?: string | number };

function mapConnectError(
  err: SshError,
  target: SshTarget,
  restricted: boolean,
  timeoutMs: number,
): VzError {
  const label = hopLabel(target);
  const where = { host: target.host, port: target.port };
  switch (err.level) {
    case 'client-authentication':
      return new VzError(
        'SSH_AUTH_FAILED',
        `${label}: authentication failed (the server refused the ${
          target.auth.kind === 'key' ? 'key' : 'password'
        }).`,
        where,
      );
    case 'client-timeout':
      return new VzError(
        'SSH_TIMEOUT',
        `${label}: no SSH login within ${Math.round(timeoutMs / 100) / 10} s.`,
        where,
      );
    case 'client-socket':
    case 'client-dns': {
      const code = String(err.code ?? '');
      if (code === 'ETIMEDOUT') {
        return new VzError('SSH_TIMEOUT', `${label}: the TCP connection timed out.`, where);
      }
      const why =
        code === 'ECONNREFUSED'
          ? `connection refused (is sshd listening on port ${target.port}?)`
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN' || err.level === 'client-dns'
            ? 'host name not found'
            : code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
              ? 'host unreachable'
              : code === 'ECONNRESET' || code === 'EPIPE'
                ? 'connection reset during the SSH handshake'
                : err.message;
      return new VzError('SSH_CONNECT_FAILED', `${label}: ${why}.`, { ...where, cause: code });
    }
    case 'handshake':
      if (restricted && /host key/i.test(err.message)) {
        return new VzError(
          'HOST_KEY_CHANGED',
          `${label} no longer offers a host key of the pinned type(s). Refusing to connect: ` +
            'verify the host and pin its new key.',
          { ...where, presented: null },
        );
      }
      return new VzError(
        'SSH_CONNECT_FAILED',
        `${label}: SSH handshake failed (${err.message}).`,
        where,
      );
    default:
      return new VzError('SSH_CONNECT_FAILED', `${label}: ${err.message}.`, where);
  }
}

function hostKeyUnknown(target: Pick<SshTarget, 'host' | 'port'>, key: HostKeyInfo): VzError {
  return new VzError(
    'HOST_KEY_UNKNOWN',
    `The host key of ${target.host}:${target.port} is not pinned: ${key.algorithm} ` +
      `${key.fingerprint}. Check it out of band and pin it to connect.`,
    { host: target.host, port: target.port, ...key },
  );
}

function hostKeyChanged(
  target: Pick<SshTarget, 'host' | 'port' | 'pins'>,
  key: HostKeyInfo,
): VzError {
  const pinned = target.pins.map((p) => `${p.algorithm} ${p.fingerprint}`).join(', ');
  return new VzError(
    'HOST_KEY_CHANGED',
    `HOST KEY CHANGED for ${target.host}:${target.port}: it presented ${key.algorithm} ` +
      `${key.fingerprint}, pinned is ${pinned}. Refusing to connect: this can be an ` +
      'attack (or a reinstalled host); verify before pinning the new key.',
    {
      host: target.host,
      port: target.port,
      presented: key,
      pinned: target.pins.map((p) => ({ algorithm: p.algorithm, fingerprint: p.fingerprint })),
    },
  );
}

/** The presented key carried by a HOST_KEY_UNKNOWN or HOST_KEY_CHANGED error. */
export function presentedHostKey(err: unknown): HostKeyInfo | undefined {
  if (!(err instanceof VzError) || !err.details) return undefined;
  const d = err.details;
  const pick = (o: unknown): HostKeyInfo | undefined => {
    if (!o || typeof o !== 'object') return undefined;
    const { algorithm, fingerprint, publicKey } = o as Record<string, unknown>;
    return typeof algorithm === 'string' &&
      typeof fingerprint === 'string' &&
      typeof publicKey === 'string'
      ? { algorithm, fingerprint, publicKey }
      : undefined;
  };
  if (err.code === 'HOST_KEY_UNKNOWN') return pick(d);
  if (err.code === 'HOST_KEY_CHANGED') return pick(d.presented);
  return undefined;
}

interface Hop {
  client: SshClient;
  hostKey: HostKeyInfo;
}

function onAbort(signal: AbortSignal | undefined, fn: () => void): () => void {
  if (!signal) return () => {};
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}

/** One SSH hop: handshake, host key check, authentication. */
function connectHop(target: SshTarget, options: ConnectOptions, sock?: Duplex): Promise<Hop> {
  checkTarget(target);
  const label = hopLabel(target);
  checkPrivateKey(target.auth, label);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const algorithms = hostKeyAlgorithms(target.pins);
  return new Promise<Hop>((resolve, reject) => {
    const client = new Client();
    let presented: HostKeyInfo | undefined;
    let hostKeyError: VzError | undefined;
    let settled = false;
    const fail = (err: VzError): void => {
      if (settled) return;
      settled = true;
      stopAbort();
      client.destroy();
      reject(err);
    };
    const stopAbort = onAbort(options.signal, () => fail(cancelled(`Connecting to ${label}`)));
    if (options.signal?.aborted) {
      fail(cancelled(`Connecting to ${label}`));
      return;
    }
    client.on('error', (err: SshError) => {
      fail(hostKeyError ?? mapConnectError(err, target, algorithms !== undefined, timeoutMs));
    });
    client.on('close', () => {
      fail(
        hostKeyError ??
          new VzError('SSH_CONNECT_FAILED', `${label}: the connection closed during login.`, {
            host: target.host,
            port: target.port,
          }),
      );
    });
    client.on('ready', () => {
      if (settled) return;
      settled = true;
      stopAbort();
      if (!presented) {
        client.destroy();
        reject(new VzError('INTERNAL', `${label}: connected without a host key check.`));
        return;
      }
      resolve({ client, hostKey: presented });
    });
    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      username: target.username,
      readyTimeout: timeoutMs,
      keepaliveInterval: options.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      tryKeyboard: false,
      hostVerifier: (blob: Buffer): boolean => {
        let key: HostKeyInfo;
        try {
          key = describeHostKey(blob);
        } catch {
          hostKeyError = new VzError('SSH_CONNECT_FAILED', `${label}: malformed host key.`);
          return false;
        }
        presented = key;
        if (target.pins.length === 0) {
          hostKeyError = hostKeyUnknown(target, key);
          return false;
        }
        if (!matchesPin(key, target.pins)) {
          hostKeyError = hostKeyChanged(target, key);
          return false;
        }
        return true;
      },
      ...(algorithms ? { algorithms: { serverHostKey: algorithms } } : {}),
      ...(sock ? { sock } : {}),
      ...(target.auth.kind === 'key'
        ? {
            privateKey: target.auth.privateKey,
            ...(target.auth.passphrase !== undefined ? { passphrase: target.auth.passphrase } : {}),
          }
        : { password: target.auth.password }),
    };
    try {
      client.connect(config);
    } catch (e) {
      fail(
        new VzError(
          'SSH_CONNECT_FAILED',
          `${label}: ${e instanceof Error ? e.message : String(e)}.`,
        ),
      );
    }
  });
}

/** A TCP stream to host:port opened by the SSH server behind `via`. */
function forwardOut(
  via: SshClient,
  viaTarget: SshTarget,
  host: string,
  port: number,
  options: ConnectOptions,
): Promise<ClientChannel> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const what = `Jump host ${hopLabel(viaTarget)} could not open a connection to ${host}:${port}`;
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err: VzError | undefined, stream?: ClientChannel): void => {
      if (settled) {
        stream?.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      stopAbort();
      if (err) reject(err);
      else resolve(stream as ClientChannel);
    };
    const timer = setTimeout(
      () => done(new VzError('SSH_TIMEOUT', `${what} within ${timeoutMs} ms.`)),
      timeoutMs,
    );
    const stopAbort = onAbort(options.signal, () => done(cancelled(`Connecting to ${host}`)));
    via.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
      if (err) done(new VzError('SSH_CONNECT_FAILED', `${what} (${err.message}).`, { host, port }));
      else done(undefined, stream);
    });
  });
}

/** Connects every hop of `target` (jump hosts first); returns the clients outermost first. */
async function connectChain(
  target: SshTarget,
  options: ConnectOptions,
): Promise<{ hops: SshClient[]; last: Hop }> {
  if (!target.jump) {
    const last = await connectHop(target, options);
    return { hops: [last.client], last };
  }
  checkTarget(target);
  const outer = await connectChain(target.jump, options);
  const via = outer.last.client;
  try {
    const stream = await forwardOut(via, target.jump, target.host, target.port, options);
    const last = await connectHop(target, options, stream);
    return { hops: [...outer.hops, last.client], last };
  } catch (e) {
    for (const c of outer.hops) c.destroy();
    throw e;
  }
}

/**
 * Connects and authenticates, verifying each hop's host key against its pins: no pins →
 * HOST_KEY_UNKNOWN (with the presented key), another key → HOST_KEY_CHANGED. Other failures:
 * SSH_AUTH_FAILED, SSH_KEY_INVALID, SSH_CONNECT_FAILED, SSH_TIMEOUT, CANCELLED.
 */
export async function connectSsh(
  target: SshTarget,
  options: ConnectOptions = {},
): Promise<SshConnection> {
  const { hops, last } = await connectChain(target, options);
  return new Connection(target, hops, last);
}

class Capture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  truncated = false;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly max: number,
    private readonly stream: OutputStream,
    private readonly onOutput: ExecOptions['onOutput'],
  ) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const room = this.max - this.kept;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (piece.length < chunk.length) this.truncated = true;
    this.chunks.push(piece);
    this.kept += piece.length;
    if (this.onOutput) {
      const text = this.decoder.write(piece);
      if (text) this.onOutput(this.stream, text);
    }
  }

  text(): string {
    // A cut in the middle of a UTF-8 sequence is dropped, not shown as U+FFFD.
    return new StringDecoder('utf8').write(Buffer.concat(this.chunks));
  }
}

/** Strips the PID marker (and the sudo marker) off the start of stdout. Exported for tests. */
export class HeaderParser {
  private pending = Buffer.alloc(0);
  private state: 'pgid' | 'sudo' | 'done' = 'pgid';
  pgid: number | undefined;
  sudoStarted = false;
  sawHeader = false;

  constructor(
    private readonly sudo: boolean,
    private readonly onPgid: (pgid: number) => void,
  ) {}

  /** Returns the bytes that are script output. */
  feed(chunk: Buffer): Buffer[] {
    if (this.state === 'done') return [chunk];
    this.pending = Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      if (this.state === 'pgid') {
        const at = this.pending.indexOf(MARK_PGID);
        const nl = at < 0 ? -1 : this.pending.indexOf(0x0a, at);
        if (at < 0 || nl < 0) break;
        const digits = this.pending.toString('latin1', at + MARK_PGID.length, nl);
        if (at > 0) out.push(this.pending.subarray(0, at));
        this.pending = this.pending.subarray(nl + 1);
        this.sawHeader = true;
        if (/^\d{1,10}$/.test(digits) && Number(digits) > 1) {
          this.pgid = Number(digits);
          this.onPgid(this.pgid);
        }
        this.state = this.sudo ? 'sudo' : 'done';
        continue;
      }
      if (this.state === 'sudo') {
        const at = this.pending.indexOf(MARK_SUDO);
        if (at < 0) break;
        if (at > 0) out.push(this.pending.subarray(0, at));
        this.pending = this.pending.subarray(at + MARK_SUDO.length);
        this.sudoStarted = true;
        this.state = 'done';
        continue;
      }
      out.push(this.pending);
      this.pending = Buffer.alloc(0);
      return out;
    }
    if (this.pending.length > HEADER_LIMIT) this.flushInto(out);
    return out;
  }

  /** Gives up on markers still missing (end of output or too much before them). */
  flush(): Buffer[] {
    const out: Buffer[] = [];
    this.flushInto(out);
    return out;
  }

  private flushInto(out: Buffer[]): void {
    if (this.pending.length > 0) out.push(this.pending);
    this.pending = Buffer.alloc(0);
    this.state = 'done';
  }
}

class Connection implements SshConnection {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly hostKey: HostKeyInfo;
  closed = false;
  private closedByUs = false;
  private lastError: SshError | undefined;
  private readonly client: SshClient;
  private readonly closeWaiters: (() => void)[] = [];

  constructor(
    target: SshTarget,
    private readonly hops: SshClient[],
    last: Hop,
  ) {
    this.host = target.host;
    this.port = target.port;
    this.username = target.username;
    this.hostKey = last.hostKey;
    this.client = last.client;
    // Connection-level errors (keepalive lost, reset) surface as SSH_DISCONNECTED on execs.
    for (const hop of hops) {
      hop.removeAllListeners('error');
      hop.removeAllListeners('close');
      hop.on('error', (err: SshError) => {
        this.lastError ??= err;
      });
      hop.on('close', () => this.markClosed());
    }
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const hop of this.hops) hop.destroy();
    for (const w of this.closeWaiters.splice(0)) w();
  }

  private disconnected(during: string): VzError {
    const why = this.closedByUs
      ? 'the connection was closed'
      : this.lastError
        ? `the connection was lost (${this.lastError.message})`
        : 'the connection was lost';
    return new VzError('SSH_DISCONNECTED', `${hopLabel(this)}: ${why} ${during}.`, {
      host: this.host,
      port: this.port,
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closedByUs = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.markClosed();
      }, 2_000);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      for (const hop of [...this.hops].reverse()) hop.end();
    });
  }

  private openExec(command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(this.disconnected('before the step started'));
        return;
      }
      try {
        this.client.exec(command, (err, channel) => {
          if (!err) resolve(channel);
          else if (this.closed) reject(this.disconnected('before the step started'));
          else {
            reject(
              new VzError(
                'SSH_EXEC_FAILED',
                `${hopLabel(this)}: the server refused to run a command (${err.message}).`,
              ),
            );
          }
        });
      } catch (e) {
        reject(
          this.closed
            ? this.disconnected('before the step started')
            : new VzError('SSH_EXEC_FAILED', `${hopLabel(this)}: ${describeThrown(e)}.`),
        );
      }
    });
  }

  /** Kills the remote process group through a second channel (works for sudo too). */
  private async killGroup(pgid: number, sudo: boolean): Promise<boolean> {
    const kill = `kill -s KILL -- -${pgid}`;
    const command = sudo ? `exec sudo -n sh -c ${shQuote(kill)}` : `exec sh -c ${shQuote(kill)}`;
    let channel: ClientChannel;
    try {
      channel = await this.openExec(command);
    } catch {
      return false;
    }
    return new Promise<boolean>((resolve) => {
      let code: number | null = null;
      const timer = setTimeout(() => {
        channel.close();
        resolve(false);
      }, 5_000);
      channel.on('exit', (c: number | null) => {
        code = c;
      });
      channel.on('data', () => {});
      channel.stderr.on('data', () => {});
      channel.on('close', () => {
        clearTimeout(timer);
        resolve(code === 0);
      });
      channel.end();
    });
  }

  async exec(script: string, options: ExecOptions = {}): Promise<ExecResult> {
    const sudo = options.sudo ?? 'none';
    if (sudo !== 'none' && sudo !== 'sudo-n') {
      throw new VzError('INVALID_INPUT', `Unknown sudo mode "${String(sudo)}".`);
    }
    const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    if (!Number.isInteger(max) || max < 0) {
      throw new VzError('INVALID_INPUT', 'maxOutputBytes must be a whole number of bytes.');
    }
    const timeoutMs = options.timeoutMs;
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      throw new VzError('INVALID_INPUT', 'timeoutMs must be a positive number.');
    }
    const input = buildScriptInput(script, options.env);
    if (options.signal?.aborted) throw cancelled('The step');
    const started = Date.now();
    const channel = await this.openExec(sudo === 'sudo-n' ? SUDO_COMMAND : PLAIN_COMMAND);
    return this.run(channel, input, sudo === 'sudo-n', max, started, options);
  }

  private run(
    channel: ClientChannel,
    input: string,
    sudo: boolean,
    max: number,
    started: number,
    options: ExecOptions,
  ): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve, reject) => {
      const stdout = new Capture(max, 'stdout', options.onOutput);
      const stderr = new Capture(max, 'stderr', options.onOutput);
      let exitCode: number | null = null;
      let exitSignal: string | null = null;
      let sawExit = false;
      let ending: 'timeout' | 'cancel' | undefined;
      let killed = false;
      let finished = false;
      let pgidWaiter: ((pgid: number | undefined) => void) | undefined;
      let hardStop: NodeJS.Timeout | undefined;
      let graceTimer: NodeJS.Timeout | undefined;
      const header = new HeaderParser(sudo, (pgid) => pgidWaiter?.(pgid));

      const finish = (): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        clearTimeout(hardStop);
        clearTimeout(graceTimer);
        stopAbort();
        pgidWaiter?.(undefined);
        for (const piece of header.flush()) stdout.push(piece);
        const durationMs = Date.now() - started;
        const errText = stderr.text().trim();
        if (ending === 'cancel') {
          reject(
            new VzError(
              'CANCELLED',
              killed
                ? 'The step was cancelled; its remote processes were killed.'
                : 'The step was cancelled; the remote processes could not be confirmed killed.',
              { killed, durationMs },
            ),
          );
          return;
        }
        if (!sawExit && !ending && this.closed) {
          reject(this.disconnected('while the step was running'));
          return;
        }
        if (!ending && !header.sawHeader) {
          reject(
            new VzError(
              'SSH_EXEC_FAILED',
              `${hopLabel(this)}: the remote shell did not start the script` +
                `${exitCode !== null ? ` (exit ${exitCode})` : ''}${errText ? `: ${errText}` : ''}.`,
            ),
          );
          return;
        }
        if (!ending && sudo && !header.sudoStarted) {
          reject(
            new VzError(
              'SSH_SUDO_FAILED',
              `${hopLabel(this)}: sudo -n refused to run the script as root` +
                `${errText ? `: ${errText}` : ''}. The user needs passwordless sudo.`,
              { exitCode, stderr: errText },
            ),
          );
          return;
        }
        resolve({
          exitCode,
          signal: exitSignal,
          stdout: stdout.text(),
          stderr: stderr.text(),
          stdoutTruncated: stdout.truncated,
          stderrTruncated: stderr.truncated,
          durationMs,
          timedOut: ending === 'timeout',
        });
      };

      const waitPgid = (ms: number): Promise<number | undefined> =>
        header.pgid !== undefined || finished
          ? Promise.resolve(header.pgid)
          : new Promise((res) => {
              const t = setTimeout(() => res(undefined), ms);
              pgidWaiter = (pgid) => {
                clearTimeout(t);
                pgidWaiter = undefined;
                res(pgid);
              };
            });

      const terminate = (reason: 'timeout' | 'cancel'): void => {
        if (ending || finished) return;
        ending = reason;
        void (async () => {
          const pgid = await waitPgid(3_000);
          if (pgid !== undefined && !finished && !sawExit && !this.closed) {
            // Bounded: on a connection that died silently the kill channel never opens.
            killed = await Promise.race([
              this.killGroup(pgid, sudo),
              new Promise<boolean>((res) => setTimeout(() => res(false), 6_000).unref()),
            ]);
          }
          if (finished) return;
          // Let the exit status arrive, then close our side regardless.
          graceTimer = setTimeout(() => {
            channel.close();
            hardStop = setTimeout(finish, 2_000);
          }, 1_500);
        })();
      };

      const timer =
        options.timeoutMs !== undefined
          ? setTimeout(() => terminate('timeout'), options.timeoutMs)
          : undefined;
      const stopAbort = onAbort(options.signal, () => terminate('cancel'));
      if (options.signal?.aborted) terminate('cancel');

      channel.on('data', (chunk: Buffer) => {
        for (const piece of header.feed(chunk)) stdout.push(piece);
      });
      channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      channel.on('exit', (code: number | null, signal?: string) => {
        sawExit = true;
        exitCode = typeof code === 'number' ? code : null;
        exitSignal = typeof signal === 'string' ? signal.replace(/^SIG/, '') : null;
        if (ending === 'cancel' || ending === 'timeout') killed ||= exitSignal === 'KILL';
      });
      channel.on('error', () => {});
      channel.on('close', finish);
      channel.end(input);
    });
  }
}

/**
 * Connects only far enough to read the host key the server presents (for "show the
 * fingerprint, let the operator pin it"). Never authenticates.
 */
export async function hostKeyOf(
  host: string,
  port: number,
  options: HostKeyProbeOptions = {},
): Promise<HostKeyInfo> {
  const probeTarget: SshTarget = {
    host,
    port,
    username: 'vulnzero-hostkey-probe',
    auth: { kind: 'password', password: '' },
    pins: [],
  };
  checkTarget(probeTarget);
  const connectOptions: ConnectOptions = {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  let jumpHops: SshClient[] = [];
  let sock: ClientChannel | undefined;
  if (options.jump) {
    const chain = await connectChain(options.jump, connectOptions);
    jumpHops = chain.hops;
    try {
      sock = await forwardOut(chain.last.client, options.jump, host, port, connectOptions);
    } catch (e) {
      for (const c of jumpHops) c.destroy();
      throw e;
    }
  }
  try {
    await connectHop(probeTarget, connectOptions, sock);
    throw new VzError('INTERNAL', 'The host key probe unexpectedly logged in.');
  } catch (e) {
    const key = presentedHostKey(e);
    if (key && e instanceof VzError && e.code === 'HOST_KEY_UNKNOWN') return key;
    throw e;
  } finally {
    for (const c of jumpHops) c.destroy();
  }
}
