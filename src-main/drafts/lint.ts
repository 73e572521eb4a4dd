/**
 * Lint of every step: `sh -n` (syntax, always available) and shellcheck when the
 * Debian package is installed. When shellcheck is missing the result says so
 * (`ran: false`): a draft is never shown as linted by a tool that did not run.
 */
import { spawn } from 'node:child_process';
import type { z } from 'zod';
import { STEPS, type DraftContent, type lintResult } from '../../src-preload/drafts-schemas';

export type LintResult = z.infer<typeof lintResult>;

/** Runs a lint tool with `input` on stdin; `missing` when it is not installed. */
export function runTool(
  command: string,
  args: string[],
  input: string,
  cwd?: string,
): Promise<{ code: number | null; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(cwd ? { cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ code: null, stdout, stderr: error.message, missing: error.code === 'ENOENT' }),
    );
    child.on('close', (code) => resolve({ code, stdout, stderr, missing: false }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

async function syntax(step: LintResult['step'], script: string): Promise<LintResult> {
  const r = await runTool('sh', ['-n'], script);
  const messages = r.stderr
    .split('\n')
    .filter(Boolean)
    .map((line) => ({
      line: Number(/line (\d+)/.exec(line)?.[1] ?? /:\s*(\d+):/.exec(line)?.[1] ?? NaN) || null,
      level: 'error',
      code: null,
      message: line.replace(/^sh:\s*/, ''),
    }));
  return { step, tool: 'sh -n', ok: r.code === 0, ran: !r.missing, messages };
}

interface ShellcheckComment {
  line: number;
  level: string;
  code: number;
  message: string;
}

async function shellcheck(step: LintResult['step'], script: string): Promise<LintResult> {
  const r = await runTool('shellcheck', ['--shell=sh', '--format=json', '-'], script);
  if (r.missing)
    return {
      step,
      tool: 'shellcheck',
      ok: true,
      ran: false,
      messages: [
        {
          line: null,
          level: 'info',
          code: null,
          message: 'not linted: shellcheck is not installed',
        },
      ],
    };
  let comments: ShellcheckComment[];
  try {
    comments = JSON.parse(r.stdout || '[]') as ShellcheckComment[];
  } catch {
    return {
      step,
      tool: 'shellcheck',
      ok: false,
      ran: true,
      messages: [
        {
          line: null,
          level: 'error',
          code: null,
          message: `shellcheck failed: ${r.stderr.trim()}`,
        },
      ],
    };
  }
  return {
    step,
    tool: 'shellcheck',
    ok: !comments.some((c) => c.level === 'error' || c.level === 'warning'),
    ran: true,
    messages: comments.map((c) => ({
      line: c.line,
      level: c.level,
      code: `SC${c.code}`,
      message: c.message,
    })),
  };
}

export async function lintDraft(content: DraftContent): Promise<LintResult[]> {
  const results: LintResult[] = [];
  for (const step of STEPS) {
    results.push(await syntax(step, content[step]));
    results.push(await shellcheck(step, content[step]));
  }
  return results;
}

/** True when every tool that ran passed (a tool that did not run does not fail a draft). */
export function lintPassed(results: readonly LintResult[]): boolean {
  return results.every((r) => r.ok);
}
