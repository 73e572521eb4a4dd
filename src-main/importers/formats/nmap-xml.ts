/**
 * Nmap XML (-oX). Every open port is an informational finding ("nmap:open-port"); entries
 * of the `vulners` NSE script are real findings with CVE ids and scores. A host's
 * findings wait until its end tag: Nmap writes the OS guess after the ports, and the
 * asset record should come first and complete (bounded by one host's ports).
 */
import type { Importer, NormalizedAsset, NormalizedFinding } from '../types';
import { cpeProduct } from '../xml/components';
import { severityFromCvss } from '../xml/severity';
import { rootName } from '../xml/sniff';
import { readXml, type XmlAttrs, type XmlDocument, type XmlHandler } from '../xml/stream-xml';
import { cvesIn, nonEmpty, normalizeMac, parsePort, parseScore, toIso } from '../xml/values';
import { VulnersTables, vulnersFromOutput, type VulnersEntry } from '../xml/vulners';

interface HostState {
  up: boolean;
  start: string | undefined;
  end: string | undefined;
  ip: string | undefined;
  mac: string | undefined;
  userName: string | undefined;
  ptrName: string | undefined;
  os: string | undefined;
  pending: Omit<NormalizedFinding, 'asset'>[];
}

interface ServiceInfo {
  name?: string;
  product?: string;
  version?: string;
  extrainfo?: string;
  tunnel?: string;
}

interface PortState {
  port: number | undefined;
  protocol: string;
  open: boolean;
  service: ServiceInfo;
  cpes: string[];
  scripts: string[];
  vulners: VulnersEntry[];
}

interface ScriptState {
  depth: number;
  output: string;
  tables: VulnersTables;
}

const MAX_SCRIPT_EVIDENCE = 4096;

class NmapHandler implements XmlHandler {
  private host: HostState | undefined;
  private port: PortState | undefined;
  private vulners: ScriptState | undefined;
  private version: string | undefined;
  private args: string | undefined;
  private startedAt: string | undefined;
  private finishedAt: string | undefined;
  private downHosts = 0;

  constructor(private readonly doc: XmlDocument) {}

  open(name: string, attrs: XmlAttrs, depth: number): void {
    if (depth === 1) {
      if (name !== 'nmaprun') this.doc.fail(`expected an <nmaprun> root element, found <${name}>.`);
      this.version = nonEmpty(attrs.version);
      this.args = nonEmpty(attrs.args);
      this.startedAt = toIso(attrs.start);
      return;
    }
    const vulners = this.vulners;
    if (vulners !== undefined) {
      if (name === 'table' && depth === vulners.depth + 1) vulners.tables.openCpe(attrs.key);
      else if (name === 'table' && depth === vulners.depth + 2) vulners.tables.openEntry();
      return;
    }
    const host = this.host;
    switch (name) {
      case 'host':
        this.host = {
          up: true,
          start: toIso(attrs.starttime),
          end: toIso(attrs.endtime),
          ip: undefined,
          mac: undefined,
          userName: undefined,
          ptrName: undefined,
          os: undefined,
          pending: [],
        };
        break;
      case 'status':
        if (host && attrs.state) host.up = attrs.state === 'up';
        break;
      case 'address':
        if (host) this.address(host, attrs);
        break;
      case 'hostname':
        if (host && attrs.name) {
          if (attrs.type === 'user') host.userName ??= attrs.name;
          else if (attrs.type === 'PTR') host.ptrName ??= attrs.name;
        }
        break;
      case 'osmatch':
        // Nmap lists OS matches best first.
        if (host) host.os ??= nonEmpty(attrs.name);
        break;
      case 'port':
        if (host) {
          this.port = {
            port: parsePort(attrs.portid),
            protocol: attrs.protocol ?? 'tcp',
            open: false,
            service: {},
            cpes: [],
            scripts: [],
            vulners: [],
          };
        }
        break;
      case 'state':
        if (this.port) this.port.open = attrs.state === 'open';
        break;
      case 'service':
        if (this.port) {
          this.port.service = {
            name: nonEmpty(attrs.name),
            product: nonEmpty(attrs.product),
            version: nonEmpty(attrs.version),
            extrainfo: nonEmpty(attrs.extrainfo),
            tunnel: nonEmpty(attrs.tunnel),
          };
        }
        break;
      case 'script':
        if (this.port && attrs.id === 'vulners') {
          this.vulners = { depth, output: attrs.output ?? '', tables: new VulnersTables() };
        } else if (this.port && attrs.id && attrs.output) {
          this.port.scripts.push(`${attrs.id}: ${attrs.output.trim()}`);
        }
        break;
      case 'finished':
        this.finishedAt = toIso(attrs.time);
        break;
      default:
        break;
    }
  }

