/**
 * The diffs the patch drafts write are what `git apply` and GNU `patch -p1` accept, and
 * the strict applier (the lint) gives the same file as they do; a diff that does not
 * match the file is refused with the line.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyUnifiedDiff,
  DiffError,
  makeUnifiedDiff,
  parseUnifiedDiff,
} from '../../../src-main/patches/unified-diff';
import { tempDir } from '../../helpers/vault';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);

/** Applies `diff` to `before` (saved as FILE) with a real tool in a fresh folder. */
function realApply(tool: 'git' | 'patch', file: string, before: string, diff: string): string {
  const dir = tempDir('vz-diff-');
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), before);
  writeFileSync(join(dir, 'x.patch'), diff);
  const args = tool === 'git' ? ['apply', 'x.patch'] : ['-p1', '--batch', '-i', 'x.patch'];
  const r = spawnSync(tool, args, { cwd: dir, encoding: 'utf8' });
  expect(r.status, `${tool}: ${r.stderr}${r.stdout}`).toBe(0);
  return readFileSync(join(dir, file), 'utf8');
}

describe('makeUnifiedDiff', () => {
  it('writes three lines of context, joins close changes into one hunk and splits far ones', () => {
    const before = `${lines(30).join('\n')}\n`;
    const after = before
      .replace('line 5\n', 'line five\n')
      .replace('line 9\n', 'line nine\n')
      .replace('line 28\n', 'line 28!\n');
    const diff = makeUnifiedDiff('app/requirements.txt', before, after);
    expect(diff.split('\n').filter((l) => l.startsWith('@@'))).toEqual([
      '@@ -2,11 +2,11 @@',
      '@@ -25,6 +25,6 @@',
    ]);
    expect(diff.startsWith('--- a/app/requirements.txt\n+++ b/app/requirements.txt\n')).toBe(true);
    expect(applyUnifiedDiff(before, diff)).toBe(after);
    expect(realApply('git', 'app/requirements.txt', before, diff)).toBe(after);
    expect(realApply('patch', 'app/requirements.txt', before, diff)).toBe(after);
  });

  it('marks a last line without newline the way git does', () => {
    const before = 'a\nb\nversion 1';
    const after = 'a\nb\nversion 2';
    const diff = makeUnifiedDiff('f.txt', before, after);
    expect(diff).toContain(
      '-version 1\n\\ No newline at end of file\n+version 2\n\\ No newline at end of file\n',
    );
    expect(applyUnifiedDiff(before, diff)).toBe(after);
    expect(realApply('git', 'f.txt', before, diff)).toBe(after);
  });

  it('gives no diff for equal files and refuses edits that change the line count', () => {
    expect(makeUnifiedDiff('f', 'x\n', 'x\n')).toBe('');
    expect(() => makeUnifiedDiff('f', 'x\n', 'x\ny\n')).toThrow(DiffError);
  });
});

describe('applyUnifiedDiff', () => {
  const before = `${lines(8).join('\n')}\n`;
  const diff = makeUnifiedDiff('f', before, before.replace('line 4', 'line IV'));

  it('refuses a file that no longer matches, naming its line', () => {
    expect(() => applyUnifiedDiff(before.replace('line 3', 'line three'), diff)).toThrow(
      'line 3 of the file does not match the patch',
    );
  });

  it('applies additions and deletions written by other tools', () => {
    const git = '--- a/f\n+++ b/f\n@@ -2,3 +2,3 @@\n line 2\n-line 3\n line 4\n+line 4b\n';
    expect(applyUnifiedDiff(before, git).split('\n').slice(0, 5)).toEqual([
      'line 1',
      'line 2',
      'line 4',
      'line 4b',
      'line 5',
    ]);
  });

  it('rejects what is not a single-file unified diff, with the line', () => {
    expect(() => parseUnifiedDiff('hello\n')).toThrow('line 1: a unified diff starts with');
    expect(() => parseUnifiedDiff('--- a/f\n+++ b/f\n')).toThrow('the diff has no hunk');
    expect(() => parseUnifiedDiff('--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n x\n')).toThrow(
      "the hunk's line counts do not match its header",
    );
    expect(() => parseUnifiedDiff('--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n*x\n')).toThrow(
      'line 4: "*x" is not a diff line',
    );
    expect(parseUnifiedDiff(diff)).toMatchObject({ oldPath: 'f', newPath: 'f' });
  });
});
