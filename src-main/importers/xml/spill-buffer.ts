/**
 * A first-in first-out buffer that moves to a private temporary file once it holds more
 * than a few megabytes. Qualys host-based reports and Nexpose exports put the vulnerability
 * definitions after every host, so a finding can only be completed at the end of the
 * file; parking the per-host parts on disk keeps memory flat for any file size.
 */
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** About 16 MB of UTF-16 in memory before spilling. */
const DEFAULT_MEMORY_CHARS = 8 * 1024 * 1024;

export class SpillBuffer<T> {
  private lines: string[] = [];
  private chars = 0;
  private dir: string | undefined;
  private file: string | undefined;
  private fd: number | undefined;
  private count = 0;

  constructor(private readonly memoryChars = DEFAULT_MEMORY_CHARS) {}

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    // JSON lines: one item per line, strings escape their own newlines.
    const line = JSON.stringify(item);
    this.lines.push(line);
    this.chars += line.length;
    this.count++;
    if (this.chars > this.memoryChars) this.flush();
  }

  /** Yields every item in push order, then frees memory and disk. */
  async *drain(): AsyncGenerator<T> {
    try {
      if (this.file !== undefined) {
        this.flush();
        this.closeFile();
        const lines = createInterface({
          input: createReadStream(this.file, { encoding: 'utf8' }),
          crlfDelay: Infinity,
        });
        for await (const line of lines) {
          if (line !== '') yield JSON.parse(line) as T;
        }
      } else {
        const lines = this.lines;
        this.lines = [];
        for (const line of lines) yield JSON.parse(line) as T;
      }
    } finally {
      this.dispose();
    }
  }

  dispose(): void {
    this.lines = [];
    this.chars = 0;
    this.closeFile();
    if (this.dir !== undefined) {
      rmSync(this.dir, { recursive: true, force: true });
      this.dir = undefined;
      this.file = undefined;
    }
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    if (this.fd === undefined) {
      this.dir = mkdtempSync(join(tmpdir(), 'vulnzero-import-'));
      this.file = join(this.dir, 'pending.jsonl');
      this.fd = openSync(this.file, 'wx', 0o600);
    }
    writeSync(this.fd, `${this.lines.join('\n')}\n`);
    this.lines = [];
    this.chars = 0;
  }

  private closeFile(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