  close(name: string, text: string, attrs: XmlAttrs, depth: number): void {
    const vulners = this.vulners;
    if (vulners !== undefined) {
      if (depth === vulners.depth) this.finishVulners(vulners);
      else if (name === 'elem' && depth === vulners.depth + 3) vulners.tables.elem(attrs.key, text);
      else if (name === 'table' && depth === vulners.depth + 2) vulners.tables.closeEntry();
      return;
    }
    switch (name) {
      case 'cpe':
        if (this.port && this.doc.stack[depth - 2] === 'service') this.port.cpes.push(text.trim());
        break;
      case 'port':
        if (this.port) this.finishPort(this.port);
        this.port = undefined;
        break;
      case 'host':
        if (this.host) this.finishHost(this.host);
        this.host = undefined;
        break;
      case 'nmaprun':
        this.finishRun();
        break;
      default:
        break;
    }
  }

  private address(host: HostState, attrs: XmlAttrs): void {
    const addr = nonEmpty(attrs.addr);
    if (addr === undefined) return;
    if (attrs.addrtype === 'mac') host.mac ??= normalizeMac(addr);
    else if (attrs.addrtype === 'ipv4' || attrs.addrtype === 'ipv6') host.ip ??= addr;
  }

  private finishPort(p: PortState): void {
    const host = this.host;
    if (host === undefined || !p.open || p.port === undefined) return;
    const label = `${p.port}/${p.protocol}`;
    const finding: Omit<NormalizedFinding, 'asset'> = {
      format: 'nmap-xml',
      kind: 'service',
      scanner: { name: 'Nmap' },
      port: p.port,
      protocol: p.protocol,
      vulnerability: {
        key: 'nmap:open-port',
        cves: [],
        title: `Open port ${label}${p.service.name ? ` (${p.service.name})` : ''}`,
        severity: 'info',
        cwes: [],
        references: [],
      },
    };
    if (p.service.name !== undefined) finding.service = p.service.name;
    const evidence = portEvidence(p);
    if (evidence !== '') finding.evidence = this.doc.clip('evidence', evidence);
    host.pending.push(finding);
    for (const entry of p.vulners) host.pending.push(vulnersFinding(entry, p));
  }

  private finishVulners(script: ScriptState): void {
    this.vulners = undefined;
    this.port?.vulners.push(
      ...(script.tables.entries.length ? script.tables.entries : vulnersFromOutput(script.output)),
    );
  }

  private finishHost(host: HostState): void {
    if (!host.up) {
      this.downHosts++;
      return;
    }
    const asset: NormalizedAsset = {};
    if (host.ip !== undefined) asset.ip = host.ip;
    const hostname = host.userName ?? host.ptrName;
    if (hostname !== undefined) asset.hostname = hostname;
    const fqdn = [host.ptrName, host.userName].find((n) => n?.includes('.'));
    if (fqdn !== undefined) asset.fqdn = fqdn;
    if (host.mac !== undefined) asset.mac = host.mac;
    if (host.os !== undefined) asset.os = host.os;
    this.doc.emit({ kind: 'asset', asset });
    for (const partial of host.pending) {
      const finding: NormalizedFinding = { ...partial, asset };
      if (host.start !== undefined) finding.firstSeen = host.start;
      if (host.end !== undefined) finding.lastSeen = host.end;
      this.doc.emit({ kind: 'finding', finding });
    }
  }

