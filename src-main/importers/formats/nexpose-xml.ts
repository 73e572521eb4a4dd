/**
 * Rapid7 Nexpose / InsightVM XML export (NexposeReport 2.0; 1.0 has the same layout):
 * scans, nodes (with node-level tests and endpoint/service tests), then
 * VulnerabilityDefinitions. Vulnerable test results are parked in a SpillBuffer until
 * the definitions have been read. Live hosts ("nexpose:host-up") and open endpoints
 * ("nexpose:open-port") are informational findings of kind `service`, as Nmap's open
 * ports are, so a host's coverage is known even when it has no vulnerabilities.
 */
import type { ImportRecord, Importer, NormalizedAsset, NormalizedFinding } from '../types';
import { nexposeInstalled } from '../xml/components';
import { nexposeSeverity } from '../xml/severity';
import { findRoot } from '../xml/sniff';
import { SpillBuffer } from '../xml/spill-buffer';
import { readXml, type XmlAttrs, type XmlDocument, type XmlHandler } from '../xml/stream-xml';
import { VulnIds } from '../xml/vuln-ids';
import {
  collapseLines,
  fromCompactTime,
  meaningfulSolution,
  nonEmpty,
  normalizeMac,
  parsePort,
  parseScore,
  vectorInParens,
} from '../xml/values';

/** A vulnerable test result, waiting for its vulnerability definition. */
interface TestResult {
  asset: NormalizedAsset;
  vulnId: string;
  status: string;
  port?: number;
  protocol?: string;
  service?: string;
  proof?: string;
  since?: string;
  scanId?: string;
}

interface Definition {
  title: string;
  severity: string | undefined;
  cvss2?: number;
  cvss3?: number;
  cvss3Vector?: string;
  cves: string[];
  references: string[];
  solution?: string;
}

interface NodeState {
  depth: number;
  status: string | undefined;
  address: string | undefined;
  mac: string | undefined;
  names: string[];
  os: string | undefined;
  osCertainty: number;
  asset: NormalizedAsset | undefined;
}

interface EndpointState {
  port: number | undefined;
  protocol: string | undefined;
  status: string | undefined;
  service: string | undefined;
  /** The service's most certain fingerprint ("PowerDNS Recursor 4.3.5"). */
  product: string | undefined;
  certainty: number;
}

interface DefinitionState {
  id: string;
  attrs: XmlAttrs;
  ids: VulnIds;
  solution: string | undefined;
}

class NexposeHandler implements XmlHandler {
  private readonly pending = new SpillBuffer<TestResult>();
  private readonly definitions = new Map<string, Definition>();
  private readonly scans = new Map<string, { start?: string; end?: string }>();
  private node: NodeState | undefined;
  private endpoint: EndpointState | undefined;
  private test: { attrs: XmlAttrs } | undefined;
  private definition: DefinitionState | undefined;
  private scanEmitted = false;

  constructor(private readonly doc: XmlDocument) {}

