/** Argument parsing shared by the commands: numbers, strings, choices, common options. */
import { UsageError, type CommandRun } from './command';
import { OPERATOR_OPTION, TOTP_OPTION } from './vault-access';

/** `--operator`, `--totp`: what every command that unlocks the vault takes. */
export const UNLOCK_OPTIONS = { ...OPERATOR_OPTION, ...TOTP_OPTION } as const;
/** `--yes`: confirms a destructive action (the screens' confirmation dialogs). */
export const YES_OPTION = { yes: { type: 'boolean', default: false } } as const;

/** A whole number from `min` to `max` (usage error otherwise). */
export function int(value: unknown, what: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`${what} must be a whole number from ${min} to ${max}`);
  return n;
}

export function optionalInt(
  value: unknown,
  what: string,
  min?: number,
  max?: number,
): number | undefined {
  return value === undefined ? undefined : int(value, what, min, max);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** One of `choices` (usage error otherwise); undefined when the flag is absent. */
export function choice<T extends string>(
  value: unknown,
  what: string,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value))
    throw new UsageError(`${what} must be ${choices.join(', ')}`);
  return value as T;
}

/** The positional at `index`, required. */
export function positional(run: CommandRun, index: number, what: string, command: string): string {
  const value = run.positionals[index];
  if (value === undefined || value === '') throw new UsageError(`${command} needs ${what}`);
  return value;
}

/** Ids given as several positionals and/or comma lists: `12 13,14`. */
export function idList(values: readonly string[], what: string): number[] {
  return values
    .flatMap((v) => v.split(','))
    .filter((v) => v.trim() !== '')
    .map((v) => int(v, what));
}
