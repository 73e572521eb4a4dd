import { describe, expect, it } from 'vitest';
import { commentText, yamlString, yamlUnsafe } from '../../../../src-main/push/ansible/yaml';
import { decodeDoubleQuoted } from './yaml-decode';

const HOSTILE = [
  '',
  'plain',
  'Fix "openssl": CVE-2024-0001',
  "it's {{ lookup('pipe', 'id') }} and {% raw %} and {# c #}",
  'line one\nline two\r\n\ttabbed',
  'key: value\n- item\n---\n...\n# comment\n&anchor *alias !tag |\n>',
  '\\ backslash \\n not a newline \\"',
  'NUL\u0000 BEL\u0007 ESC\u001b DEL\u007f C1\u0085 NBSP\u00a0',
  'separators \u2028 \u2029 BOM \ufeff',
  'accents é ü ß, CJK 漏洞, emoji 🔒',
  ' leading and trailing spaces ',
  '@at `backtick` %percent',
];

describe('yamlString', () => {
  it.each(HOSTILE)('round-trips %j as one ASCII line', (value) => {
    const out = yamlString(value);
    expect(out).toMatch(/^"[\x20-\x7e]*"$/);
    expect(decodeDoubleQuoted(out)).toBe(value);
  });

  it('escapes everything outside printable ASCII', () => {
    expect(yamlString('a"b\\c\nd\u0085\u2028😀')).toBe('"a\\"b\\\\c\\nd\\x85\\u2028\\U0001F600"');
  });

  it('replaces lone surrogates (not characters) with U+FFFD', () => {
    expect(decodeDoubleQuoted(yamlString('a\ud800b'))).toBe('a\ufffdb');
    expect(decodeDoubleQuoted(yamlString('a\udc00'))).toBe('a\ufffd');
    expect(decodeDoubleQuoted(yamlString('\ud83d'))).toBe('\ufffd');
  });

  it('tags Ansible-unsafe values so Jinja never templates them', () => {
    expect(yamlUnsafe('{{ x }}')).toBe('!unsafe "{{ x }}"');
  });
});

describe('commentText', () => {
  it('keeps a comment on one line and bounded', () => {
    expect(commentText('a\nb\r#c\u2028d')).toBe('a?b?#c?d');
    expect(commentText('x'.repeat(300))).toHaveLength(200);
    expect(commentText('x'.repeat(300), 10)).toBe('xxxxxxx...');
  });
});
