/**
 * Version bumps in a dependency manifest, as text edits that keep everything else of the
 * file byte for byte (indentation, comments, key order, line endings): package.json
 * (npm), requirements*.txt (pip), pom.xml (Maven). Each edit replaces one version token
 * inside one line, so a bump never adds or removes lines. A dependency the manifest does
 * not declare directly (a transitive one) or declares in a way that cannot be bumped
 * mechanically (a git URL, a range with an upper bound) is skipped with the reason.
 */
import { compareLoose } from '../importers/app/versions';

export type ManifestKind = 'npm' | 'pypi' | 'maven';

/** What to bump: the component name as the scanner reported it, and its fixed version. */
export interface Wanted {
  name: string;
  fixed: string;
}

export interface Bump {
  /** The name as the manifest spells it (Maven: groupId:artifactId). */
  name: string;
  from: string;
  to: string;
  /** 1-based line of the edited version. */
  line: number;
}

export interface Skipped {
  name: string;
  reason: string;
}

export interface BumpResult {
  after: string;
  bumps: Bump[];
  skipped: Skipped[];
}

/** The manifest kind a file name says, or null (then no patch can be drafted). */
export function manifestKind(fileName: string): ManifestKind | null {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  if (base === 'package.json') return 'npm';
  if (base === 'pom.xml') return 'maven';
  if (/^requirements[\w.-]*\.txt$/i.test(base)) return 'pypi';
  return null;
}

interface Edit {
  start: number;
  end: number;
  text: string;
  bump: Bump;
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** True when `version` already satisfies `fixed` (nothing to bump). */
const atLeast = (version: string, fixed: string) => compareLoose(version, fixed) >= 0;

// ---------------------------------------------------------------- npm

const NPM_SECTIONS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
] as const;
const NPM_SPEC = /^(\^|~|>=|=)?v?(\d+(?:\.\d+)*(?:[-+][\w.+-]*)?)$/;

