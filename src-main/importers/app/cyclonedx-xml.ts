/**
 * CycloneDX XML (1.0 to 1.6), including the vulnerability extension of 1.0-1.3
 * (`http://cyclonedx.org/schema/ext/vulnerability/1.0`, usually prefixed `v:`): its
 * `v:vulnerability` elements sit inside the affected `component`, or at BOM level with a
 * `ref` attribute naming the component. From 1.4 on, `bom/vulnerabilities` holds them with
 * `affects/target/ref`. The schema orders metadata, components, then vulnerabilities, so the
 * component index is complete when vulnerabilities arrive. Element names are compared
 * without their namespace prefix.
 */
import type { ImportRecord, NormalizedAsset, ParseContext, ScanInfo } from '../types';
import { toIsoDate } from '../common/dates';
import { NoteCollector } from '../common/notes';
import { RecordEmitter } from '../common/record-emitter';
import { cleanText } from '../common/text';
import { readXml, type XmlAttrs, type XmlDocument, type XmlHandler } from '../xml/stream-xml';
import type { Readable } from 'node:stream';
import {
  ComponentIndex,
  cdxFindings,
  emptyVulnerability,
  toComponent,
  type CdxAffects,
  type CdxComponent,
  type CdxRating,
  type CdxTarget,
  type CdxVulnerability,
} from './cyclonedx-model';
import { softwareAsset, softwareAssetOr } from './software-asset';

const local = (name: string): string => name.slice(name.indexOf(':') + 1);

interface ComponentBuilder {
  depth: number;
  ref: string | undefined;
  name?: string;
  version?: string;
  group?: string;
  purl?: string;
  /** Extension (1.0) vulnerabilities nested in this component, emitted when it closes. */
  nested: { vuln: CdxVulnerability; where: string }[];
}

interface VulnBuilder {
  depth: number;
  vuln: CdxVulnerability;
  /** The 1.0 extension's `ref` attribute (the component it is about, at BOM level). */
  ref: string | undefined;
  /** The component it is nested in (1.0 extension), if any. */
  owner: ComponentBuilder | undefined;
  rating: CdxRating | undefined;
  reference: { id?: string; url?: string } | undefined;
  target: CdxAffects | undefined;
  version: { version?: string; range?: string; status?: string } | undefined;
  index: number;
}

class CycloneDxHandler implements XmlHandler {
  private readonly notes: NoteCollector;
  private readonly out: RecordEmitter;
  private readonly index = new ComponentIndex();
  private readonly components: ComponentBuilder[] = [];
  private vuln: VulnBuilder | undefined;
  private subject: { name?: string; version?: string; group?: string; purl?: string } | undefined;
  private tool: { name?: string; version?: string } | undefined;
  private timestamp: string | undefined;
  private started: { scan: ScanInfo; asset: NormalizedAsset } | undefined;
  private vulnCount = 0;

  constructor(private readonly doc: XmlDocument) {
    this.notes = new NoteCollector(doc.fileName);
    this.out = new RecordEmitter(this.notes);
  }

  private emit(records: Iterable<ImportRecord>): void {
    for (const record of records) this.doc.emit(record);
  }

  private start(): { scan: ScanInfo; asset: NormalizedAsset } {
    if (this.started) return this.started;
    const scan: ScanInfo = { scanner: cleanText(this.tool?.name) ?? 'CycloneDX' };
    if (this.tool?.version) scan.scannerVersion = this.tool.version;
    if (this.timestamp) scan.startedAt = this.timestamp;
    const subject = this.subject ? toComponent(this.subject) : undefined;
    const asset = softwareAssetOr(
      subject ? softwareAsset(subject.name, subject.version) : undefined,
      this.doc.fileName,
      this.notes,
      'the BOM names no metadata component',
    );
    this.started = { scan, asset };
    this.emit(this.out.scan(scan));
    this.emit(this.out.asset(asset));
    return this.started;
  }

