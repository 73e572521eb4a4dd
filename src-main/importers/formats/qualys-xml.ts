/**
 * Qualys host-based vulnerability report XML (ASSET_DATA_REPORT): HOST_LIST with one
 * VULN_INFO per detection, then a GLOSSARY with the QID details (title, severity, CVSS,
 * CVEs, solution), then APPENDICES listing hosts scanned without results. Detections are
 * parked in a SpillBuffer until the glossary has been read.
 */
import type { ImportRecord, Importer, NormalizedAsset, NormalizedFinding } from '../types';
import { qualysPackageTable } from '../xml/components';
import { qualysSeverity } from '../xml/severity';
import { rootName } from '../xml/sniff';
import { SpillBuffer } from '../xml/spill-buffer';
import { readXml, type XmlAttrs, type XmlDocument, type XmlHandler } from '../xml/stream-xml';
import { VulnIds } from '../xml/vuln-ids';
import {
  htmlToText,
  isIpAddress,
  meaningfulSolution,
  nonEmpty,
  parsePort,
  parseScore,
  tidyText,
  toIso,
  vectorInParens,
} from '../xml/values';

/** One detection, waiting for its QID's details. */
interface Detection {
  asset: NormalizedAsset;
  qid: string;
  type?: string;
  port?: number;
  protocol?: string;
  service?: string;
  result?: string;
  firstFound?: string;
  lastFound?: string;
}

interface QidDetails {
  title?: string;
  severity?: string;
  solution?: string;
  cvss2?: number;
  cvss3?: number;
  cvss3Vector?: string;
  cves: string[];
  references: string[];
}

interface DetailsState {
  fields: Map<string, string>;
  ids: VulnIds;
}

interface HostState {
  fields: Map<string, string>;
  asset: NormalizedAsset | undefined;
}

/** Ranges of the no-results appendix are expanded up to this many addresses each. */
const MAX_RANGE_HOSTS = 4096;

class QualysHostReportHandler implements XmlHandler {
  private readonly pending = new SpillBuffer<Detection>();
  private readonly glossary = new Map<string, QidDetails>();
  private host: HostState | undefined;
  private detection: Map<string, string> | undefined;
  private details: DetailsState | undefined;
  private rangeStart: string | undefined;
  private template: string | undefined;

  constructor(private readonly doc: XmlDocument) {}

  open(name: string, _attrs: XmlAttrs, depth: number): void {
    if (depth === 1) {
      if (name !== 'ASSET_DATA_REPORT') {
        this.doc.fail(`expected an <ASSET_DATA_REPORT> root element, found <${name}>.`);
      }
      return;
    }
    const parent = this.doc.stack[depth - 2];
    if (name === 'HOST' && parent === 'HOST_LIST') {
      this.host = { fields: new Map(), asset: undefined };
    } else if (name === 'VULN_INFO_LIST' && this.host) {
      // The host's own fields (IP, DNS, OS...) precede its detections.
      this.hostAsset(this.host);
    } else if (name === 'VULN_INFO' && this.host) {
      this.detection = new Map();
    } else if (name === 'VULN_DETAILS') {
      this.details = { fields: new Map(), ids: new VulnIds() };
    } else if (name === 'RISK_SCORE_PER_HOST') {
      this.doc.skipSubtree();
    }
  }

