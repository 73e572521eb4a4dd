/**
 * Dependency-Check XML (schemas 1.x to 4.x): analysis > scanInfo, projectInfo,
 * dependencies > dependency (fileName, filePath, identifiers, vulnerabilities,
 * suppressedVulnerabilities). Evidence and related dependencies are skipped unread; one
 * dependency is held at a time and its findings are emitted when it closes.
 */
import type { Readable } from 'node:stream';
import type { ImportRecord, NormalizedAsset, ParseContext, ScanInfo } from '../types';
import { NoteCollector } from '../common/notes';
import { RecordEmitter } from '../common/record-emitter';
import { cleanText } from '../common/text';
import { readXml, type XmlAttrs, type XmlDocument, type XmlHandler } from '../xml/stream-xml';
import {
  dcScore,
  dependencyFindings,
  emptyDependency,
  type DcDependency,
  type DcVulnerability,
} from './dependency-check-model';
import { dcStart } from './dependency-check-json';

class DependencyCheckHandler implements XmlHandler {
  private readonly notes: NoteCollector;
  private readonly out: RecordEmitter;
  private engineVersion: string | undefined;
  private project: { name?: string; version?: string; artifactID?: string; reportDate?: string } =
    {};
  private started: { scan: ScanInfo; asset: NormalizedAsset } | undefined;
  private dep: { depth: number; value: DcDependency; index: number } | undefined;
  private vuln: { depth: number; value: DcVulnerability } | undefined;
  private count = 0;
  private suppressed = 0;

  constructor(private readonly doc: XmlDocument) {
    this.notes = new NoteCollector(doc.fileName);
    this.out = new RecordEmitter(this.notes);
  }

  private emit(records: Iterable<ImportRecord>): void {
    for (const record of records) this.doc.emit(record);
  }

  private start(): { scan: ScanInfo; asset: NormalizedAsset } {
    if (this.started) return this.started;
    this.started = dcStart(this.project, this.engineVersion, this.doc.fileName, this.notes);
    this.emit(this.out.scan(this.started.scan));
    this.emit(this.out.asset(this.started.asset));
    return this.started;
  }

  open(name: string, attrs: XmlAttrs, depth: number): void {
    const parent = this.doc.stack[depth - 2];
    if (depth === 1) {
      if (name !== 'analysis')
        this.doc.fail(`expected a Dependency-Check <analysis> root element, found <${name}>.`);
      return;
    }
    if (name === 'dependencies' && depth === 2) {
      this.start();
      return;
    }
    if (name === 'dependency' && parent === 'dependencies' && depth === 3) {
      this.dep = { depth, value: emptyDependency(), index: this.count++ };
      return;
    }
    const dep = this.dep;
    if (dep === undefined) return;
    if (
      name === 'evidenceCollected' ||
      name === 'relatedDependencies' ||
      name === 'projectReferences'
    ) {
      this.doc.skipSubtree();
    } else if (name === 'suppressedVulnerability' || name === 'suppressedVulnerabilityIds') {
      if (name === 'suppressedVulnerability') dep.value.suppressed += 1;
      this.doc.skipSubtree();
    } else if (name === 'vulnerability' && parent === 'vulnerabilities') {
      this.vuln = {
        depth,
        value: { cwes: [], references: [], ...(attrs.source ? { source: attrs.source } : {}) },
      };
    } else if (name === 'software' && this.vuln !== undefined) {
      if (attrs.vulnerabilityIdMatched === 'true' && attrs.versionEndExcluding) {
        this.vuln.value.fixedVersion ??= attrs.versionEndExcluding;
      }
    }
  }

  close(name: string, rawText: string, attrs: XmlAttrs, depth: number): void {
    const parent = this.doc.stack[depth - 2];
    const text = cleanText(rawText);
    const dep = this.dep;
    if (dep === undefined) {
      if (text === undefined) return;
      if (parent === 'scanInfo' && name === 'engineVersion') this.engineVersion = text;
      else if (parent === 'projectInfo') {
        if (name === 'name') this.project.name = text;
        else if (name === 'version') this.project.version = text;
        else if (name === 'artifactID') this.project.artifactID = text;
        else if (name === 'reportDate') this.project.reportDate = text;
      }
      return;
    }
    if (depth === dep.depth) {
      this.dep = undefined;
      this.suppressed += dep.value.suppressed;
      const where = `dependency ${dep.index + 1}`;
      const { asset } = this.start();
      for (const finding of dependencyFindings(dep.value, { asset, notes: this.notes, where })) {
        this.emit(this.out.finding(finding, where));
      }
      this.emit(this.out.pendingNotes());
      return;
    }
    const v = this.vuln;
    if (v !== undefined) {
      if (depth === v.depth) {
        dep.value.vulnerabilities.push(v.value);
        this.vuln = undefined;
        return;
      }
      if (text === undefined) return;
      const value = v.value;
      if (name === 'name' && parent === 'vulnerability') value.name = text;
      else if (name === 'severity' && parent === 'vulnerability') value.severity = text;
      else if (name === 'cvssScore' && parent === 'vulnerability') value.cvss2 ??= dcScore(text);
      else if (name === 'score' && parent === 'cvssV2') value.cvss2 = dcScore(text);
      else if (name === 'baseScore' && parent === 'cvssV3') value.cvss3 = dcScore(text);
      else if (name === 'cwe') value.cwes.push(text);
      else if (name === 'description' && parent === 'vulnerability') value.description = text;
      else if (name === 'url' && parent === 'reference') value.references.push(text);
      if (value.cvss2 === undefined) delete value.cvss2;
      if (value.cvss3 === undefined) delete value.cvss3;
      return;
    }
    if (text === undefined) return;
    if (parent === 'dependency' && name === 'fileName') dep.value.fileName = text;
    else if (parent === 'dependency' && name === 'filePath') dep.value.filePath = text;
    else if (name === 'id' && parent === 'package') dep.value.packages.push(text);
    else if (name === 'name' && parent === 'identifier' && attrs.type !== 'cpe')
      dep.value.packages.push(text);
  }

  *end(): Iterable<ImportRecord> {
    this.start();
    if (this.suppressed > 0)
      this.notes.add(`${this.suppressed} suppressed vulnerabilit(y/ies) were not imported.`);
    yield* this.out.finish();
  }
}

export function parseDependencyCheckXml(
  input: Readable,
  ctx: ParseContext,
): AsyncGenerator<ImportRecord> {
  return readXml(input, ctx, (doc) => new DependencyCheckHandler(doc));
}
