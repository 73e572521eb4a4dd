/**
 * The few YAML pieces the Ansible export writes. Every string that comes from outside
 * the exporter (titles, names, hashes) goes through `yamlString`: a double-quoted scalar
 * with every character outside printable ASCII escaped, so no input can end the scalar,
 * start a new key, a comment, an anchor or a document, whatever YAML version reads it
 * (PyYAML reads YAML 1.1). `yamlUnsafe` adds Ansible's `!unsafe` tag, which stops Jinja
 * from ever templating the value (`{{ ... }}` stays text).
 */

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0');
}

const NAMED_ESCAPES: Record<number, string> = {
  0x00: '\\0',
  0x07: '\\a',
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0b: '\\v',
  0x0c: '\\f',
  0x0d: '\\r',
  0x1b: '\\e',
  0x22: '\\"',
  0x5c: '\\\\',
};

/** A YAML double-quoted scalar holding exactly `value` (ASCII-only output). */
export function yamlString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i += 1) {
    let code = value.charCodeAt(i);
    // Pair surrogates into one code point; a lone surrogate is not a character YAML can
    // carry, so it becomes U+FFFD (the same thing a UTF-8 encoder does).
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i += 1;
      } else code = 0xfffd;
    } else if (code >= 0xdc00 && code <= 0xdfff) code = 0xfffd;
    const named = NAMED_ESCAPES[code];
    if (named !== undefined) out += named;
    else if (code >= 0x20 && code < 0x7f) out += String.fromCharCode(code);
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return `${out}"`;
}

/** A string Ansible must never template (Jinja markers in it stay literal text). */
export function yamlUnsafe(value: string): string {
  return `!unsafe ${yamlString(value)}`;
}

/** Text for a `#` comment line: printable ASCII only, so it cannot end the comment. */
export function commentText(value: string, max = 200): string {
  const flat = value.replace(/[^\x20-\x7e]/g, '?');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
