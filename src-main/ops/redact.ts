/**
 * What may go into a log record or a diagnostics bundle: ids, counts, codes and durations.
 * Field names that carry secrets or finding text are replaced, long strings are cut, and
 * IPv4 addresses outside loopback are masked (hosts are sensitive in an air-gapped site).
 */
const SECRET_KEY = /pass(word|phrase)?|secret|token|totp|private|credential|cookie|^key$|datakey/i;
const TEXT_KEY =
  /^(text|title|description|output|stdout|stderr|script|content|body|solution|evidence|prompt)$/i;
const MAX_STRING = 300;
const MAX_DEPTH = 6;
const IPV4 = /\b(?!127\.)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g;

export const REDACTED = '[redacted]';

export function redactString(value: string): string {
  const masked = value.replace(IPV4, 'x.x.x.$4');
  return masked.length > MAX_STRING ? `${masked.slice(0, MAX_STRING)}…[cut]` : masked;
}

export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[deep]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_KEY.test(key) || TEXT_KEY.test(key) ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}

export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  return redactValue(fields) as Record<string, unknown>;
}