  open(rawName: string, attrs: XmlAttrs, depth: number): void {
    const name = local(rawName);
    const stack = this.doc.stack;
    const parent = depth >= 2 ? local(stack[depth - 2] ?? '') : '';
    if (depth === 1) {
      if (name !== 'bom')
        this.doc.fail(`expected a CycloneDX <bom> root element, found <${rawName}>.`);
      return;
    }
    const inMetadata = depth >= 2 && local(stack[1] ?? '') === 'metadata';
    const v = this.vuln;
    if (v !== undefined) {
      if (name === 'rating' && parent === 'ratings') v.rating = {};
      else if (name === 'reference' && parent === 'references') v.reference = {};
      else if (name === 'target' && parent === 'affects') v.target = { ref: '', versions: [] };
      else if (name === 'version' && parent === 'versions') v.version = {};
      else if (name === 'source' && parent === 'vulnerability' && attrs.name)
        v.vuln.sourceName = attrs.name;
      else if (name === 'analysis') v.vuln.analysis = { responses: [] };
      return;
    }
    if (name === 'vulnerability' && parent === 'vulnerabilities') {
      this.vuln = {
        depth,
        vuln: emptyVulnerability(),
        ref: cleanText(attrs.ref),
        owner: this.components[this.components.length - 1],
        rating: undefined,
        reference: undefined,
        target: undefined,
        version: undefined,
        index: this.vulnCount++,
      };
      if (this.components.length === 0) this.start();
      return;
    }
    if (inMetadata) {
      if (name === 'component' && depth === 3) this.subject = {};
      if (
        name === 'tool' ||
        (name === 'component' && parent === 'components' && local(stack[2] ?? '') === 'tools')
      ) {
        this.tool ??= {};
      }
      return;
    }
    if (name === 'component') {
      if (!this.started) this.start();
      this.components.push({ depth, ref: cleanText(attrs['bom-ref']), nested: [] });
    } else if ((name === 'components' || name === 'vulnerabilities') && depth === 2) {
      this.start();
    } else if (
      [
        'services',
        'dependencies',
        'compositions',
        'externalReferences',
        'annotations',
        'formulation',
      ].includes(name) &&
      depth === 2
    ) {
      this.doc.skipSubtree();
    }
  }

  close(rawName: string, rawText: string, attrs: XmlAttrs, depth: number): void {
    const name = local(rawName);
    const stack = this.doc.stack;
    const parent = depth >= 2 ? local(stack[depth - 2] ?? '') : '';
    const text = cleanText(rawText);
    const v = this.vuln;
    if (v !== undefined) {
      if (depth === v.depth) this.finishVulnerability(v);
      else this.vulnField(v, name, parent, text, attrs);
      return;
    }
    if (depth >= 2 && local(stack[1] ?? '') === 'metadata') {
      this.metadataField(name, parent, depth, text);
      if (name === 'metadata' && depth === 2) this.start();
      return;
    }
    const top = this.components[this.components.length - 1];
    if (top !== undefined) {
      if (name === 'component' && depth === top.depth) {
        this.components.pop();
        const component = toComponent(top);
        this.index.add(top.ref, component);
        for (const held of top.nested)
          this.emitFindings(held.vuln, component ? [{ component }] : [], held.where);
        return;
      }
      if (depth === top.depth + 1 && text !== undefined) {
        if (name === 'name') top.name = text;
        else if (name === 'version') top.version = text;
        else if (name === 'group') top.group = text;
        else if (name === 'purl') top.purl = text;
      }
    }
    if (name === 'bom' && depth === 1) this.start();
  }

  private metadataField(
    name: string,
    parent: string,
    depth: number,
    text: string | undefined,
  ): void {
    if (text === undefined) return;
    if (name === 'timestamp' && depth === 3) this.timestamp = toIsoDate(text);
    else if (this.subject !== undefined && parent === 'component' && depth === 4) {
      if (name === 'name') this.subject.name ??= text;
      else if (name === 'version') this.subject.version ??= text;
      else if (name === 'group') this.subject.group ??= text;
      else if (name === 'purl') this.subject.purl ??= text;
    } else if (
      this.tool !== undefined &&
      (parent === 'tool' || parent === 'component') &&
      depth >= 4
    ) {
      if (name === 'name') this.tool.name ??= text;
      else if (name === 'version') this.tool.version ??= text;
    }
  }

