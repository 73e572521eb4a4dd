/**
 * Test-only reader of one YAML double-quoted scalar as the exporter writes it (a single
 * line, escapes per YAML 1.1/1.2). Strict: anything the exporter must never write
 * (raw control characters, raw non-ASCII, an unescaped quote, unknown escapes) throws.
 */
const SIMPLE: Record<string, string> = {
  '0': '\u0000',
  a: '\u0007',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\u001b',
  '"': '"',
  '\\': '\\',
  ' ': ' ',
  '/': '/',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

export function decodeDoubleQuoted(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2)
    throw new Error(`not a double-quoted scalar: ${text}`);
  const body = text.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i]!;
    const code = c.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) throw new Error(`raw character U+${code.toString(16)}`);
    if (c === '"') throw new Error('unescaped quote');
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) throw new Error('dangling backslash');
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (width > 0) {
      const digits = body.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9A-Fa-f]{${width}}$`).test(digits)) throw new Error('bad escape');
      out += String.fromCodePoint(parseInt(digits, 16));
      i += 1 + width;
    } else if (e in SIMPLE) {
      out += SIMPLE[e];
      i += 1;
    } else throw new Error(`unknown escape \\${e}`);
  }
  return out;
}