  close(name: string, text: string, _attrs: XmlAttrs, depth: number): void {
    const parent = this.doc.stack[depth - 2];
    const details = this.details;
    if (details !== undefined) {
      if (name === 'VULN_DETAILS') this.finishDetails(details);
      else if (name === 'ID' && parent === 'CVE_ID') details.ids.addCves(text);
      else if (name === 'URL' && parent !== 'CVE_ID') details.ids.addUrls(text);
      else if (parent === 'VULN_DETAILS' || parent === 'CVSS_SCORE' || parent === 'CVSS3_SCORE') {
        details.fields.set(name, text);
      }
      return;
    }
    const detection = this.detection;
    if (detection !== undefined) {
      if (name === 'VULN_INFO') this.finishDetection(detection);
      else if (parent === 'VULN_INFO') detection.set(name, text);
      return;
    }
    const host = this.host;
    if (host !== undefined) {
      if (name === 'HOST') {
        this.hostAsset(host);
        this.host = undefined;
      } else if (parent === 'HOST') host.fields.set(name, text.trim());
      return;
    }
    switch (name) {
      case 'TEMPLATE':
        if (parent === 'HEADER') this.template = nonEmpty(text);
        break;
      case 'HEADER':
        this.doc.emit({
          kind: 'scan',
          scan: { scanner: 'Qualys', ...(this.template ? { policy: this.template } : {}) },
        });
        break;
      case 'START':
        if (this.inNoResults(depth)) this.rangeStart = text.trim();
        break;
      case 'END':
        if (this.inNoResults(depth)) this.emitRange(this.rangeStart, text.trim());
        break;
      case 'IP':
        if (this.inNoResults(depth)) this.emitRange(text.trim(), text.trim());
        break;
      default:
        break;
    }
  }

  async *end(): AsyncGenerator<ImportRecord> {
    let unknown = 0;
    for await (const d of this.pending.drain()) {
      const details = this.glossary.get(d.qid);
      if (details === undefined) unknown++;
      yield { kind: 'finding', finding: this.finding(d, details) };
    }
    if (unknown > 0) {
      yield {
        kind: 'note',
        message: `${this.doc.fileName}: ${unknown} detection(s) reference QIDs missing from the glossary; imported with title "QID <n>" and severity info.`,
      };
    }
  }

  dispose(): void {
    this.pending.dispose();
  }

  private hostAsset(host: HostState): NormalizedAsset {
    if (host.asset !== undefined) return host.asset;
    const f = host.fields;
    const asset: NormalizedAsset = {};
    const ip = nonEmpty(f.get('IP'));
    const dns = nonEmpty(f.get('DNS'));
    const netbios = nonEmpty(f.get('NETBIOS'));
    const os = nonEmpty(f.get('OPERATING_SYSTEM'));
    if (ip !== undefined) asset.ip = ip;
    if (netbios !== undefined || dns !== undefined) asset.hostname = netbios ?? dns;
    if (dns !== undefined && dns.includes('.')) asset.fqdn = dns;
    if (os !== undefined) asset.os = os;
    host.asset = asset;
    this.doc.emit({ kind: 'asset', asset });
    return asset;
  }

  private finishDetection(fields: Map<string, string>): void {
    this.detection = undefined;
    const host = this.host;
    if (host === undefined) return;
    const qid = nonEmpty(fields.get('QID'));
    if (qid === undefined) return;
    const d: Detection = { asset: this.hostAsset(host), qid };
    const type = nonEmpty(fields.get('TYPE'));
    const port = parsePort(fields.get('PORT'));
    const protocol = nonEmpty(fields.get('PROTOCOL'))?.toLowerCase();
    const service = nonEmpty(fields.get('SERVICE'));
    const result = nonEmpty(fields.get('RESULT'));
    const firstFound = toIso(fields.get('FIRST_FOUND'));
    const lastFound = toIso(fields.get('LAST_FOUND'));
    if (type !== undefined) d.type = type;
    if (port !== undefined) d.port = port;
    if (protocol !== undefined) d.protocol = protocol;
    if (service !== undefined) d.service = service;
    if (result !== undefined) d.result = tidyText(result);
    if (firstFound !== undefined) d.firstFound = firstFound;
    if (lastFound !== undefined) d.lastFound = lastFound;
    this.pending.push(d);
  }

