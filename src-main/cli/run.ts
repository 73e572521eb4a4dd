import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeThrown, isVzError } from '../core/errors';
import { APP_VERSION } from '../core/version';
import { UsageError, type CliIo, type Command, type GlobalOptions } from './command';

const GLOBAL_OPTIONS = {
  vault: { type: 'string' },
  'passphrase-file': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'V', default: false },
} as const satisfies ParseArgsConfig['options'];

function findCommand(
  commands: Command[],
  words: string[],
): { command: Command; rest: string[] } | null {
  let best: Command | null = null;
  let bestLength = 0;
  for (const command of commands) {
    const parts = command.name.split(' ');
    if (parts.length > bestLength && parts.every((part, i) => words[i] === part)) {
      best = command;
      bestLength = parts.length;
    }
  }
  return best ? { command: best, rest: words.slice(bestLength) } : null;
}

export function helpText(commands: Command[]): string {
  const width = Math.max(10, ...commands.map((c) => c.name.length));
  const lines = [
    `vulnzero ${APP_VERSION} — offline vulnerability remediation for air-gapped networks`,
    '',
    'Usage: vulnzero [global options] COMMAND [arguments]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  --vault PATH             vault file (or set VULNZERO_VAULT)',
    '  --passphrase-file PATH   read the passphrase from a file (or set VULNZERO_PASSPHRASE);',
    '                           passphrases are never accepted as arguments',
    '  --json                   machine-readable output on stdout',
    '  -h, --help               help (also: vulnzero GROUP --help, vulnzero COMMAND --help)',
    '  -V, --version            print the version',
    '',
    'Exit codes: 0 success, 1 failure, 2 usage error. Errors go to stderr.',
  ];
  return lines.join('\n') + '\n';
}

/** Commands whose name starts with `words` and goes on (a group's members). */
function groupMembers(commands: Command[], words: string[]): Command[] {
  if (!words.length) return [];
  return commands.filter((c) => {
    const parts = c.name.split(' ');
    return parts.length > words.length && words.every((w, i) => parts[i] === w);
  });
}

function commandList(members: Command[]): string[] {
  const width = Math.max(10, ...members.map((c) => c.name.length));
  return members.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
}

function groupHelp(group: string, members: Command[]): string {
  return (
    [
      `Usage: vulnzero ${group} COMMAND [arguments]`,
      '',
      'Commands:',
      ...commandList(members),
      '',
      `vulnzero ${group} COMMAND --help shows a command's arguments and options.`,
    ].join('\n') + '\n'
  );
}

function commandHelp(command: Command, related: Command[] = []): string {
  const flags = Object.entries(command.options ?? {}).map(
    ([name, spec]) =>
      `  --${name}${spec.type === 'string' ? ' VALUE' : ''}${spec.multiple ? ' (repeatable)' : ''}`,
  );
  return (
    [
      `Usage: vulnzero ${command.name} ${command.usage}`.trimEnd(),
      '',
      command.summary,
      ...(command.details ? ['', command.details] : []),
      ...(flags.length ? ['', 'Options:', ...flags] : []),
      ...(related.length ? ['', 'Related commands:', ...commandList(related)] : []),
    ].join('\n') + '\n'
  );
}

/**
 * Help for the words after `help` (or before `--help`): a command, a group of commands
 * (`vulnzero drafts --help`), or null when the words name neither.
 */
function helpFor(commands: Command[], words: string[]): string | null {
  const exact = commands.find((c) => c.name === words.join(' '));
  const members = groupMembers(commands, words);
  if (exact) return commandHelp(exact, members);
  if (members.length) return groupHelp(words.join(' '), members);
  return null;
}

/** The longest prefix of `words` that names a group, for "unknown command" hints. */
function nearestGroup(commands: Command[], words: string[]): string | null {
  for (let n = words.length - 1; n > 0; n -= 1)
    if (groupMembers(commands, words.slice(0, n)).length) return words.slice(0, n).join(' ');
  return null;
}

/**
 * Runs the CLI and returns its exit code. Never throws: usage errors exit 2, failures
 * exit 1 with a one-line message on stderr (no stack traces for operators).
 */
export async function runCli(argv: string[], io: CliIo, commands: Command[]): Promise<number> {
  if (argv.some((a) => a === '--passphrase' || a.startsWith('--passphrase='))) {
    io.stderr(
      'error: passphrases are never taken from the command line (they leak into shell history and process lists); use VULNZERO_PASSPHRASE or --passphrase-file\n',
    );
    return 2;
  }
  try {
    const words: string[] = [];
    let i = 0;
    // Global options may come before the command words.
    const leading: string[] = [];
    for (; i < argv.length; i += 1) {
      const arg = argv[i] as string;
      if (arg.startsWith('-')) {
        leading.push(arg);
        const spec =
          GLOBAL_OPTIONS[arg.replace(/^--?/, '').split('=')[0] as keyof typeof GLOBAL_OPTIONS];
        if (spec?.type === 'string' && !arg.includes('=') && i + 1 < argv.length)
          leading.push(argv[++i] as string);
      } else break;
    }
    for (; i < argv.length && !(argv[i] as string).startsWith('-'); i += 1)
      words.push(argv[i] as string);
    const found = words.length ? findCommand(commands, words) : null;

    if (!found) {
      const globals = parseArgs({
        args: leading,
        options: GLOBAL_OPTIONS,
        strict: true,
        allowPositionals: false,
      }).values;
      if (globals.version) {
        io.stdout(
          globals.json
            ? JSON.stringify({ name: 'vulnzero', version: APP_VERSION }) + '\n'
            : `vulnzero ${APP_VERSION}\n`,
        );
        return 0;
      }
      const asksHelp = globals.help || argv.slice(i).some((a) => a === '--help' || a === '-h');
      if (words[0] === 'help' || (asksHelp && words.length === 0)) {
        const target = words.slice(1);
        const text = target.length ? helpFor(commands, target) : helpText(commands);
        if (text === null)
          throw new UsageError(`unknown command: ${target.join(' ')} (see vulnzero --help)`);
        io.stdout(text);
        return 0;
      }
      if (words.length === 0) {
        io.stdout(helpText(commands));
        return 2;
      }
      const members = groupMembers(commands, words);
      if (members.length) {
        // `vulnzero drafts --help` lists the group; bare `vulnzero drafts` too, as a usage error.
        io.stdout(groupHelp(words.join(' '), members));
        return asksHelp ? 0 : 2;
      }
      const group = nearestGroup(commands, words);
      throw new UsageError(
        `unknown command: ${words.join(' ')} (see vulnzero ${group ? `${group} ` : ''}--help)`,
      );
    }

    const { command, rest } = found;
    const parsed = parseArgs({
      args: [...leading, ...rest, ...argv.slice(i)],
      options: { ...GLOBAL_OPTIONS, ...(command.options ?? {}) },
      strict: true,
      allowPositionals: true,
    });
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    if (values['help']) {
      io.stdout(commandHelp(command, groupMembers(commands, command.name.split(' '))));
      return 0;
    }
    const global: GlobalOptions = {
      vault: (values['vault'] as string | undefined) ?? io.env['VULNZERO_VAULT'],
      passphraseFile: values['passphrase-file'] as string | undefined,
      json: values['json'] === true,
    };
    return await command.run({ io, global, values, positionals: parsed.positionals });
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      io.stderr(`usage error: ${(error as Error).message}\n`);
      return 2;
    }
    if (isVzError(error)) {
      io.stderr(`error: ${error.message}\n`);
      return 1;
    }
    io.stderr(`error: unexpected failure: ${describeThrown(error)}\n`);
    return 1;
  }
}