  private finishRun(): void {
    if (this.downHosts > 0) {
      this.doc.emit({
        kind: 'note',
        message: `${this.doc.fileName}: ${this.downHosts} host(s) reported down were not imported.`,
      });
    }
    this.doc.emit({
      kind: 'scan',
      scan: {
        scanner: 'Nmap',
        ...(this.version !== undefined ? { scannerVersion: this.version } : {}),
        ...(this.startedAt !== undefined ? { startedAt: this.startedAt } : {}),
        ...(this.finishedAt !== undefined ? { finishedAt: this.finishedAt } : {}),
        ...(this.args !== undefined ? { policy: this.args } : {}),
      },
    });
  }
}

function portEvidence(p: PortState): string {
  const s = p.service;
  const lines: string[] = [];
  if (s.name) lines.push(`service: ${s.name}`);
  if (s.product) lines.push(`product: ${s.product}`);
  if (s.version) lines.push(`version: ${s.version}`);
  if (s.extrainfo) lines.push(`extrainfo: ${s.extrainfo}`);
  if (s.tunnel) lines.push(`tunnel: ${s.tunnel}`);
  for (const cpe of p.cpes) lines.push(`cpe: ${cpe}`);
  for (const script of p.scripts) {
    lines.push(
      script.length > MAX_SCRIPT_EVIDENCE ? `${script.slice(0, MAX_SCRIPT_EVIDENCE)}…` : script,
    );
  }
  return lines.join('\n');
}

function vulnersFinding(entry: VulnersEntry, p: PortState): Omit<NormalizedFinding, 'asset'> {
  const isCve = entry.type === 'cve' || /^CVE-\d{4}-\d+$/i.test(entry.id);
  const id = isCve ? entry.id.toUpperCase() : entry.id;
  const fromCpe = entry.cpe ? cpeProduct(entry.cpe) : undefined;
  const product = [p.service.product, p.service.version].filter(Boolean).join(' ');
  const target = product || fromCpe?.name || p.service.name;
  const score = parseScore(entry.cvss);
  const type = entry.type ?? (isCve ? 'cve' : undefined);
  const finding: Omit<NormalizedFinding, 'asset'> = {
    format: 'nmap-xml',
    scanner: { name: 'Nmap', pluginId: 'vulners' },
    port: p.port,
    protocol: p.protocol,
    vulnerability: {
      key: id,
      cves: [...new Set(cvesIn(id))],
      title: `${id}${isCve ? '' : ` (${type ?? 'vulners'})`}${target ? ` in ${target}` : ''}`,
      severity: score !== undefined ? severityFromCvss(score) : 'info',
      cwes: [],
      references: type ? [`https://vulners.com/${type}/${id}`] : [],
    },
    evidence: [
      `vulners: ${id}${entry.cvss ? ` cvss ${entry.cvss}` : ''}${entry.exploit ? ' (public exploit)' : ''}`,
      entry.cpe ? `cpe: ${entry.cpe}` : '',
      product ? `service: ${p.service.name ?? ''} ${product}`.trim() : '',
    ]
      .filter(Boolean)
      .join('\n'),
  };
  if (p.service.name !== undefined) finding.service = p.service.name;
  if (score !== undefined) finding.vulnerability.cvss2 = score;
  const name = fromCpe?.name ?? p.service.product;
  const version = fromCpe?.version ?? p.service.version;
  if (name !== undefined) finding.component = version ? { name, version } : { name };
  return finding;
}

export const nmapXmlImporter: Importer = {
  format: 'nmap-xml',
  label: 'Nmap (XML output, -oX), with vulners NSE results',
  hints: 'XML root <nmaprun> with <host>/<ports>/<port>; vulners script tables',
  sniff(head) {
    return rootName(head) === 'nmaprun' ? 0.95 : 0;
  },
  parse(input, ctx) {
    return readXml(input, ctx, (doc) => new NmapHandler(doc));
  },
};