  private finishDetails(details: DetailsState): void {
    this.details = undefined;
    const f = details.fields;
    const qid = nonEmpty(f.get('QID'));
    if (qid === undefined) return;
    const solution = meaningfulSolution(htmlToText(f.get('SOLUTION') ?? ''));
    const entry: QidDetails = { ...details.ids.parts };
    const title = nonEmpty(f.get('TITLE'));
    const severity = nonEmpty(f.get('SEVERITY'));
    const cvss2 = parseScore(f.get('CVSS_BASE'));
    const cvss3 = parseScore(f.get('CVSS3_BASE'));
    const cvss3Vector = vectorInParens(f.get('CVSS3_BASE'));
    if (title !== undefined) entry.title = title;
    if (severity !== undefined) entry.severity = severity;
    if (solution !== undefined) entry.solution = solution;
    if (cvss2 !== undefined) entry.cvss2 = cvss2;
    if (cvss3 !== undefined) entry.cvss3 = cvss3;
    if (cvss3Vector !== undefined) entry.cvss3Vector = cvss3Vector;
    this.glossary.set(qid, entry);
  }

  private finding(d: Detection, details: QidDetails | undefined): NormalizedFinding {
    const informational = d.type?.toLowerCase() === 'ig';
    const finding: NormalizedFinding = {
      format: 'qualys-xml',
      scanner: { name: 'Qualys', pluginId: d.qid },
      asset: d.asset,
      vulnerability: {
        key: `qualys:${d.qid}`,
        cves: details?.cves ?? [],
        title: details?.title ?? `QID ${d.qid}`,
        severity: qualysSeverity(details?.severity, informational || details === undefined),
        cwes: [],
        references: details?.references ?? [],
      },
    };
    if (d.port !== undefined) finding.port = d.port;
    if (d.protocol !== undefined) finding.protocol = d.protocol;
    if (d.service !== undefined) finding.service = d.service;
    if (details?.cvss3 !== undefined) finding.vulnerability.cvss3 = details.cvss3;
    if (details?.cvss3Vector !== undefined) finding.vulnerability.cvss3Vector = details.cvss3Vector;
    if (details?.cvss2 !== undefined) finding.vulnerability.cvss2 = details.cvss2;
    if (details?.solution) finding.solution = details.solution;
    if (d.result !== undefined) {
      finding.evidence = d.result;
      const component = qualysPackageTable(d.result);
      if (component !== undefined) finding.component = component;
    }
    if (d.firstFound !== undefined) finding.firstSeen = d.firstFound;
    if (d.lastFound !== undefined) finding.lastSeen = d.lastFound;
    return finding;
  }

  private inNoResults(depth: number): boolean {
    return this.doc.stack.lastIndexOf('NO_RESULTS', depth - 1) >= 0;
  }

  /** Hosts scanned without results still count as covered. */
  private emitRange(start: string | undefined, end: string): void {
    this.rangeStart = undefined;
    if (start === undefined || start === '') return;
    const ips = expandRange(start, end || start);
    if (ips === undefined) {
      this.doc.noteOnce(
        `range:${start}-${end}`,
        `${this.doc.fileName}: the no-results range ${start}-${end} was not expanded into assets.`,
      );
      return;
    }
    for (const ip of ips) this.doc.emit({ kind: 'asset', asset: { ip } });
  }
}

function ipv4ToInt(ip: string): number | undefined {
  if (!isIpAddress(ip) || ip.includes(':')) return undefined;
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The addresses of an IPv4 range; a single address of any kind as is; else undefined. */
function expandRange(start: string, end: string): string[] | undefined {
  if (start === end) return [start];
  const a = ipv4ToInt(start);
  const b = ipv4ToInt(end);
  if (a === undefined || b === undefined || b < a || b - a >= MAX_RANGE_HOSTS) return undefined;
  const ips: string[] = [];
  for (let n = a; n <= b; n++) ips.push(intToIpv4(n));
  return ips;
}

export const qualysXmlImporter: Importer = {
  format: 'qualys-xml',
  label: 'Qualys host-based vulnerability report (XML)',
  hints: 'XML root <ASSET_DATA_REPORT> with HOST_LIST/VULN_INFO and a GLOSSARY of QIDs',
  sniff(head) {
    return rootName(head) === 'ASSET_DATA_REPORT' ? 0.95 : 0;
  },
  parse(input, ctx) {
    return readXml(input, ctx, (doc) => new QualysHostReportHandler(doc));
  },
};