  open(name: string, attrs: XmlAttrs, depth: number): void {
    if (depth === 1) {
      if (name !== 'NexposeReport') {
        this.doc.fail(`expected a <NexposeReport> root element, found <${name}>.`);
      }
      return;
    }
    const parent = this.doc.stack[depth - 2];
    if (name === 'URLLink' && attrs.LinkURL) {
      // Proofs and solutions put their links in attributes: keep them in the text.
      this.doc.addText(` ${attrs.LinkURL} `);
      return;
    }
    const definition = this.definition;
    if (definition !== undefined) {
      if (name === 'solution' && parent === 'vulnerability') this.doc.captureSubtree();
      else if (name === 'description' || name === 'malware' || name === 'exploits') {
        this.doc.skipSubtree();
      }
      return;
    }
    switch (name) {
      case 'scan':
        if (parent === 'scans' && attrs.id !== undefined) {
          this.scans.set(attrs.id, {
            ...optional('start', fromCompactTime(attrs.startTime)),
            ...optional('end', fromCompactTime(attrs.endTime)),
          });
        }
        break;
      case 'node':
        if (parent === 'nodes' && this.node === undefined) {
          this.emitScan();
          this.node = {
            depth,
            status: nonEmpty(attrs.status),
            address: nonEmpty(attrs.address),
            mac: normalizeMac(attrs['hardware-address']),
            names: [],
            os: undefined,
            osCertainty: 0,
            asset: undefined,
          };
        }
        break;
      case 'os':
        // Fingerprints come with a certainty; keep the most certain (the first among equals).
        if (this.node && parent === 'fingerprints') {
          const certainty = Number(attrs.certainty ?? '0') || 0;
          if (this.node.os === undefined || certainty > this.node.osCertainty) {
            this.node.os = osName(attrs);
            this.node.osCertainty = certainty;
          }
        }
        break;
      case 'endpoint':
        if (this.node) {
          this.endpoint = {
            port: parsePort(attrs.port),
            protocol: nonEmpty(attrs.protocol)?.toLowerCase(),
            status: nonEmpty(attrs.status),
            service: undefined,
            product: undefined,
            certainty: 0,
          };
        }
        break;
      case 'service':
        // Nexpose writes "<unknown>" for unidentified services.
        if (this.endpoint && attrs.name !== '<unknown>')
          this.endpoint.service = nonEmpty(attrs.name);
        break;
      case 'fingerprint':
        if (this.endpoint && parent === 'fingerprints') {
          const certainty = Number(attrs.certainty ?? '0') || 0;
          if (this.endpoint.product === undefined || certainty > this.endpoint.certainty) {
            this.endpoint.product = osName(attrs);
            this.endpoint.certainty = certainty;
          }
        }
        break;
      case 'test':
        if (this.node && (attrs.status ?? '').startsWith('vulnerable')) {
          this.test = { attrs };
          this.doc.captureSubtree();
        } else if (this.node) this.doc.skipSubtree();
        break;
      case 'vulnerability':
        if (parent === 'VulnerabilityDefinitions' && attrs.id) {
          this.definition = { id: attrs.id, attrs, ids: new VulnIds(), solution: undefined };
        }
        break;
      default:
        break;
    }
  }

  close(name: string, text: string, attrs: XmlAttrs, depth: number): void {
    const parent = this.doc.stack[depth - 2];
    const definition = this.definition;
    if (definition !== undefined) {
      if (name === 'vulnerability' && parent === 'VulnerabilityDefinitions') {
        this.finishDefinition(definition);
      } else if (name === 'reference' && parent === 'references') {
        definition.ids.addTyped(attrs.source ?? 'REF', text);
      } else if (name === 'solution' && parent === 'vulnerability') {
        definition.solution = meaningfulSolution(collapseLines(text));
      }
      return;
    }
    const node = this.node;
    switch (name) {
      case 'name':
        if (node && parent === 'names') node.names.push(text.trim());
        break;
      case 'test':
        if (this.test && node) this.finishTest(node, this.test.attrs, text);
        this.test = undefined;
        break;
      case 'endpoint':
        if (node && this.endpoint) this.openPort(node, this.endpoint);
        this.endpoint = undefined;
        break;
      case 'node':
        if (node && depth === node.depth) {
          this.nodeAsset(node);
          this.hostUp(node);
          this.node = undefined;
        }
        break;
      case 'scans':
        this.emitScan();
        break;
      default:
        break;
    }
  }

  async *end(): AsyncGenerator<ImportRecord> {
    this.emitScan();
    yield* this.doc.takeQueued();
    let undefinedRefs = 0;
    for await (const t of this.pending.drain()) {
      const definition = this.definitions.get(t.vulnId);
      if (definition === undefined) {
        undefinedRefs++;
        continue;
      }
      yield { kind: 'finding', finding: this.finding(t, definition) };
    }
    if (undefinedRefs > 0) {
      yield {
        kind: 'note',
        message: `${this.doc.fileName}: ${undefinedRefs} vulnerable test result(s) name vulnerabilities the report does not define; they were skipped.`,
      };
    }
  }

