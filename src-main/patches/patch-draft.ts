/**
 * A patch draft from a dependency finding and the project's manifest: every open finding
 * on the same asset whose component has a fixed version is a candidate; each dependency
 * the manifest declares directly is bumped to the highest fixed version its findings
 * name; the rest (transitive dependencies, ranges that cannot be bumped mechanically) is
 * listed in the notes. The draft stores the manifest as given and the unified diff, and
 * goes through the same lint, policy and approval states as a script draft; it is
 * exported as a .patch file, never pushed over SSH (docs/drafts.md, "Patch drafts").
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { MANIFEST_MAX_BYTES, type PatchContent } from '../../src-preload/drafts-schemas';
import { VzError } from '../core/errors';
import { createDraft } from '../drafts/store';
import { compareLoose } from '../importers/app/versions';
import type { VaultSession } from '../vault/session';
import {
  bumpManifest,
  manifestKind,
  ManifestError,
  pypiName,
  type ManifestKind,
  type Skipped,
  type Wanted,
} from './manifest-edit';
import { safeRepoPath, sha256 } from './patch-check';
import { makeUnifiedDiff } from './unified-diff';

export interface PatchRequest {
  findingId: number;
  /** The manifest on disk (package.json, requirements*.txt, pom.xml). */
  manifestPath: string;
  /** Its path inside the repository, for the diff headers; default its file name. */
  repoPath?: string;
}

interface Candidate {
  id: number;
  name: string;
  fixed: string;
  purl: string | null;
}

const PURL_TYPE: Record<ManifestKind, string> = { npm: 'npm', pypi: 'pypi', maven: 'maven' };

async function readManifest(path: string): Promise<string> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new VzError('MANIFEST_UNREADABLE', `${path} is not a file.`);
    size = s.size;
  } catch (error) {
    if (error instanceof VzError) throw error;
    throw new VzError('MANIFEST_UNREADABLE', `Cannot read ${path}: ${(error as Error).message}`);
  }
  if (size > MANIFEST_MAX_BYTES)
    throw new VzError(
      'MANIFEST_TOO_LARGE',
      `${path} is ${size} bytes; a manifest patch reads at most ${MANIFEST_MAX_BYTES} bytes.`,
    );
  return readFile(path, 'utf8');
}

interface Seed {
  asset_id: number;
  component_name: string | null;
  component_fixed_version: string | null;
  component_path: string | null;
}

function seedOf(session: VaultSession, findingId: number): Seed | undefined {
  return session.db
    .prepare(
      'SELECT asset_id, component_name, component_fixed_version, component_path FROM findings WHERE id = ?',
    )
    .get(findingId) as Seed | undefined;
}

/** Why the finding the operator chose is not in the patch, with what pulls it in when known. */
function seedNotBumped(seed: Seed, skipped: readonly Skipped[], file: string): VzError {
  const name = seed.component_name ?? '';
  const reason = skipped.find((s) => s.name === name || s.name.endsWith(`:${name}`))?.reason;
  const chain = seed.component_path?.includes('>') ? seed.component_path.split('>') : [];
  const via = chain.length > 1 ? `; it is pulled in by ${chain[0] ?? ''}, bump that instead` : '';
  return new VzError(
    'NOTHING_TO_PATCH',
    `${file} cannot be patched for ${name}: ${reason ?? 'its ecosystem does not match the manifest'}${via}.`,
  );
}

function candidatesOf(session: VaultSession, findingId: number, kind: ManifestKind): Candidate[] {
  const seed = seedOf(session, findingId);
  if (!seed) throw new VzError('NOT_FOUND', `No finding #${findingId}.`);
  if (!seed.component_name || !seed.component_fixed_version)
    throw new VzError(
      'NO_RULE',
      `Finding #${findingId} names no component with a fixed version: there is no version to bump to.`,
    );
  const rows = session.db
    .prepare(
      `SELECT id, component_name AS name, component_fixed_version AS fixed, component_purl AS purl FROM findings
       WHERE asset_id = ? AND status = 'open' AND component_name IS NOT NULL AND component_fixed_version IS NOT NULL`,
    )
    .all(seed.asset_id) as Candidate[];
  // A component another ecosystem names (a Composer package beside a requirements.txt) is not ours.
  return rows.filter((r) => !r.purl || r.purl.toLowerCase().startsWith(`pkg:${PURL_TYPE[kind]}/`));
}

