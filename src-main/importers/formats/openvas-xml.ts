/**
 * Greenbone / OpenVAS XML report (GMP get_reports, report format "XML"): report > report >
 * results > result, then the scanned hosts (<host>) after all results.
 */
import type {
  ImportRecord,
  Importer,
  NormalizedAsset,
  NormalizedFinding,
  Severity,
} from '../types';
import {
  cpeProduct,
  installedVersion,
  openvasPackage,
  productFromTitle,
  type Component,
} from '../xml/components';
import { severityFromCvss, severityFromWord } from '../xml/severity';
import { findRoot } from '../xml/sniff';
import { readXml, type XmlAttrs, type XmlDocument, type XmlHandler } from '../xml/stream-xml';
import { VulnIds } from '../xml/vuln-ids';
import {
  meaningfulSolution,
  nonEmpty,
  normalizeMac,
  parsePort,
  parseScore,
  tidyText,
  toIso,
} from '../xml/values';

interface ResultState {
  depth: number;
  ip: string | undefined;
  hostname: string | undefined;
  port: string | undefined;
  oid: string | undefined;
  resultName: string | undefined;
  nvtName: string | undefined;
  cvssBase: string | undefined;
  tags: string | undefined;
  solution: string | undefined;
  threat: string | undefined;
  severity: string | undefined;
  description: string | undefined;
  ids: VulnIds;
  severityType: string | undefined;
  cvss2: number | undefined;
  cvss3: number | undefined;
  cvss3Vector: string | undefined;
  detailName: string | undefined;
  productCpe: string | undefined;
}

interface HostState {
  ip: string | undefined;
  hostname: string | undefined;
  start: string | undefined;
  end: string | undefined;
  details: Map<string, string>;
  detailName: string | undefined;
  detailValue: string | undefined;
}

class OpenvasHandler implements XmlHandler {
  private result: ResultState | undefined;
  private host: HostState | undefined;
  private gmpVersion: string | undefined;
  private scanStart: string | undefined;
  private scanEnd: string | undefined;
  private timestamp: string | undefined;
  private finished = false;
  /** Hosts named by results, until a <host> element covers them (bounded by host count). */
  private readonly resultHosts = new Map<string, string | undefined>();
  private readonly hostsDone = new Set<string>();
  private skipped = 0;

  constructor(private readonly doc: XmlDocument) {}

  open(name: string, attrs: XmlAttrs, depth: number): void {
    if (depth === 1) {
      if (name !== 'report' && name !== 'get_reports_response') {
        this.doc.fail(`expected an OpenVAS <report> root element, found <${name}>.`);
      }
      return;
    }
    const parent = this.doc.stack[depth - 2];
    const result = this.result;
    if (result !== undefined) {
      if (
        parent === 'host' &&
        result.ip === undefined &&
        (name === 'asset' || name === 'hostname')
      ) {
        // <host>10.0.0.1<asset/><hostname>x</hostname></host>: the address precedes the children.
        result.ip = nonEmpty(this.doc.text);
      } else if (name === 'nvt') result.oid = attrs.oid;
      else if (name === 'ref' && parent === 'refs' && attrs.type && attrs.id) {
        result.ids.addTyped(attrs.type, attrs.id);
      } else if (name === 'severity' && parent === 'severities') result.severityType = attrs.type;
      return;
    }
    if (name === 'result' && parent === 'results') this.result = newResult(depth);
    else if (name === 'host' && parent === 'report') {
      this.host = {
        ip: undefined,
        hostname: undefined,
        start: undefined,
        end: undefined,
        details: new Map(),
        detailName: undefined,
        detailValue: undefined,
      };
    } else if (name === 'ports' && parent === 'report') this.doc.skipSubtree();
  }

