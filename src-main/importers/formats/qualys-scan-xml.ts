/**
 * Qualys VM scan results XML downloaded from the WebGUI (SCAN, scan-1.dtd): HEADER keys,
 * then one IP element per host with INFOS / SERVICES / VULNS / PRACTICES, each grouped in
 * CAT elements (which carry port and protocol) and holding the QID's details inline.
 */
import type { ImportRecord, Importer, NormalizedAsset, NormalizedFinding } from '../types';
import { qualysPackageTable } from '../xml/components';
import { qualysSeverity } from '../xml/severity';
import { findRoot } from '../xml/sniff';
import { readXml, type XmlAttrs, type XmlDocument, type XmlHandler } from '../xml/stream-xml';
import { VulnIds } from '../xml/vuln-ids';
import {
  htmlToText,
  meaningfulSolution,
  nonEmpty,
  parsePort,
  parseScore,
  tidyText,
  toIso,
  vectorInParens,
} from '../xml/values';

const ITEM_ELEMENTS = new Set(['INFO', 'SERVICE', 'VULN', 'PRACTICE']);

interface HostState {
  ip: string | undefined;
  dnsName: string | undefined;
  fields: Map<string, string>;
  asset: NormalizedAsset | undefined;
}

interface ItemState {
  depth: number;
  kind: string;
  qid: string;
  severity: string | undefined;
  fields: Map<string, string>;
  ids: VulnIds;
}

interface Category {
  port: number | undefined;
  protocol: string | undefined;
}

class QualysScanHandler implements XmlHandler {
  private readonly header = new Map<string, string>();
  private profile: string | undefined;
  private scanDate: string | undefined;
  private host: HostState | undefined;
  private category: Category | undefined;
  private item: ItemState | undefined;

  constructor(private readonly doc: XmlDocument) {}

  open(name: string, attrs: XmlAttrs, depth: number): void {
    if (depth === 1) {
      if (name !== 'SCAN') this.doc.fail(`expected a Qualys <SCAN> root element, found <${name}>.`);
      return;
    }
    const item = this.item;
    if (item !== undefined) {
      if (name === 'CORRELATION') this.doc.skipSubtree();
      return;
    }
    const parent = this.doc.stack[depth - 2];
    if (name === 'IP' && parent === 'SCAN') {
      this.host = {
        ip: nonEmpty(attrs.value),
        dnsName: registeredName(attrs.name),
        fields: new Map(),
        asset: undefined,
      };
    } else if (name === 'CAT' && this.host) {
      this.hostAsset(this.host);
      this.category = {
        port: parsePort(attrs.port),
        protocol: nonEmpty(attrs.protocol)?.toLowerCase(),
      };
    } else if (ITEM_ELEMENTS.has(name) && this.category) {
      const ids = new VulnIds();
      if (attrs.cveid) ids.addCves(attrs.cveid);
      this.item = {
        depth,
        kind: name,
        qid: attrs.number ?? '',
        severity: attrs.severity,
        fields: new Map(),
        ids,
      };
    }
  }

  close(name: string, text: string, attrs: XmlAttrs, depth: number): void {
    const parent = this.doc.stack[depth - 2];
    const item = this.item;
    if (item !== undefined) {
      if (depth === item.depth) this.finishItem(item);
      else if (name === 'ID' && parent === 'CVE_ID') item.ids.addCves(text);
      else if (name === 'URL' && parent !== 'CVE_ID') item.ids.addUrls(text);
      else if (parent === item.kind) item.fields.set(name, text);
      return;
    }
    switch (name) {
      case 'KEY':
        if (parent === 'HEADER' && attrs.value) this.header.set(attrs.value, text.trim());
        break;
      case 'OPTION_PROFILE_TITLE':
        this.profile = nonEmpty(text);
        break;
      case 'HEADER':
        this.doc.emit(this.scanRecord());
        break;
      case 'CAT':
        this.category = undefined;
        break;
      case 'IP':
        if (this.host && parent === 'SCAN') {
          this.hostAsset(this.host);
          this.host = undefined;
        }
        break;
      default:
        if (this.host && parent === 'IP') this.host.fields.set(name, text.trim());
        break;
    }
  }

