/**
 * Lint and policy of a patch draft, the counterparts of shellcheck and the script policy:
 * - lint `diff`: the stored diff parses, names the manifest, and applies exactly to the
 *   stored manifest (whose hash it checks);
 * - lint `patch --dry-run`: GNU patch agrees, on a copy in a temporary folder (`ran:
 *   false` when patch is not installed, as for shellcheck);
 * - lint `manifest`: the patched manifest still reads as its kind;
 * - policy: a relative path to a known manifest, no downgrade, and nothing changed but
 *   the listed dependency versions (the bumps, replayed on the manifest, give exactly the
 *   patched file).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SaxesParser } from 'saxes';
import type { PatchContent } from '../../src-preload/drafts-schemas';
import { runTool, type LintResult } from '../drafts/lint';
import type { PolicyResult } from '../drafts/policy';
import { compareLoose } from '../importers/app/versions';
import { bumpManifest, manifestKind, ManifestError } from './manifest-edit';
import { applyUnifiedDiff, DiffError, parseUnifiedDiff } from './unified-diff';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What an approval of a patch binds: the manifest it applies to and the diff. */
export function patchSha256(p: PatchContent): string {
  return sha256(
    JSON.stringify({
      kind: 'patch',
      file: p.file,
      manifest: p.manifest,
      base: p.baseSha256,
      diff: p.diff,
    }),
  );
}

/** A repository-relative path with no `..`, no absolute start and no backslash. */
export const safeRepoPath = (p: string) =>
  !p.startsWith('/') && !p.includes('\\') && p.split('/').every((s) => s !== '..' && s !== '');

const result = (
  tool: LintResult['tool'],
  ok: boolean,
  message?: string,
  ran = true,
): LintResult => ({
  step: 'patch',
  tool,
  ok,
  ran,
  messages: message ? [{ line: null, level: ok ? 'info' : 'error', code: null, message }] : [],
});

/** The patched manifest, or the reason the diff does not apply. */
function patched(p: PatchContent): { after: string } | { error: string } {
  if (sha256(p.base) !== p.baseSha256)
    return { error: 'the stored manifest does not match its recorded SHA-256' };
  try {
    const { oldPath, newPath } = parseUnifiedDiff(p.diff);
    if (oldPath !== p.file || newPath !== p.file)
      return { error: `the diff names ${oldPath} and ${newPath}, not ${p.file}` };
    return { after: applyUnifiedDiff(p.base, p.diff) };
  } catch (error) {
    if (error instanceof DiffError) return { error: error.message };
    throw error;
  }
}

function wellFormedXml(text: string): string | null {
  const parser = new SaxesParser();
  let problem: string | null = null;
  parser.on('error', (e) => {
    problem ??= e.message;
  });
  parser.write(text).close();
  return problem;
}

function manifestProblem(p: PatchContent, after: string): string | null {
  try {
    if (p.manifest === 'npm') JSON.parse(after);
    if (p.manifest === 'maven') return wellFormedXml(after);
    const still = bumpManifest(
      p.manifest,
      after,
      p.bumps.map((b) => ({ name: b.name, fixed: bare(b.to) })),
    );
    if (still.bumps.length) return `${still.bumps[0]?.name ?? ''} is still below its new version`;
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

async function gnuPatch(p: PatchContent): Promise<LintResult> {
  if (!safeRepoPath(p.file)) return result('patch --dry-run', false, 'unsafe path: not checked');
  const dir = await mkdtemp(join(tmpdir(), 'vz-patch-'));
  try {
    await mkdir(join(dir, dirname(p.file)), { recursive: true });
    await writeFile(join(dir, p.file), p.base, { mode: 0o600 });
    await writeFile(join(dir, 'change.patch'), p.diff, { mode: 0o600 });
    const r = await runTool(
      'patch',
      ['--dry-run', '--batch', '-p1', '-i', 'change.patch'],
      '',
      dir,
    );
    if (r.missing)
      return result('patch --dry-run', true, 'not checked: GNU patch is not installed', false);
    const text = `${r.stdout}${r.stderr}`.trim();
    return result('patch --dry-run', r.code === 0, text.split('\n').slice(0, 5).join('; '));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function lintPatch(p: PatchContent): Promise<LintResult[]> {
  const out = patched(p);
  const diff =
    'error' in out
      ? result('diff', false, out.error)
      : result('diff', true, `applies to ${p.file} (${p.bumps.length} version change(s))`);
  const manifest =
    'error' in out
      ? result('manifest', false, 'not checked: the diff does not apply')
      : ((problem) =>
          result(
            'manifest',
            problem === null,
            problem ?? `the patched ${p.file} reads as ${p.manifest}`,
          ))(manifestProblem(p, out.after));
  return [diff, await gnuPatch(p), manifest];
}

/** A version spec without its operator (^1.2.3, ==1.2.3, >=1.2.3 → 1.2.3). */
export const bare = (spec: string) => spec.replace(/^(\^|~=|~|>=|===|==|=)\s*/, '');

export function policyPatch(p: PatchContent, airGapped: boolean, now = new Date()): PolicyResult {
  const findings: PolicyResult['findings'] = [];
  const finding = (rule: string, line: number, excerpt: string, reason: string) =>
    findings.push({ step: 'patch', rule, line, excerpt: excerpt.slice(0, 200), reason });
  if (!safeRepoPath(p.file) || manifestKind(p.file) !== p.manifest)
    finding(
      'patch-path',
      1,
      p.file,
      `a patch changes one ${p.manifest} manifest by a path inside the repository`,
    );
  for (const b of p.bumps)
    if (compareLoose(bare(b.to), bare(b.from)) <= 0)
      finding(
        'patch-no-downgrade',
        b.line,
        `${b.name} ${b.from} → ${b.to}`,
        'a patch only raises versions',
      );
  const out = patched(p);
  if ('after' in out) {
    let replayed: string | null = null;
    try {
      replayed = bumpManifest(
        p.manifest,
        p.base,
        p.bumps.map((b) => ({ name: b.name, fixed: bare(b.to) })),
      ).after;
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
    }
    if (replayed !== out.after)
      finding(
        'patch-only-versions',
        1,
        p.file,
        'the diff changes more than the listed dependency versions',
      );
  }
  return {
    blocked: findings.length > 0,
    airGapped,
    findings,
    evaluatedAt: now.toISOString(),
    policyHash: sha256(
      JSON.stringify({ v: 1, patch: ['patch-path', 'patch-no-downgrade', 'patch-only-versions'] }),
    ),
  };
}