  close(name: string, text: string, _attrs: XmlAttrs, depth: number): void {
    const parent = this.doc.stack[depth - 2];
    const result = this.result;
    if (result !== undefined) {
      if (depth === result.depth) this.finishResult(result);
      else this.resultField(result, name, parent, text);
      return;
    }
    const host = this.host;
    if (host !== undefined) {
      if (name === 'host' && parent === 'report') this.finishHost(host);
      else this.hostField(host, name, parent, text);
      return;
    }
    switch (name) {
      case 'version':
        if (parent === 'gmp' || parent === 'omp') this.gmpVersion ??= nonEmpty(text);
        break;
      case 'scan_start':
        this.scanStart ??= toIso(text);
        break;
      case 'scan_end':
        this.scanEnd ??= toIso(text);
        break;
      case 'timestamp':
        if (parent === 'report') this.timestamp ??= toIso(text);
        break;
      case 'report':
        this.finishReport();
        break;
      default:
        break;
    }
  }

  private resultField(result: ResultState, name: string, parent: string | undefined, text: string) {
    switch (name) {
      case 'host':
        if (parent === 'result') result.ip ??= nonEmpty(text);
        break;
      case 'hostname':
        if (parent === 'host') result.hostname = nonEmpty(text);
        break;
      case 'port':
        if (parent === 'result') result.port = nonEmpty(text);
        break;
      case 'name':
        if (parent === 'result') result.resultName = nonEmpty(text);
        else if (parent === 'nvt') result.nvtName = nonEmpty(text);
        else if (parent === 'detail') result.detailName = text.trim();
        break;
      case 'value':
        if (parent === 'detail' && result.detailName === 'product') {
          result.productCpe ??= nonEmpty(text);
        } else if (parent === 'severity' && result.severityType === 'cvss_base_v3') {
          result.cvss3Vector = nonEmpty(text);
        }
        break;
      case 'score':
        if (parent === 'severity' && result.severityType === 'cvss_base_v3') {
          result.cvss3 = parseScore(text);
        } else if (parent === 'severity' && result.severityType === 'cvss_base_v2') {
          result.cvss2 = parseScore(text);
        }
        break;
      case 'cvss_base':
        if (parent === 'nvt') result.cvssBase = text;
        break;
      case 'tags':
        if (parent === 'nvt') result.tags = text;
        break;
      case 'solution':
        if (parent === 'nvt') result.solution = meaningfulSolution(tidyText(text));
        break;
      case 'cve': // OMP 7 and older: "CVE-2011-3389, CVE-2015-0204" or "NOCVE"
        if (parent === 'nvt') result.ids.addCves(text);
        break;
      case 'xref': // OMP 7 and older: "URL:https://..., CERT-BUND:CB-K15/0001" or "NOXREF"
        if (parent === 'nvt') addXrefs(result.ids, text);
        break;
      case 'threat':
        if (parent === 'result') result.threat = text.trim();
        break;
      case 'severity':
        if (parent === 'result') result.severity = text.trim();
        break;
      case 'description':
        if (parent === 'result') result.description = tidyText(text);
        break;
      default:
        break;
    }
  }

