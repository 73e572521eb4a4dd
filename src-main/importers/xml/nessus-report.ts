/**
 * NessusClientData_v2, shared by Nessus (.nessus) and Tenable Web App Scanning XML:
 * Policy, then Report > ReportHost (HostProperties, then one ReportItem per finding).
 * Every ReportItem becomes a finding the moment it closes.
 */
import type { ImportRecord, NormalizedAsset, NormalizedFinding } from '../types';
import {
  cpeProduct,
  installedVersion,
  nessusPackage,
  productFromTitle,
  type Component,
} from './components';
import { nessusSeverity, severityFromWord } from './severity';
import type { XmlAttrs, XmlDocument, XmlHandler } from './stream-xml';
import { VulnIds } from './vuln-ids';
import {
  fromCtime,
  meaningfulSolution,
  isIpAddress,
  nonEmpty,
  normalizeMac,
  parsePort,
  parseScore,
  tidyText,
  toIso,
} from './values';

export interface NessusFlavor {
  format: string;
  scannerName: string;
  keyPrefix: string;
  /** WAS names hosts by URL ("http://example.com/"). */
  webApp: boolean;
}

interface HostState {
  name: string;
  props: Map<string, string>;
  asset: NormalizedAsset | undefined;
  start: string | undefined;
  end: string | undefined;
}

interface ItemState {
  depth: number;
  pluginId: string;
  title: string | undefined;
  port: number | undefined;
  protocol: string | undefined;
  service: string | undefined;
  severity: string | undefined;
  riskFactor: string | undefined;
  ids: VulnIds;
  cvss2: number | undefined;
  cvss3: number | undefined;
  cvss3Vector: string | undefined;
  solution: string | undefined;
  description: string | undefined;
  synopsis: string | undefined;
  output: string | undefined;
  cpe: string | undefined;
}

/**
 * WAS exports share Nessus's root; they differ by the Report's type attribute, the
 * "web_application" system type and the settings_* scan preferences.
 */
export function isWebAppScan(head: string): boolean {
  return (
    /<Report\b[^>]*\btype="was"/.test(head) ||
    head.includes('<tag name="system-type">web_application</tag>') ||
    head.includes('<settings_http_user_agent>')
  );
}

/** Plugin 19506 ("Nessus Scan Information") reports the engine version. */
const SCAN_INFO_PLUGIN = '19506';

export class NessusReportHandler implements XmlHandler {
  private host: HostState | undefined;
  private item: ItemState | undefined;
  private policy: string | undefined;
  private version: string | undefined;
  private startedAt: string | undefined;
  private finishedAt: string | undefined;

  constructor(
    private readonly doc: XmlDocument,
    private readonly flavor: NessusFlavor,
  ) {}

  open(name: string, attrs: XmlAttrs, depth: number): void {
    if (depth === 1) {
      if (name !== 'NessusClientData_v2') {
        this.doc.fail(`expected a <NessusClientData_v2> root element, found <${name}>.`);
      }
      return;
    }
    if (this.item !== undefined) return;
    if (depth === 3 && this.doc.stack[1] === 'Policy' && name !== 'policyName') {
      // Preferences and plugin selections: megabytes of settings, none of them findings.
      this.doc.skipSubtree();
    } else if (name === 'ReportHost') {
      this.host = {
        name: attrs.name ?? '',
        props: new Map(),
        asset: undefined,
        start: undefined,
        end: undefined,
      };
    } else if (name === 'ReportItem' && this.host !== undefined) {
      this.item = this.startItem(attrs, depth);
    }
  }

  close(name: string, text: string, attrs: XmlAttrs, depth: number): void {
    const item = this.item;
    if (item !== undefined) {
      if (depth === item.depth) this.finishItem(item);
      else if (depth === item.depth + 1) this.itemField(item, name, text);
      return;
    }
    switch (name) {
      case 'tag':
        if (this.host && this.doc.stack[depth - 2] === 'HostProperties' && attrs.name) {
          this.host.props.set(attrs.name, text.trim());
        }
        break;
      case 'HostProperties':
        if (this.host) this.hostAsset(this.host);
        break;
      case 'ReportHost':
        if (this.host) this.hostAsset(this.host);
        this.host = undefined;
        break;
      case 'policyName':
        if (this.doc.stack[depth - 2] === 'Policy') this.policy = nonEmpty(text);
        break;
      case 'NessusClientData_v2':
        this.doc.emit(this.scanRecord());
        break;
      default:
        break;
    }
  }

