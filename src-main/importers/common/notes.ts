/**
 * Collects `note` records (cut fields, skipped rows, rejected scores). A broken export can
 * produce one note per row, so past a limit the rest are only counted and summarized at
 * the end: the operator learns what happened without the import log drowning.
 */
import type { ImportRecord } from '../types';

export const DEFAULT_NOTE_LIMIT = 100;

export class NoteCollector {
  private pending: string[] = [];
  private emitted = 0;
  private suppressed = 0;

  constructor(
    private readonly fileName: string,
    private readonly limit: number = DEFAULT_NOTE_LIMIT,
  ) {}

  /** Queues a note; `message` should say where ("line 12", "match 4") and what. */
  add(message: string): void {
    if (this.emitted + this.pending.length >= this.limit) {
      this.suppressed += 1;
      return;
    }
    this.pending.push(`${this.fileName}: ${message}`);
  }

  /** Notes queued since the last call, as records, in order. */
  take(): ImportRecord[] {
    if (this.pending.length === 0) return [];
    const records = this.pending.map((message): ImportRecord => ({ kind: 'note', message }));
    this.emitted += records.length;
    this.pending = [];
    return records;
  }

  /** The remaining notes plus, when notes were dropped, one note saying how many. */
  finish(): ImportRecord[] {
    const records = this.take();
    if (this.suppressed > 0) {
      records.push({
        kind: 'note',
        message: `${this.fileName}: ${this.suppressed} more notes like the above were not listed.`,
      });
      this.suppressed = 0;
    }
    return records;
  }
}