function bumpNpm(text: string, wanted: readonly Wanted[]): BumpResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`package.json is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ManifestError('package.json is not a JSON object');
  const sections = json as Record<string, unknown>;
  const edits: Edit[] = [];
  const skipped: Skipped[] = [];
  for (const w of wanted) {
    const specs = NPM_SECTIONS.map((s) => sections[s])
      .map((sec) =>
        typeof sec === 'object' && sec !== null ? (sec as Record<string, unknown>)[w.name] : null,
      )
      .filter((v): v is string => typeof v === 'string');
    if (!specs.length) {
      skipped.push({ name: w.name, reason: 'not a direct dependency in package.json' });
      continue;
    }
    for (const spec of new Set(specs)) {
      const m = NPM_SPEC.exec(spec);
      if (!m) {
        skipped.push({ name: w.name, reason: `"${spec}" is not a plain version or ^/~ range` });
        continue;
      }
      const [, prefix = '', version = ''] = m;
      if (atLeast(version, w.fixed)) {
        skipped.push({ name: w.name, reason: `already at ${spec}` });
        continue;
      }
      const pattern = new RegExp(`("${escape(w.name)}"\\s*:\\s*")${escape(spec)}"`, 'g');
      for (const hit of text.matchAll(pattern)) {
        const start = hit.index + (hit[1] ?? '').length;
        edits.push({
          start,
          end: start + spec.length,
          text: `${prefix}${w.fixed}`,
          bump: { name: w.name, from: spec, to: `${prefix}${w.fixed}`, line: lineAt(text, start) },
        });
      }
    }
  }
  return { after: applyEdits(text, edits), bumps: edits.map((e) => e.bump), skipped };
}

// ---------------------------------------------------------------- pip

/** PEP 503 name normalisation: case and runs of -_. do not matter. */
export const pypiName = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-');
const REQUIREMENT =
  /^(\s*)([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?(\s*)(===|==|~=|>=)(\s*)([^\s,;#\\]+)(.*)$/;

function bumpPypi(text: string, wanted: readonly Wanted[]): BumpResult {
  const edits: Edit[] = [];
  const found = new Set<string>();
  const skipped: Skipped[] = [];
  const want = new Map(wanted.map((w) => [pypiName(w.name), w]));
  let offset = 0;
  for (const line of text.split('\n')) {
    const m = REQUIREMENT.exec(line.replace(/\r$/, ''));
    const w = m ? want.get(pypiName(m[2] ?? '')) : undefined;
    if (m && w) {
      found.add(w.name);
      const [
        ,
        lead = '',
        name = '',
        extras = '',
        s1 = '',
        op = '',
        s2 = '',
        version = '',
        rest = '',
      ] = m;
      if (/^\s*,/.test(rest))
        skipped.push({
          name: w.name,
          reason: `${name}${op}${version}${rest.trim()} has more than one bound`,
        });
      else if (atLeast(version, w.fixed))
        skipped.push({ name: w.name, reason: `already at ${op}${version}` });
      else {
        const start =
          offset + lead.length + name.length + extras.length + s1.length + op.length + s2.length;
        edits.push({
          start,
          end: start + version.length,
          text: w.fixed,
          bump: { name, from: `${op}${version}`, to: `${op}${w.fixed}`, line: lineAt(text, start) },
        });
      }
    }
    offset += line.length + 1;
  }
  for (const w of wanted)
    if (!found.has(w.name))
      skipped.push({ name: w.name, reason: 'not pinned in the requirements file' });
  return { after: applyEdits(text, edits), bumps: edits.map((e) => e.bump), skipped };
}

// ---------------------------------------------------------------- Maven

const tag = (block: string, name: string) =>
  new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(block)?.[1];

function bumpMaven(text: string, wanted: readonly Wanted[]): BumpResult {
  if (!/<project[\s>]/.test(text)) throw new ManifestError('pom.xml has no <project> element');
  const edits: Edit[] = [];
  const skipped: Skipped[] = [];
  const byProperty = new Map<string, Edit>();
  for (const w of wanted) {
    let declared = false;
    for (const hit of text.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)) {
      const block = hit[1] ?? '';
      const group = tag(block, 'groupId');
      const artifact = tag(block, 'artifactId');
      const id = `${group ?? ''}:${artifact ?? ''}`;
      if (!(w.name === id || (!w.name.includes(':') && w.name === artifact))) continue;
      declared = true;
      const versionHit = /<version>\s*([^<]*?)\s*<\/version>/.exec(block);
      const version = versionHit?.[1];
      if (!versionHit || !version) {
        skipped.push({ name: id, reason: 'no <version> (managed by a parent or a BOM)' });
        continue;
      }
      const property = /^\$\{([\w.-]+)\}$/.exec(version)?.[1];
      let start: number;
      let current: string;
      if (property) {
        const shared = byProperty.get(property);
        if (shared) {
          // Two components on one property (log4j-api and log4j-core): the higher fix wins.
          if (compareLoose(w.fixed, shared.text) > 0) shared.text = shared.bump.to = w.fixed;
          continue;
        }
        const prop = new RegExp(
          `(<${escape(property)}>\\s*)([^<]*?)\\s*</${escape(property)}>`,
        ).exec(text);
        if (!prop) {
          skipped.push({
            name: id,
            reason: `property \${${property}} is not defined in this pom.xml`,
          });
          continue;
        }
        start = prop.index + (prop[1] ?? '').length;
        current = prop[2] ?? '';
      } else {
        start =
          (hit.index ?? 0) +
          '<dependency>'.length +
          versionHit.index +
          versionHit[0].indexOf(version);
        current = version;
      }
      if (!/^\d/.test(current)) {
        skipped.push({ name: id, reason: `version "${current}" is not a plain version` });
        continue;
      }
      if (atLeast(current, w.fixed)) {
        skipped.push({ name: id, reason: `already at ${current}` });
        continue;
      }
      const edit = {
        start,
        end: start + current.length,
        text: w.fixed,
        bump: { name: id, from: current, to: w.fixed, line: lineAt(text, start) },
      };
      edits.push(edit);
      if (property) byProperty.set(property, edit);
    }
    if (!declared) skipped.push({ name: w.name, reason: 'not a direct dependency in pom.xml' });
  }
  return { after: applyEdits(text, edits), bumps: edits.map((e) => e.bump), skipped };
}

/** A manifest that cannot be read as its kind. */
export class ManifestError extends Error {}

export function bumpManifest(
  kind: ManifestKind,
  text: string,
  wanted: readonly Wanted[],
): BumpResult {
  if (kind === 'npm') return bumpNpm(text, wanted);
  if (kind === 'pypi') return bumpPypi(text, wanted);
  return bumpMaven(text, wanted);
}