  private startItem(attrs: XmlAttrs, depth: number): ItemState {
    const port = parsePort(attrs.port);
    const service = nonEmpty(attrs.svc_name);
    return {
      depth,
      pluginId: attrs.pluginID ?? '',
      title: nonEmpty(attrs.pluginName),
      port,
      protocol: nonEmpty(attrs.protocol)?.toLowerCase(),
      // Port 0 is Nessus's "general" pseudo-service: host-level, not a listening service.
      service: port === undefined || service === 'general' ? undefined : service,
      severity: attrs.severity,
      riskFactor: undefined,
      ids: new VulnIds(),
      cvss2: undefined,
      cvss3: undefined,
      cvss3Vector: undefined,
      solution: undefined,
      description: undefined,
      synopsis: undefined,
      output: undefined,
      cpe: undefined,
    };
  }

  private itemField(item: ItemState, name: string, text: string): void {
    switch (name) {
      case 'cve':
        item.ids.addCves(text);
        break;
      case 'cwe':
        item.ids.addCwe(text);
        break;
      case 'xref': {
        const at = text.indexOf(':');
        if (at > 0) item.ids.addTyped(text.slice(0, at), text.slice(at + 1));
        break;
      }
      case 'see_also':
        item.ids.addUrls(text);
        break;
      case 'cvss_base_score':
      case 'cvss': // WAS
        item.cvss2 = parseScore(text);
        break;
      case 'cvss3_base_score':
      case 'cvssv3': // WAS
        item.cvss3 = parseScore(text);
        break;
      case 'cvss3_vector':
        item.cvss3Vector = nonEmpty(text);
        break;
      case 'risk_factor':
        item.riskFactor = text;
        break;
      case 'solution':
        item.solution = meaningfulSolution(tidyText(text));
        break;
      case 'description':
        item.description = nonEmpty(tidyText(text));
        break;
      case 'synopsis':
        item.synopsis = nonEmpty(tidyText(text));
        break;
      case 'plugin_output':
        item.output = tidyText(text);
        break;
      case 'plugin_name':
        item.title ??= nonEmpty(text);
        break;
      case 'cpe':
        item.cpe ??= /cpe:\S+/.exec(text)?.[0];
        break;
      default:
        // attachment, exploit flags, VPR and dates are not part of the normalized finding.
        break;
    }
  }

  private finishItem(item: ItemState): void {
    this.item = undefined;
    const host = this.host;
    if (host === undefined) return;
    const asset = this.hostAsset(host);
    if (item.pluginId === SCAN_INFO_PLUGIN && item.output) {
      this.version ??= /Nessus version : (\S+)/.exec(item.output)?.[1];
    }
    const title = item.title ?? `Plugin ${item.pluginId}`;
    const evidence = item.output || undefined;
    const { cves, cwes, references } = item.ids.parts;
    const finding: NormalizedFinding = {
      format: this.flavor.format,
      scanner: { name: this.flavor.scannerName, pluginId: item.pluginId },
      asset,
      vulnerability: {
        key: `${this.flavor.keyPrefix}:${item.pluginId || title}`,
        cves,
        title,
        severity: nessusSeverity(item.severity) ?? severityFromWord(item.riskFactor) ?? 'info',
        cwes,
        references,
      },
    };
    if (item.port !== undefined) finding.port = item.port;
    if (item.protocol !== undefined) finding.protocol = item.protocol;
    if (item.service !== undefined) finding.service = item.service;
    if (item.cvss3 !== undefined) finding.vulnerability.cvss3 = item.cvss3;
    if (item.cvss3Vector !== undefined) finding.vulnerability.cvss3Vector = item.cvss3Vector;
    if (item.cvss2 !== undefined) finding.vulnerability.cvss2 = item.cvss2;
    if (item.solution !== undefined) finding.solution = item.solution;
    const description = [item.synopsis, item.description].filter(Boolean).join('\n\n');
    if (description) finding.description = description;
    if (evidence !== undefined) {
      finding.evidence = evidence;
      const component = findComponent(evidence, title, item.cpe);
      if (component !== undefined) finding.component = component;
    }
    if (host.start !== undefined) finding.firstSeen = host.start;
    if (host.end !== undefined) finding.lastSeen = host.end;
    this.doc.emit({ kind: 'finding', finding });
  }