  private finishResult(r: ResultState): void {
    this.result = undefined;
    const severity = resultSeverity(r.threat, r.severity);
    if (severity === undefined) {
      this.skipped++;
      return;
    }
    const ip = r.ip;
    if (ip !== undefined && !this.hostsDone.has(ip)) {
      this.resultHosts.set(ip, r.hostname ?? this.resultHosts.get(ip));
    }
    const asset: NormalizedAsset = {};
    if (ip !== undefined) asset.ip = ip;
    if (r.hostname !== undefined) asset.hostname = r.hostname;

    const tags = parseTags(r.tags);
    const vector = tags.get('cvss_base_vector');
    let { cvss2, cvss3, cvss3Vector } = r;
    if (cvss3 === undefined && vector?.startsWith('CVSS:3')) {
      cvss3 = parseScore(r.cvssBase);
      cvss3Vector ??= vector;
    } else if (cvss2 === undefined && cvss3 === undefined) {
      cvss2 = parseScore(r.cvssBase);
    }
    const title = r.nvtName ?? r.resultName ?? `NVT ${r.oid ?? 'unknown'}`;
    const { cves, cwes, references } = r.ids.parts;
    const finding: NormalizedFinding = {
      format: 'openvas-xml',
      scanner: { name: 'OpenVAS', ...(r.oid ? { pluginId: r.oid } : {}) },
      asset,
      vulnerability: {
        key: `openvas:${r.oid ?? title}`,
        cves,
        title,
        severity,
        cwes,
        references,
      },
    };
    const where = parsePortField(r.port);
    if (where.port !== undefined) finding.port = where.port;
    if (where.protocol !== undefined) finding.protocol = where.protocol;
    if (where.service !== undefined) finding.service = where.service;
    if (cvss3 !== undefined) finding.vulnerability.cvss3 = cvss3;
    if (cvss3Vector !== undefined) finding.vulnerability.cvss3Vector = cvss3Vector;
    if (cvss2 !== undefined) finding.vulnerability.cvss2 = cvss2;
    const solution = r.solution ?? meaningfulSolution(tags.get('solution'));
    if (solution !== undefined) finding.solution = this.doc.clip('solution', tidyText(solution));
    if (r.description) {
      finding.evidence = r.description;
      const component = findComponent(r.description, title, r.productCpe);
      if (component !== undefined) finding.component = component;
    }
    // Host start/end come after all results; the report's scan start is the time known now.
    const seen = this.scanStart ?? this.timestamp;
    if (seen !== undefined) {
      finding.firstSeen = seen;
      finding.lastSeen = seen;
    }
    this.doc.emit({ kind: 'finding', finding });
  }

  private hostField(host: HostState, name: string, parent: string | undefined, text: string) {
    if (parent === 'host') {
      if (name === 'ip') host.ip = nonEmpty(text);
      else if (name === 'hostname') host.hostname = nonEmpty(text);
      else if (name === 'start') host.start = toIso(text);
      else if (name === 'end') host.end = toIso(text);
      else if (name === 'detail' && host.detailName && host.detailValue !== undefined) {
        if (!host.details.has(host.detailName)) host.details.set(host.detailName, host.detailValue);
      }
    } else if (parent === 'detail') {
      if (name === 'name') {
        host.detailName = text.trim();
        host.detailValue = undefined;
      } else if (name === 'value') host.detailValue = text.trim();
    }
  }

  private finishHost(host: HostState): void {
    this.host = undefined;
    const asset: NormalizedAsset = {};
    if (host.ip !== undefined) {
      asset.ip = host.ip;
      this.hostsDone.add(host.ip);
    }
    const hostname =
      host.hostname ??
      nonEmpty(host.details.get('hostname')) ??
      (host.ip !== undefined ? this.resultHosts.get(host.ip) : undefined);
    if (hostname !== undefined) asset.hostname = hostname;
    const os = nonEmpty(host.details.get('best_os_txt')) ?? nonEmpty(host.details.get('OS'));
    if (os !== undefined) asset.os = os;
    const mac = normalizeMac(host.details.get('MAC'));
    if (mac !== undefined) asset.mac = mac;
    if (host.ip !== undefined) this.resultHosts.delete(host.ip);
    if (Object.keys(asset).length > 0) this.doc.emit({ kind: 'asset', asset });
  }

  private finishReport(): void {
    if (this.finished) return;
    this.finished = true;
    for (const [ip, hostname] of this.resultHosts) {
      this.doc.emit({ kind: 'asset', asset: hostname ? { ip, hostname } : { ip } });
    }
    this.resultHosts.clear();
    if (this.skipped > 0) {
      this.doc.emit({
        kind: 'note',
        message: `${this.doc.fileName}: ${this.skipped} result(s) marked False Positive or Error were skipped.`,
      });
    }
    this.doc.emit(this.scanRecord());
  }

  private scanRecord(): ImportRecord {
    return {
      kind: 'scan',
      scan: {
        scanner: 'OpenVAS',
        ...(this.gmpVersion !== undefined ? { scannerVersion: `GMP ${this.gmpVersion}` } : {}),
        ...(this.scanStart !== undefined ? { startedAt: this.scanStart } : {}),
        ...(this.scanEnd !== undefined ? { finishedAt: this.scanEnd } : {}),
      },
    };
  }
}

