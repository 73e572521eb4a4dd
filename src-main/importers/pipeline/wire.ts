/**
 * What the parse thread sends the writer thread during an import. The copy between
 * threads is on the writer's critical path, so records travel compactly:
 * - a finding's asset is a reference to an asset sent once, and its vulnerability (title,
 *   CVEs, references, description, solution) travels with the first finding of that key
 *   only (the writer keeps the first sighting per key anyway, import-file.ts);
 * - the rest of a finding is a run of slots in one flat array per batch, and repeated
 *   short strings (protocol, service, scanner, times, component names) are numbers into
 *   a dictionary both sides grow in the same order.
 * Structured cloning a flat array of numbers is several times cheaper than cloning
 * nested objects (measured in docs/importers.md, "Import speed").
 */
import type { ImportRecord, NormalizedAsset, NormalizedFinding } from '../types';
import { FINDING_KINDS, VEX_STATES } from '../../../src-preload/contract';

type Vex = NonNullable<NormalizedFinding['vex']>;

export type WireRecord =
  | { t: 'scan'; scan: Extract<ImportRecord, { kind: 'scan' }>['scan'] }
  | { t: 'note'; message: string }
  | { t: 'asset-def'; ref: number; asset: NormalizedAsset }
  | { t: 'asset'; ref: number }
  | {
      t: 'vuln-def';
      ref: number;
      vulnerability: NormalizedFinding['vulnerability'];
      description?: string;
      solution?: string;
    }
  /** The next `count` findings of the batch's flat slots. */
  | { t: 'findings'; count: number };

/** A slot: a dictionary index (>= 0), NONE (-1), a literal string or a number. */
type Slot = number | string;

export interface WireBatch {
  /** Dictionary entries added by this batch, in order. */
  strings: string[];
  records: WireRecord[];
  slots: Slot[];
}

export type ParserToWriter =
  | { t: 'start'; format: string; label: string; fileName: string; size: number }
  | { t: 'batch'; batch: WireBatch; bytesRead: number }
  | { t: 'end'; sha256: string; bytesRead: number }
  | { t: 'error'; code: string; message: string; details?: unknown };

export type WriterToParser = { t: 'ack' };

const NONE = -1;
/** Slots per finding, in this order. */
const F = {
  asset: 0,
  vuln: 1,
  format: 2,
  scanner: 3,
  pluginId: 4,
  port: 5,
  protocol: 6,
  service: 7,
  componentName: 8,
  componentVersion: 9,
  componentFixed: 10,
  componentPath: 11,
  componentPurl: 12,
  evidence: 13,
  firstSeen: 14,
  lastSeen: 15,
  kind: 16,
  locationPath: 17,
  locationLine: 18,
  locationColumn: 19,
  vex: 20,
} as const;
const SLOTS = 21;
/** Past this many entries new strings travel as literals (memory stays bounded). */
const MAX_DICTIONARY = 50_000;

/** Parse-thread side. */
export class WireEncoder {
  private readonly assetRefs = new Map<string, number>();
  private lastAsset: { object: NormalizedAsset; ref: number } | undefined;
  private readonly vulnRefs = new Map<string, number>();
  private readonly dictionary = new Map<string, number>();
  private batch: WireBatch = { strings: [], records: [], slots: [] };
  private count = 0;

  /** Records encoded since the last `take`. */
  get size(): number {
    return this.count;
  }

  encode(record: ImportRecord): void {
    this.count += 1;
    switch (record.kind) {
      case 'scan':
        this.push({ t: 'scan', scan: record.scan });
        return;
      case 'note':
        this.push({ t: 'note', message: record.message });
        return;
      case 'asset':
        this.push({ t: 'asset', ref: this.assetRef(record.asset) });
        return;
      case 'finding':
        this.finding(record.finding);
        return;
    }
  }

