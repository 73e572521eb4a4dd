/**
 * A first-in first-out buffer of JSON-serializable records that spills to a private
 * temporary file past a memory budget.
 *
 * Why: Grype writes `matches` before `source` (the scanned image), so its findings cannot
 * be given their asset until the end of the document. Holding them in memory would make
 * memory grow with the file; the spool keeps small reports in memory and moves large ones
 * to disk (directory 0700, file 0600, removed in `dispose`, which callers run in `finally`).
 *
 * Records are stored as JSON text in both cases and parsed back through `revive`, so the
 * in-memory and on-disk paths return exactly the same values.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** In-memory budget before spilling: small reports never touch the disk. */
export const DEFAULT_SPOOL_MEMORY_BYTES = 16 * 1024 * 1024;

export class RecordSpool<T> {
  private memory: string[] = [];
  private memoryChars = 0;
  private dir: string | undefined;
  private file: string | undefined;
  private out: WriteStream | undefined;
  private count = 0;

  /**
   * @param revive - turns a parsed JSON value back into a record (validate it: the
   *   file is outside the process and could have been altered).
   */
  constructor(
    private readonly revive: (value: unknown) => T,
    private readonly memoryBudgetChars: number = DEFAULT_SPOOL_MEMORY_BYTES,
  ) {}

  get size(): number {
    return this.count;
  }

  async push(record: T): Promise<void> {
    const line = JSON.stringify(record);
    this.count += 1;
    if (this.out === undefined && this.memoryChars + line.length <= this.memoryBudgetChars) {
      this.memory.push(line);
      this.memoryChars += line.length;
      return;
    }
    if (this.out === undefined) await this.spill();
    await this.write(line);
  }

  /** Yields every record in push order; call once, after the last push. */
  async *drain(): AsyncGenerator<T> {
    if (this.out === undefined) {
      const lines = this.memory;
      this.memory = [];
      this.memoryChars = 0;
      for (const line of lines) yield this.revive(JSON.parse(line));
      return;
    }
    const out = this.out;
    this.out = undefined;
    out.end();
    await once(out, 'close');
    const file = this.file;
    if (file === undefined) return;
    const lines = createInterface({
      input: createReadStream(file, { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    try {
      for await (const line of lines) {
        if (line !== '') yield this.revive(JSON.parse(line));
      }
    } finally {
      lines.close();
    }
  }

  /** Removes the temporary file, if any. Safe to call more than once. */
  async dispose(): Promise<void> {
    this.memory = [];
    const out = this.out;
    this.out = undefined;
    if (out !== undefined) {
      out.destroy();
      await once(out, 'close').catch(() => undefined);
    }
    const dir = this.dir;
    this.dir = undefined;
    this.file = undefined;
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }

  private async spill(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'vulnzero-spool-'));
    this.file = join(this.dir, 'records.jsonl');
    this.out = createWriteStream(this.file, { flags: 'wx', mode: 0o600, encoding: 'utf8' });
    const lines = this.memory;
    this.memory = [];
    this.memoryChars = 0;
    for (const line of lines) await this.write(line);
  }

  private async write(line: string): Promise<void> {
    const out = this.out;
    if (out === undefined) return;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
}