/** One wanted bump per component: the highest fixed version its findings name. */
function wantedOf(candidates: readonly Candidate[]): Wanted[] {
  const best = new Map<string, string>();
  for (const c of candidates) {
    const seen = best.get(c.name);
    if (!seen || compareLoose(c.fixed, seen) > 0) best.set(c.name, c.fixed);
  }
  return [...best].map(([name, fixed]) => ({ name, fixed }));
}

const sameName = (kind: ManifestKind, a: string, b: string) =>
  kind === 'pypi'
    ? pypiName(a) === pypiName(b)
    : a === b || (kind === 'maven' && !a.includes(':') && b.endsWith(`:${a}`));

export async function createPatchDraftFor(
  session: VaultSession,
  request: PatchRequest,
): Promise<number> {
  session.requireRole('admin', 'approver', 'analyst');
  const repoPath = request.repoPath ?? basename(request.manifestPath);
  const kind = manifestKind(repoPath);
  if (!kind || manifestKind(request.manifestPath) !== kind)
    throw new VzError(
      'MANIFEST_UNKNOWN',
      `${basename(request.manifestPath)} is not a manifest a patch can bump: use package.json, requirements*.txt or pom.xml.`,
    );
  if (!safeRepoPath(repoPath))
    throw new VzError(
      'INVALID_INPUT',
      `The repository path "${repoPath}" must be relative, without "..".`,
    );
  const candidates = candidatesOf(session, request.findingId, kind);
  const base = await readManifest(request.manifestPath);
  let bumped;
  try {
    bumped = bumpManifest(kind, base, wantedOf(candidates));
  } catch (error) {
    if (error instanceof ManifestError)
      throw new VzError('MANIFEST_INVALID', `${request.manifestPath}: ${error.message}`);
    throw error;
  }
  if (!bumped.bumps.length)
    throw new VzError(
      'NOTHING_TO_PATCH',
      `Nothing in ${repoPath} can be bumped for these findings: ${bumped.skipped
        .slice(0, 5)
        .map((s) => `${s.name} (${s.reason})`)
        .join('; ')}${bumped.skipped.length > 5 ? '; …' : ''}.`,
    );
  const names = [...new Set(bumped.bumps.map((b) => b.name))];
  const findingIds = candidates
    .filter((c) => names.some((n) => sameName(kind, c.name, n)))
    .map((c) => c.id);
  // The patch must fix the finding it was asked for; others on the asset come along.
  if (!findingIds.includes(request.findingId))
    throw seedNotBumped(seedOf(session, request.findingId) as Seed, bumped.skipped, repoPath);
  const patch: PatchContent = {
    file: repoPath,
    manifest: kind,
    base,
    baseSha256: sha256(base),
    diff: makeUnifiedDiff(repoPath, base, bumped.after),
    bumps: bumped.bumps,
    skipped: bumped.skipped,
    notes: [
      `Raises ${names.length} dependenc${names.length === 1 ? 'y' : 'ies'} in ${repoPath} to the fixed versions the scanner reported.`,
      'Apply it in the repository root with `git apply` (or `patch -p1`), then refresh the lock file, rebuild and run the project tests.',
      ...(bumped.skipped.length
        ? [`Not changed: ${bumped.skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}.`]
        : []),
    ]
      .join('\n')
      .slice(0, 4000),
  };
  return createDraft(
    session,
    {
      title: `Bump ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''} in ${repoPath}`,
      groupKey: `patch:${repoPath}`,
      findingIds,
    },
    { engine: 'rules', patch },
  );
}
