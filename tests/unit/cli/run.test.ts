import { describe, expect, it } from 'vitest';
import { UsageError, type CliIo, type Command } from '../../../src-main/cli/command';
import { runCli } from '../../../src-main/cli/run';
import { VzError } from '../../../src-main/core/errors';
import { APP_VERSION } from '../../../src-main/core/version';

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env,
    readFile: () => Promise.resolve(''),
  };
  return { value, out: () => out.join(''), err: () => err.join('') };
}

const seen: unknown[] = [];
const commands: Command[] = [
  {
    name: 'vault init',
    summary: 'Create a vault.',
    usage: '[--name NAME]',
    options: { name: { type: 'string' } },
    run: ({ global, values, positionals, io: cliIo }) => {
      seen.push({ global, values, positionals });
      cliIo.stdout('initialised\n');
      return Promise.resolve(0);
    },
  },
  { name: 'vault', summary: 'Vault root.', usage: '', run: () => Promise.resolve(0) },
  {
    name: 'fail',
    summary: 'Fails.',
    usage: '',
    run: () => Promise.reject(new VzError('WRONG_PASSPHRASE', 'The passphrase is wrong.')),
  },
  {
    name: 'bad',
    summary: 'Bad usage.',
    usage: '',
    run: () => Promise.reject(new UsageError('missing FILE')),
  },
  { name: 'bug', summary: 'Bug.', usage: '', run: () => Promise.reject(new Error('kaboom')) },
];

describe('cli', () => {
  it('prints the version, plain or as JSON', async () => {
    const a = io();
    expect(await runCli(['--version'], a.value, commands)).toBe(0);
    expect(a.out()).toBe(`vulnzero ${APP_VERSION}\n`);
    const b = io();
    expect(await runCli(['--json', '-V'], b.value, commands)).toBe(0);
    expect(JSON.parse(b.out())).toEqual({ name: 'vulnzero', version: APP_VERSION });
  });

  it('prints help listing commands and conventions; no command is a usage error', async () => {
    const a = io();
    expect(await runCli(['--help'], a.value, commands)).toBe(0);
    expect(a.out()).toContain('vault init');
    expect(a.out()).toContain('VULNZERO_PASSPHRASE');
    const b = io();
    expect(await runCli([], b.value, commands)).toBe(2);
    const c = io();
    expect(await runCli(['help', 'vault', 'init'], c.value, commands)).toBe(0);
    expect(c.out()).toContain('Usage: vulnzero vault init [--name NAME]');
    const d = io();
    expect(await runCli(['vault', 'init', '--help'], d.value, commands)).toBe(0);
    expect(d.out()).toContain('--name VALUE');
  });

  it('dispatches the longest matching command with global and own options', async () => {
    seen.length = 0;
    const a = io({ VULNZERO_VAULT: '/env/vault.vz' });
    expect(
      await runCli(['--json', 'vault', 'init', '--name', 'ops', 'extra'], a.value, commands),
    ).toBe(0);
    expect(seen[0]).toMatchObject({
      global: { vault: '/env/vault.vz', json: true },
      values: { name: 'ops' },
      positionals: ['extra'],
    });
    seen.length = 0;
    expect(
      await runCli(
        ['vault', 'init', '--vault', '/flag/v.vz'],
        io({ VULNZERO_VAULT: '/env' }).value,
        commands,
      ),
    ).toBe(0);
    expect(seen[0]).toMatchObject({ global: { vault: '/flag/v.vz' } });
  });

  it('exits 2 for unknown commands and flags, 1 for failures, never with a stack', async () => {
    const a = io();
    expect(await runCli(['nope'], a.value, commands)).toBe(2);
    expect(a.err()).toContain('unknown command: nope');
    const b = io();
    expect(await runCli(['vault', 'init', '--bogus'], b.value, commands)).toBe(2);
    const c = io();
    expect(await runCli(['fail'], c.value, commands)).toBe(1);
    expect(c.err()).toBe('error: The passphrase is wrong.\n');
    const d = io();
    expect(await runCli(['bad'], d.value, commands)).toBe(2);
    expect(d.err()).toBe('usage error: missing FILE\n');
    const e = io();
    expect(await runCli(['bug'], e.value, commands)).toBe(1);
    expect(e.err()).toContain('kaboom');
    expect(e.err()).not.toMatch(/\n\s+at /);
  });

  it('refuses passphrases on the command line', async () => {
    for (const argv of [
      ['vault', 'init', '--passphrase', 'hunter2'],
      ['--passphrase=hunter2', 'vault', 'init'],
    ]) {
      const a = io();
      expect(await runCli(argv, a.value, commands)).toBe(2);
      expect(a.err()).toContain('never taken from the command line');
    }
  });
});