function newResult(depth: number): ResultState {
  return {
    depth,
    ip: undefined,
    hostname: undefined,
    port: undefined,
    oid: undefined,
    resultName: undefined,
    nvtName: undefined,
    cvssBase: undefined,
    tags: undefined,
    solution: undefined,
    threat: undefined,
    severity: undefined,
    description: undefined,
    ids: new VulnIds(),
    severityType: undefined,
    cvss2: undefined,
    cvss3: undefined,
    cvss3Vector: undefined,
    detailName: undefined,
    productCpe: undefined,
  };
}

/**
 * The threat word decides (Critical, High, Medium, Low, Log); without one, the numeric
 * severity with the NVD ranges. False Positive (-1) and Error (-3) results are skipped.
 */
function resultSeverity(
  threat: string | undefined,
  severity: string | undefined,
): Severity | undefined {
  const word = threat?.toLowerCase();
  if (word === 'false positive' || word === 'error') return undefined;
  const fromWord = severityFromWord(threat);
  if (fromWord !== undefined) return fromWord;
  const score = severity !== undefined ? Number(severity) : Number.NaN;
  if (!Number.isFinite(score)) return 'info';
  if (score < 0) return undefined;
  return severityFromCvss(Math.min(score, 10));
}

/** "summary=...|insight=...|solution=...|cvss_base_vector=..." */
function parseTags(raw: string | undefined): Map<string, string> {
  const tags = new Map<string, string>();
  if (raw === undefined) return tags;
  for (const part of raw.split('|')) {
    const at = part.indexOf('=');
    if (at > 0) tags.set(part.slice(0, at).trim(), part.slice(at + 1));
  }
  return tags;
}

function addXrefs(ids: VulnIds, raw: string): void {
  for (const part of raw.split(/,\s+/)) {
    const at = part.indexOf(':');
    if (at > 0) ids.addTyped(part.slice(0, at), part.slice(at + 1));
  }
}

/** "443/tcp", "general/tcp", "general/icmp", "www (80/tcp)". */
function parsePortField(raw: string | undefined): {
  port?: number;
  protocol?: string;
  service?: string;
} {
  const match = raw ? /(?:^(\S+) \()?(\d{1,5}|[a-z-]+)\/([a-z0-9-]+)\)?/i.exec(raw) : null;
  if (!match) return {};
  const out: { port?: number; protocol?: string; service?: string } = {};
  const port = parsePort(match[2]);
  if (port !== undefined) out.port = port;
  if (match[3]) out.protocol = match[3].toLowerCase();
  if (match[1]) out.service = match[1];
  return out;
}

function findComponent(
  description: string,
  title: string,
  productCpe: string | undefined,
): Component | undefined {
  if (!description.includes('nstalled version')) return undefined;
  const hint = (productCpe ? cpeProduct(productCpe)?.name : undefined) ?? productFromTitle(title);
  return openvasPackage(description) ?? installedVersion(description, hint);
}

export const openvasXmlImporter: Importer = {
  format: 'openvas-xml',
  label: 'Greenbone / OpenVAS (XML report)',
  hints: 'XML root <report> (GMP report format "XML") with <results>/<result>/<nvt oid=...>',
  sniff(head) {
    const root = findRoot(head);
    if (root === undefined) return 0;
    if (root.name === 'get_reports_response') return head.includes('<report') ? 0.9 : 0.5;
    if (root.name !== 'report') return 0;
    const gmp = /<(?:gmp|omp)>/.test(head) || head.includes('<nvt oid=');
    if (gmp) return 0.95;
    return /format_id="[0-9a-f-]{36}"/.test(root.tag) || head.includes('<scan_run_status>')
      ? 0.85
      : 0.2;
  },
  parse(input, ctx) {
    return readXml(input, ctx, (doc) => new OpenvasHandler(doc));
  },
};