  private hostAsset(host: HostState): NormalizedAsset {
    if (host.asset !== undefined) return host.asset;
    const asset: NormalizedAsset = {};
    const netbios = nonEmpty(host.fields.get('NETBIOS_HOSTNAME'));
    const os = nonEmpty(host.fields.get('OS'));
    if (host.ip !== undefined) asset.ip = host.ip;
    const hostname = netbios ?? host.dnsName;
    if (hostname !== undefined) asset.hostname = hostname;
    if (host.dnsName?.includes('.')) asset.fqdn = host.dnsName;
    if (os !== undefined) asset.os = os;
    host.asset = asset;
    this.doc.emit({ kind: 'asset', asset });
    return asset;
  }

  private finishItem(item: ItemState): void {
    this.item = undefined;
    const host = this.host;
    if (host === undefined) return;
    const f = item.fields;
    const { cves, cwes, references } = item.ids.parts;
    const finding: NormalizedFinding = {
      format: 'qualys-scan-xml',
      scanner: { name: 'Qualys', pluginId: item.qid },
      asset: this.hostAsset(host),
      vulnerability: {
        key: `qualys:${item.qid}`,
        cves,
        title: nonEmpty(f.get('TITLE')) ?? `QID ${item.qid}`,
        // INFO and SERVICE are information gathered; VULN confirmed, PRACTICE potential.
        severity: qualysSeverity(item.severity, item.kind === 'INFO' || item.kind === 'SERVICE'),
        cwes,
        references,
      },
    };
    const category = this.category;
    if (category?.port !== undefined) finding.port = category.port;
    if (category?.protocol !== undefined) finding.protocol = category.protocol;
    const cvss2 = parseScore(f.get('CVSS_BASE'));
    const cvss3 = parseScore(f.get('CVSS3_BASE'));
    const cvss3Vector = vectorInParens(f.get('CVSS3_BASE'));
    if (cvss3 !== undefined) finding.vulnerability.cvss3 = cvss3;
    if (cvss3Vector !== undefined) finding.vulnerability.cvss3Vector = cvss3Vector;
    if (cvss2 !== undefined) finding.vulnerability.cvss2 = cvss2;
    const solution = meaningfulSolution(htmlToText(f.get('SOLUTION') ?? ''));
    if (solution !== undefined) finding.solution = solution;
    const result = nonEmpty(f.get('RESULT'));
    if (result !== undefined) {
      finding.evidence = tidyText(result);
      const component = qualysPackageTable(finding.evidence);
      if (component !== undefined) finding.component = component;
    }
    if (this.scanDate !== undefined) {
      finding.firstSeen = this.scanDate;
      finding.lastSeen = this.scanDate;
    }
    this.doc.emit({ kind: 'finding', finding });
  }

  private scanRecord(): ImportRecord {
    this.scanDate = toIso(this.header.get('DATE'));
    const finishedAt = addDuration(this.scanDate, this.header.get('DURATION'));
    return {
      kind: 'scan',
      scan: {
        scanner: 'Qualys',
        ...(this.scanDate !== undefined ? { startedAt: this.scanDate } : {}),
        ...(finishedAt !== undefined ? { finishedAt } : {}),
        ...(this.profile !== undefined ? { policy: this.profile } : {}),
      },
    };
  }
}

/** Qualys writes "No registered hostname" when DNS had no name. */
function registeredName(raw: string | undefined): string | undefined {
  const name = nonEmpty(raw);
  return name === undefined || /^no registered hostname$/i.test(name) ? undefined : name;
}

/** DATE plus DURATION ("04:29:11", hours may exceed 24). */
function addDuration(start: string | undefined, duration: string | undefined): string | undefined {
  const match = duration ? /^(\d+):(\d{2}):(\d{2})$/.exec(duration.trim()) : null;
  if (start === undefined || !match) return undefined;
  const seconds = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
  return new Date(Date.parse(start) + seconds * 1000).toISOString();
}

export const qualysScanXmlImporter: Importer = {
  format: 'qualys-scan-xml',
  label: 'Qualys scan results (WebGUI XML, scan-1.dtd)',
  hints: 'XML root <SCAN value="scan/..."> with HEADER/KEY and IP/VULNS/CAT/VULN elements',
  sniff(head) {
    const root = findRoot(head);
    if (root?.name !== 'SCAN') return 0;
    const qualys =
      /\bvalue="scan\//.test(root.tag) ||
      head.includes('scan-1.dtd') ||
      /<KEY value="(?:USERNAME|COMPANY|DATE)"/.test(head);
    return qualys ? 0.95 : 0.3;
  },
  parse(input, ctx) {
    return readXml(input, ctx, (doc) => new QualysScanHandler(doc));
  },
};
