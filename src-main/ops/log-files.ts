/**
 * Rotating structured log files next to the vault: `<vault dir>/logs/vulnzero.log`, JSON
 * lines, owner-only. When the file passes `maxBytes` it becomes vulnzero.1.log (older ones
 * shift up to `keep`, the oldest is deleted). Writes are synchronous and small, so a crash
 * never leaves half a record behind a buffered stream.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const LOG_FILE = 'vulnzero.log';

export interface LogFileOptions {
  maxBytes?: number;
  keep?: number;
}

export function logDirFor(vaultPath: string): string {
  return join(dirname(vaultPath), 'logs');
}

/** The current file first, then vulnzero.1.log ... (only those that exist). */
export function logFiles(dir: string, keep = DEFAULT_KEEP): string[] {
  const names = [LOG_FILE, ...Array.from({ length: keep }, (_, i) => rotatedName(i + 1))];
  return names.map((name) => join(dir, name)).filter((path) => existsSync(path));
}

const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
const DEFAULT_KEEP = 5;

function rotatedName(n: number): string {
  return `vulnzero.${n}.log`;
}

export class RotatingLogFile {
  readonly path: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private size = -1;
  private failed = false;

  constructor(
    readonly dir: string,
    options: LogFileOptions = {},
  ) {
    this.path = join(dir, LOG_FILE);
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.keep = options.keep ?? DEFAULT_KEEP;
  }

  /** Appends one line. Logging must never break the work it describes: errors are swallowed. */
  write(line: string): void {
    if (this.failed) return;
    try {
      if (this.size < 0) {
        mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        this.size = existsSync(this.path) ? statSync(this.path).size : 0;
      }
      const bytes = Buffer.byteLength(line);
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      appendFileSync(this.path, line, { mode: 0o600 });
      this.size += bytes;
    } catch {
      this.failed = true; // a read-only or full disk: keep working without file logs
    }
  }

  private rotate(): void {
    rmSync(join(this.dir, rotatedName(this.keep)), { force: true });
    for (let n = this.keep - 1; n >= 1; n -= 1) {
      const from = join(this.dir, rotatedName(n));
      if (existsSync(from)) renameSync(from, join(this.dir, rotatedName(n + 1)));
    }
    renameSync(this.path, join(this.dir, rotatedName(1)));
    this.size = 0;
  }
}
