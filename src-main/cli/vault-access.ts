/**
 * How CLI commands reach the vault: path from --vault or VULNZERO_VAULT, passphrases only
 * from the environment or a file (never argv), the operator from --operator,
 * VULNZERO_OPERATOR or the vault's only operator.
 */
import { readKeyFile, keyFilePath } from '../vault/keyfile';
import type { VaultSession } from '../vault/session';
import { unlockVault } from '../vault/vault';
import { UsageError, type CommandRun } from './command';

export const OPERATOR_OPTION = { operator: { type: 'string' } } as const;
export const TOTP_OPTION = { totp: { type: 'string' } } as const;
export const NEW_PASSPHRASE_OPTION = { 'new-passphrase-file': { type: 'string' } } as const;

export function vaultPath(run: CommandRun): string {
  if (!run.global.vault)
    throw new UsageError('no vault given: use --vault PATH or set VULNZERO_VAULT');
  return run.global.vault;
}

function firstLine(text: string): string {
  return text.replace(/\r?\n$/, '');
}

export async function passphrase(run: CommandRun): Promise<string> {
  if (run.global.passphraseFile) return firstLine(await run.io.readFile(run.global.passphraseFile));
  const fromEnv = run.io.env['VULNZERO_PASSPHRASE'];
  if (fromEnv) return fromEnv;
  throw new UsageError('no passphrase: set VULNZERO_PASSPHRASE or use --passphrase-file PATH');
}

export async function newPassphrase(run: CommandRun): Promise<string> {
  const file = run.values['new-passphrase-file'];
  if (typeof file === 'string') return firstLine(await run.io.readFile(file));
  const fromEnv = run.io.env['VULNZERO_NEW_PASSPHRASE'];
  if (fromEnv) return fromEnv;
  throw new UsageError(
    'no new passphrase: set VULNZERO_NEW_PASSPHRASE or use --new-passphrase-file PATH',
  );
}

export function operatorName(run: CommandRun, path: string): string {
  const given = run.values['operator'];
  if (typeof given === 'string') return given;
  const fromEnv = run.io.env['VULNZERO_OPERATOR'];
  if (fromEnv) return fromEnv;
  const operators = readKeyFile(keyFilePath(path)).operators;
  if (operators.length === 1 && operators[0]) return operators[0].name;
  throw new UsageError(
    'this vault has several operators: use --operator NAME or set VULNZERO_OPERATOR',
  );
}

/** Unlocks, runs `fn`, and always locks again. */
export async function withSession<T>(
  run: CommandRun,
  fn: (session: VaultSession) => Promise<T> | T,
): Promise<T> {
  const path = vaultPath(run);
  const totp =
    typeof run.values['totp'] === 'string' ? run.values['totp'] : run.io.env['VULNZERO_TOTP'];
  const session = await unlockVault({
    path,
    operator: operatorName(run, path),
    passphrase: await passphrase(run),
    ...(totp ? { totp } : {}),
  });
  try {
    return await fn(session);
  } finally {
    if (session.isOpen) session.lock();
  }
}

export function printResult(run: CommandRun, value: unknown, text: string): void {
  run.io.stdout(
    run.global.json
      ? JSON.stringify(value, null, 2) + '\n'
      : text.endsWith('\n')
        ? text
        : text + '\n',
  );
}

export function requireYes(run: CommandRun, what: string): void {
  if (run.values['yes'] !== true)
    throw new UsageError(`${what} is destructive: add --yes to confirm`);
}