  private vulnField(
    v: VulnBuilder,
    name: string,
    parent: string,
    text: string | undefined,
    attrs: XmlAttrs,
  ): void {
    const vuln = v.vuln;
    switch (name) {
      case 'rating':
        if (v.rating) vuln.ratings.push(v.rating);
        v.rating = undefined;
        return;
      case 'reference':
        if (v.reference) vuln.references.push(v.reference);
        v.reference = undefined;
        return;
      case 'target':
        if (v.target?.ref) vuln.affects.push(v.target);
        v.target = undefined;
        return;
      case 'version':
        if (parent === 'versions' && v.version && v.target) v.target.versions.push(v.version);
        else if (parent === 'version' || v.version === undefined) break;
        v.version = undefined;
        return;
      default:
        break;
    }
    if (text === undefined) return;
    if (v.version !== undefined && parent === 'version') {
      if (name === 'version') v.version.version = text;
      else if (name === 'range') v.version.range = text;
      else if (name === 'status') v.version.status = text;
      return;
    }
    if (v.rating !== undefined) {
      const score = Number.parseFloat(text);
      if (
        (name === 'score' || name === 'base') &&
        Number.isFinite(score) &&
        v.rating.score === undefined
      ) {
        if (score >= 0 && score <= 10) v.rating.score = score;
      } else if (name === 'severity') v.rating.severity = text;
      else if (name === 'method') v.rating.method = text;
      else if (name === 'vector') v.rating.vector = text;
      else if (name === 'name' && parent === 'source') v.rating.source = text;
      return;
    }
    if (v.reference !== undefined) {
      if (name === 'id') v.reference.id = text;
      else if (name === 'url') v.reference.url = text;
      return;
    }
    if (v.target !== undefined) {
      if (name === 'ref') v.target.ref = text;
      return;
    }
    if (parent === 'analysis' || parent === 'responses') {
      const analysis = (vuln.analysis ??= { responses: [] });
      if (name === 'state') analysis.state = text;
      else if (name === 'justification') analysis.justification = text;
      else if (name === 'detail') analysis.detail = text;
      else if (name === 'response') analysis.responses.push(text);
      return;
    }
    if (parent === 'source') {
      if (name === 'name') vuln.sourceName = text;
      else if (name === 'url') vuln.sourceUrl = text;
      return;
    }
    switch (name) {
      case 'id':
        if (parent === 'vulnerability') vuln.id = text;
        break;
      case 'cwe':
        vuln.cwes.push(text);
        break;
      case 'description':
        if (parent === 'vulnerability') vuln.description = text;
        break;
      case 'detail':
        if (parent === 'vulnerability') vuln.detail = text;
        break;
      case 'recommendation':
        vuln.recommendation ??= text;
        break;
      case 'advisory':
        vuln.advisories.push(text);
        break;
      case 'url':
        if (parent === 'advisory') vuln.advisories.push(text);
        break;
      default:
        break;
    }
    void attrs;
  }

  private finishVulnerability(v: VulnBuilder): void {
    this.vuln = undefined;
    const where = `vulnerability ${v.index + 1}`;
    if (v.owner !== undefined) {
      // 1.0 extension inside a component: the component may still gain fields; wait for it.
      v.owner.nested.push({ vuln: v.vuln, where });
      return;
    }
    const refs =
      v.vuln.affects.length > 0 ? v.vuln.affects.map((a) => a.ref) : v.ref ? [v.ref] : [];
    this.emitFindings(
      v.vuln,
      refs.map((ref) => this.index.target(ref)),
      where,
    );
  }

  private emitFindings(vuln: CdxVulnerability, targets: CdxTarget[], where: string): void {
    const { scan, asset } = this.start();
    const findings = cdxFindings(vuln, targets, {
      scanner: scan.scanner,
      asset,
      notes: this.notes,
      where,
    });
    for (const finding of findings) this.emit(this.out.finding(finding, where));
    this.emit(this.out.pendingNotes());
  }

  *end(): Iterable<ImportRecord> {
    this.start();
    yield* this.out.finish();
  }
}

export type { CdxComponent };

export function parseCycloneDxXml(
  input: Readable,
  ctx: ParseContext,
): AsyncGenerator<ImportRecord> {
  return readXml(input, ctx, (doc) => new CycloneDxHandler(doc));
}