  take(): WireBatch {
    const batch = this.batch;
    this.batch = { strings: [], records: [], slots: [] };
    this.count = 0;
    return batch;
  }

  private push(record: WireRecord): void {
    this.batch.records.push(record);
  }

  private finding(f: NormalizedFinding): void {
    const asset = this.assetRef(f.asset);
    const vuln = this.vulnRef(f);
    const last = this.batch.records[this.batch.records.length - 1];
    if (last?.t === 'findings') last.count += 1;
    else this.push({ t: 'findings', count: 1 });
    const c = f.component;
    const l = f.location;
    this.batch.slots.push(
      asset,
      vuln,
      this.word(f.format),
      this.word(f.scanner.name),
      this.word(f.scanner.pluginId),
      f.port ?? NONE,
      this.word(f.protocol),
      this.word(f.service),
      this.word(c?.name),
      literal(c?.version),
      literal(c?.fixedVersion),
      this.word(c?.path),
      literal(c?.purl),
      literal(f.evidence),
      this.word(f.firstSeen),
      this.word(f.lastSeen),
      f.kind === undefined ? NONE : FINDING_KINDS.indexOf(f.kind),
      this.word(l?.path),
      l?.line ?? NONE,
      l?.column ?? NONE,
      f.vex === undefined ? NONE : JSON.stringify(f.vex),
    );
  }

  /** A repeated short string as a dictionary index. */
  private word(value: string | undefined): Slot {
    if (value === undefined) return NONE;
    let index = this.dictionary.get(value);
    if (index !== undefined) return index;
    if (this.dictionary.size >= MAX_DICTIONARY) return value;
    index = this.dictionary.size;
    this.dictionary.set(value, index);
    this.batch.strings.push(value);
    return index;
  }

  private assetRef(asset: NormalizedAsset): number {
    // Importers reuse one asset object for a host's findings: skip the key for those.
    if (this.lastAsset?.object === asset) return this.lastAsset.ref;
    const key = JSON.stringify(asset);
    let ref = this.assetRefs.get(key);
    if (ref === undefined) {
      ref = this.assetRefs.size;
      this.assetRefs.set(key, ref);
      this.push({ t: 'asset-def', ref, asset });
    }
    this.lastAsset = { object: asset, ref };
    return ref;
  }

  private vulnRef(f: NormalizedFinding): number {
    let ref = this.vulnRefs.get(f.vulnerability.key);
    if (ref === undefined) {
      ref = this.vulnRefs.size;
      this.vulnRefs.set(f.vulnerability.key, ref);
      this.push({
        t: 'vuln-def',
        ref,
        vulnerability: f.vulnerability,
        ...(f.description !== undefined ? { description: f.description } : {}),
        ...(f.solution !== undefined ? { solution: f.solution } : {}),
      });
    }
    return ref;
  }
}

function literal(value: string | undefined): Slot {
  return value ?? NONE;
}

type VulnPart = Pick<NormalizedFinding, 'vulnerability' | 'description' | 'solution'>;

/** Writer-thread side: rebuilds the records (assets and vulnerabilities are shared objects). */
export class WireDecoder {
  private readonly assets: NormalizedAsset[] = [];
  private readonly vulns: VulnPart[] = [];
  private readonly dictionary: string[] = [];

  *decode(batch: WireBatch): Generator<ImportRecord> {
    for (const s of batch.strings) this.dictionary.push(s);
    let at = 0;
    for (const r of batch.records) {
      switch (r.t) {
        case 'scan':
          yield { kind: 'scan', scan: r.scan };
          break;
        case 'note':
          yield { kind: 'note', message: r.message };
          break;
        case 'asset-def':
          this.assets[r.ref] = r.asset;
          break;
        case 'asset':
          yield { kind: 'asset', asset: this.assetAt(r.ref) };
          break;
        case 'vuln-def': {
          const v: VulnPart = { vulnerability: r.vulnerability };
          if (r.description !== undefined) v.description = r.description;
          if (r.solution !== undefined) v.solution = r.solution;
          this.vulns[r.ref] = v;
          break;
        }
        case 'findings':
          for (let i = 0; i < r.count; i += 1) {
            yield { kind: 'finding', finding: this.finding(batch.slots, at) };
            at += SLOTS;
          }
          break;
      }
    }
  }