  dispose(): void {
    this.pending.dispose();
  }

  private emitScan(): void {
    if (this.scanEmitted) return;
    this.scanEmitted = true;
    let start: string | undefined;
    let end: string | undefined;
    for (const scan of this.scans.values()) {
      if (scan.start !== undefined && (start === undefined || scan.start < start))
        start = scan.start;
      if (scan.end !== undefined && (end === undefined || scan.end > end)) end = scan.end;
    }
    this.doc.emit({
      kind: 'scan',
      scan: {
        scanner: 'Nexpose',
        ...optional('startedAt', start),
        ...optional('finishedAt', end),
      },
    });
  }

  private nodeAsset(node: NodeState): NormalizedAsset {
    if (node.asset !== undefined) return node.asset;
    const asset: NormalizedAsset = {};
    if (node.address !== undefined) asset.ip = node.address;
    const name = node.names.find((n) => n !== '');
    if (name !== undefined) asset.hostname = name;
    const fqdn = node.names.find((n) => n.includes('.'));
    if (fqdn !== undefined) asset.fqdn = fqdn;
    if (node.mac !== undefined) asset.mac = node.mac;
    if (node.os !== undefined) asset.os = node.os;
    node.asset = asset;
    this.doc.emit({ kind: 'asset', asset });
    return asset;
  }

  /** When the report's scans ran (the latest), for findings without a test time of their own. */
  private lastScan(): { start?: string; end?: string } | undefined {
    return [...this.scans.values()].at(-1);
  }

  private serviceFinding(
    node: NodeState,
    key: string,
    title: string,
    evidence: string[],
  ): NormalizedFinding {
    const finding: NormalizedFinding = {
      format: 'nexpose-xml',
      kind: 'service',
      scanner: { name: 'Nexpose' },
      asset: this.nodeAsset(node),
      vulnerability: { key, cves: [], title, severity: 'info', cwes: [], references: [] },
      evidence: evidence.join('\n'),
    };
    const scan = this.lastScan();
    if (scan?.start !== undefined) finding.firstSeen = scan.start;
    if (scan?.end !== undefined) finding.lastSeen = scan.end;
    return finding;
  }

  private hostUp(node: NodeState): void {
    if (node.status !== 'alive') return;
    const evidence = [`status: ${node.status}`];
    if (node.os !== undefined) evidence.push(`os: ${node.os} (certainty ${node.osCertainty})`);
    this.doc.emit({
      kind: 'finding',
      finding: this.serviceFinding(node, 'nexpose:host-up', 'Host up', evidence),
    });
  }

  private openPort(node: NodeState, e: EndpointState): void {
    if (e.status !== 'open' || e.port === undefined) return;
    const label = `${e.port}/${e.protocol ?? ''}`;
    const evidence = [`port ${label} open`];
    if (e.service !== undefined) evidence.push(`service: ${e.service}`);
    if (e.product !== undefined)
      evidence.push(`fingerprint: ${e.product} (certainty ${e.certainty})`);
    const finding = this.serviceFinding(
      node,
      'nexpose:open-port',
      `Open port ${label}${e.service !== undefined ? ` (${e.service})` : ''}`,
      evidence,
    );
    finding.port = e.port;
    if (e.protocol !== undefined) finding.protocol = e.protocol;
    if (e.service !== undefined) finding.service = e.service;
    this.doc.emit({ kind: 'finding', finding });
  }

