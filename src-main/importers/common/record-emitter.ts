/**
 * Record bookkeeping for the JSON importers: the scan record goes first, each asset once,
 * findings are finalized (cut, de-duplicated, schema-checked) and notes are held back until
 * the scan record is out, so a report always starts with its scan.
 */
import type { ImportRecord, NormalizedAsset, NormalizedFinding, ScanInfo } from '../types';
import { AssetRegistry } from './asset';
import { finalizeFinding } from './finalize';
import type { NoteCollector } from './notes';

export class RecordEmitter {
  private scanSent = false;
  private readonly assets = new AssetRegistry();

  constructor(readonly notes: NoteCollector) {}

  get started(): boolean {
    return this.scanSent;
  }

  scan(scan: ScanInfo): ImportRecord[] {
    if (this.scanSent) return [];
    this.scanSent = true;
    return [{ kind: 'scan', scan }, ...this.notes.take()];
  }

  asset(asset: NormalizedAsset): ImportRecord[] {
    return this.assets.firstSighting(asset) ? [{ kind: 'asset', asset }] : [];
  }

  /** The finalized finding, or a note when the schema rejects it. */
  finding(draft: NormalizedFinding, where: string): ImportRecord[] {
    const result = finalizeFinding(draft, this.notes, where);
    if (!result.ok) this.notes.add(`${where}: finding skipped: ${result.problem}`);
    const out: ImportRecord[] = result.ok ? [{ kind: 'finding', finding: result.finding }] : [];
    if (this.scanSent) out.push(...this.notes.take());
    return out;
  }

  /** Notes queued so far, if the scan record is out. */
  pendingNotes(): ImportRecord[] {
    return this.scanSent ? this.notes.take() : [];
  }

  finish(): ImportRecord[] {
    return this.notes.finish();
  }
}
