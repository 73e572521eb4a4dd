import type { ParseArgsConfig } from 'node:util';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Reads a file the operator named (passphrase files); injectable for tests. */
  readFile: (path: string) => Promise<string>;
}

/** Options every command understands. */
export interface GlobalOptions {
  vault: string | undefined;
  passphraseFile: string | undefined;
  json: boolean;
}

export interface CommandRun {
  io: CliIo;
  global: GlobalOptions;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface Command {
  /** One or more words: "import", "vault init", "audit verify". */
  name: string;
  summary: string;
  /** More paragraphs for `vulnzero COMMAND --help` (rules, exit codes); not in lists. */
  details?: string;
  /** Arguments after the name, for help: "FILE... [--format NAME]". */
  usage: string;
  options?: ParseArgsConfig['options'];
  /** Returns the exit code: 0 ok, 1 failure. Throw UsageError for bad usage (exit 2). */
  run(run: CommandRun): Promise<number>;
}

/** Bad usage: wrong flags, missing arguments. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