  private finishTest(node: NodeState, attrs: XmlAttrs, text: string): void {
    const vulnId = nonEmpty(attrs.id);
    if (vulnId === undefined) return;
    const result: TestResult = {
      asset: this.nodeAsset(node),
      vulnId,
      status: attrs.status ?? '',
    };
    const endpoint = this.endpoint;
    if (endpoint?.port !== undefined) result.port = endpoint.port;
    if (endpoint?.protocol !== undefined) result.protocol = endpoint.protocol;
    if (endpoint?.service !== undefined) result.service = endpoint.service;
    const proof = nonEmpty(collapseLines(text));
    if (proof !== undefined) result.proof = proof;
    const since = fromCompactTime(attrs['vulnerable-since']);
    if (since !== undefined) result.since = since;
    if (attrs['scan-id'] !== undefined) result.scanId = attrs['scan-id'];
    this.pending.push(result);
  }

  private finishDefinition(d: DefinitionState): void {
    this.definition = undefined;
    const a = d.attrs;
    const definition: Definition = {
      title: nonEmpty(a.title) ?? d.id,
      severity: a.severity,
      ...d.ids.parts,
    };
    const cvss2 = parseScore(a.cvssScore);
    const cvss3 = parseScore(a.cvssV3Score);
    const rawVector = nonEmpty(a.cvssV3Vector);
    const cvss3Vector = rawVector && (vectorInParens(rawVector) ?? rawVector);
    if (cvss2 !== undefined) definition.cvss2 = cvss2;
    if (cvss3 !== undefined) definition.cvss3 = cvss3;
    if (cvss3Vector !== undefined) definition.cvss3Vector = cvss3Vector;
    if (d.solution !== undefined) definition.solution = d.solution;
    this.definitions.set(d.id, definition);
  }

  private finding(t: TestResult, d: Definition): NormalizedFinding {
    const finding: NormalizedFinding = {
      format: 'nexpose-xml',
      scanner: { name: 'Nexpose', pluginId: t.vulnId },
      asset: t.asset,
      vulnerability: {
        key: `nexpose:${t.vulnId}`,
        cves: d.cves,
        title: d.title,
        severity: nexposeSeverity(d.severity),
        cwes: [],
        references: d.references,
      },
    };
    if (t.port !== undefined) finding.port = t.port;
    if (t.protocol !== undefined) finding.protocol = t.protocol;
    if (t.service !== undefined) finding.service = t.service;
    if (d.cvss3 !== undefined) finding.vulnerability.cvss3 = d.cvss3;
    if (d.cvss3Vector !== undefined) finding.vulnerability.cvss3Vector = d.cvss3Vector;
    if (d.cvss2 !== undefined) finding.vulnerability.cvss2 = d.cvss2;
    if (d.solution !== undefined) finding.solution = d.solution;
    if (t.proof !== undefined) {
      finding.evidence = t.proof;
      const component = nexposeInstalled(t.proof);
      if (component !== undefined) finding.component = component;
    }
    const scan = t.scanId !== undefined ? this.scans.get(t.scanId) : undefined;
    const lastScan = scan ?? [...this.scans.values()].at(-1);
    const firstSeen = t.since ?? lastScan?.start;
    if (firstSeen !== undefined) finding.firstSeen = firstSeen;
    if (lastScan?.end !== undefined) finding.lastSeen = lastScan.end;
    return finding;
  }
}

function osName(attrs: XmlAttrs): string | undefined {
  const vendor = nonEmpty(attrs.vendor);
  const product = nonEmpty(attrs.product);
  const version = nonEmpty(attrs.version);
  const words = [vendor, product !== vendor ? product : undefined, version].filter(Boolean);
  return words.length > 0 ? words.join(' ') : undefined;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

export const nexposeXmlImporter: Importer = {
  format: 'nexpose-xml',
  label: 'Rapid7 Nexpose / InsightVM (XML export 2.0)',
  hints: 'XML root <NexposeReport version="2.0"> with nodes/tests and VulnerabilityDefinitions',
  sniff(head) {
    const root = findRoot(head);
    if (root?.name !== 'NexposeReport') return 0;
    return /version="2\.0"/.test(root.tag) ? 0.95 : 0.9;
  },
  parse(input, ctx) {
    return readXml(input, ctx, (doc) => new NexposeHandler(doc));
  },
};