  private finding(s: readonly Slot[], at: number): NormalizedFinding {
    const vulnRef = s[at + F.vuln] as number;
    const v = this.vulns[vulnRef];
    if (v === undefined) throw new Error(`vulnerability ${vulnRef} was not defined`);
    // Later findings of the key carry only the key (the writer keeps the first sighting).
    if (v.description !== undefined || v.solution !== undefined)
      this.vulns[vulnRef] = { vulnerability: v.vulnerability };
    const f: NormalizedFinding = {
      format: this.text(s[at + F.format]) ?? '',
      scanner: { name: this.text(s[at + F.scanner]) ?? '' },
      asset: this.assetAt(s[at + F.asset] as number),
      ...v,
    };
    const pluginId = this.text(s[at + F.pluginId]);
    if (pluginId !== undefined) f.scanner.pluginId = pluginId;
    const port = s[at + F.port] as number;
    if (port !== NONE) f.port = port;
    const protocol = this.text(s[at + F.protocol]);
    if (protocol !== undefined) f.protocol = protocol;
    const service = this.text(s[at + F.service]);
    if (service !== undefined) f.service = service;
    const componentName = this.text(s[at + F.componentName]);
    if (componentName !== undefined) {
      const c: NonNullable<NormalizedFinding['component']> = { name: componentName };
      const version = literalText(s[at + F.componentVersion]);
      if (version !== undefined) c.version = version;
      const fixed = literalText(s[at + F.componentFixed]);
      if (fixed !== undefined) c.fixedVersion = fixed;
      const path = this.text(s[at + F.componentPath]);
      if (path !== undefined) c.path = path;
      const purl = literalText(s[at + F.componentPurl]);
      if (purl !== undefined) c.purl = purl;
      f.component = c;
    }
    const evidence = literalText(s[at + F.evidence]);
    if (evidence !== undefined) f.evidence = evidence;
    const firstSeen = this.text(s[at + F.firstSeen]);
    if (firstSeen !== undefined) f.firstSeen = firstSeen;
    const lastSeen = this.text(s[at + F.lastSeen]);
    if (lastSeen !== undefined) f.lastSeen = lastSeen;
    const kind = FINDING_KINDS[s[at + F.kind] as number];
    if (kind !== undefined) f.kind = kind;
    const locationPath = this.text(s[at + F.locationPath]);
    if (locationPath !== undefined) {
      const l: NonNullable<NormalizedFinding['location']> = { path: locationPath };
      const line = s[at + F.locationLine] as number;
      if (line !== NONE) l.line = line;
      const column = s[at + F.locationColumn] as number;
      if (column !== NONE) l.column = column;
      f.location = l;
    }
    const vex = literalText(s[at + F.vex]);
    if (vex !== undefined) f.vex = parseVex(vex);
    return f;
  }

  private text(slot: Slot | undefined): string | undefined {
    if (typeof slot === 'string') return slot;
    if (slot === undefined || slot === NONE) return undefined;
    return this.dictionary[slot];
  }

  private assetAt(ref: number): NormalizedAsset {
    const asset = this.assets[ref];
    if (asset === undefined) throw new Error(`asset ${ref} was not defined`);
    return asset;
  }
}

function literalText(slot: Slot | undefined): string | undefined {
  return typeof slot === 'string' ? slot : undefined;
}

function parseVex(text: string): Vex {
  const value = JSON.parse(text) as Vex;
  if (!VEX_STATES.includes(value.state)) throw new Error(`unknown VEX state ${value.state}`);
  return value;
}