  /** Builds and emits the host's asset once, from HostProperties and the host's name. */
  private hostAsset(host: HostState): NormalizedAsset {
    if (host.asset !== undefined) return host.asset;
    const props = host.props;
    const asset: NormalizedAsset = this.flavor.webApp
      ? webAppAsset(host.name, props)
      : networkAsset(host.name, props);
    host.asset = asset;
    host.start = hostTime(props, 'HOST_START');
    host.end = hostTime(props, 'HOST_END');
    if (host.start !== undefined && (this.startedAt === undefined || host.start < this.startedAt)) {
      this.startedAt = host.start;
    }
    if (host.end !== undefined && (this.finishedAt === undefined || host.end > this.finishedAt)) {
      this.finishedAt = host.end;
    }
    this.policy ??= nonEmpty(props.get('policy-used'));
    this.doc.emit({ kind: 'asset', asset });
    return asset;
  }

  private scanRecord(): ImportRecord {
    return {
      kind: 'scan',
      scan: {
        scanner: this.flavor.scannerName,
        ...(this.version !== undefined ? { scannerVersion: this.version } : {}),
        ...(this.startedAt !== undefined ? { startedAt: this.startedAt } : {}),
        ...(this.finishedAt !== undefined ? { finishedAt: this.finishedAt } : {}),
        ...(this.policy !== undefined ? { policy: this.policy } : {}),
      },
    };
  }
}

function networkAsset(name: string, props: Map<string, string>): NormalizedAsset {
  const asset: NormalizedAsset = {};
  const named = nonEmpty(name);
  const ip = firstLine(props.get('host-ip')) ?? (named && isIpAddress(named) ? named : undefined);
  const byName = named && !isIpAddress(named) ? named : undefined;
  const fqdn = firstLine(props.get('host-fqdn')) ?? (byName?.includes('.') ? byName : undefined);
  const hostname = firstLine(props.get('netbios-name')) ?? byName;
  const mac = normalizeMac(firstLine(props.get('mac-address')));
  const os = firstLine(props.get('operating-system'));
  if (ip !== undefined) asset.ip = ip;
  if (hostname !== undefined) asset.hostname = hostname;
  if (fqdn !== undefined) asset.fqdn = fqdn;
  if (mac !== undefined) asset.mac = mac;
  if (os !== undefined) asset.os = os;
  return asset;
}

/** A web application: hostname keeps the target URL, fqdn its host. */
function webAppAsset(name: string, props: Map<string, string>): NormalizedAsset {
  const target = nonEmpty(name) ?? nonEmpty(props.get('host-fqdn'));
  if (target === undefined) return {};
  const asset: NormalizedAsset = { hostname: target };
  const host = urlHost(target);
  if (host !== undefined) {
    if (isIpAddress(host)) asset.ip = host;
    else asset.fqdn = host;
  }
  return asset;
}

function urlHost(target: string): string | undefined {
  try {
    return nonEmpty(new URL(target).hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return undefined;
  }
}

/** Nessus may list several values, one per line (mac-address, operating-system). */
function firstLine(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const end = value.indexOf('\n');
  return nonEmpty(end < 0 ? value : value.slice(0, end));
}

/** Epoch tags (HOST_START_TIMESTAMP) are exact; the text form is scanner-local time. */
function hostTime(props: Map<string, string>, tag: string): string | undefined {
  return toIso(props.get(`${tag}_TIMESTAMP`)) ?? toIso(props.get(tag)) ?? fromCtime(props.get(tag));
}

function findComponent(
  evidence: string,
  title: string,
  cpe: string | undefined,
): Component | undefined {
  if (!evidence.includes('nstalled')) return undefined;
  return (
    nessusPackage(evidence) ??
    installedVersion(evidence, productFromTitle(title) ?? (cpe ? cpeProduct(cpe)?.name : undefined))
  );
}
