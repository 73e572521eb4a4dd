/**
 * Content sniffing helpers for the XML importers: find the root element of a file's first
 * bytes without parsing it, skipping the XML declaration, comments, processing
 * instructions and a DOCTYPE.
 */

export interface XmlRoot {
  name: string;
  /** The root's start tag as written (attributes included), for version checks. */
  tag: string;
}

/** The root element of `head`, or undefined when `head` is not XML or ends before it. */
export function findRoot(head: string): XmlRoot | undefined {
  let i = head.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    i = skipSpaces(head, i);
    if (head.charCodeAt(i) !== 0x3c /* < */) return undefined;
    if (head.startsWith('<?', i)) i = after(head, '?>', i);
    else if (head.startsWith('<!--', i)) i = after(head, '-->', i);
    else if (head.startsWith('<!DOCTYPE', i)) i = afterDoctype(head, i);
    else break;
    if (i < 0) return undefined;
  }
  const match = /^<([A-Za-z_][\w.:-]*)[^>]*>?/.exec(head.slice(i, i + 4096));
  if (!match?.[1]) return undefined;
  return { name: match[1], tag: match[0] };
}

/** Convenience for sniffers: the root name, or '' when there is none. */
export function rootName(head: string): string {
  return findRoot(head)?.name ?? '';
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

function after(s: string, token: string, from: number): number {
  const at = s.indexOf(token, from);
  return at < 0 ? -1 : at + token.length;
}

function afterDoctype(s: string, from: number): number {
  const bracket = s.indexOf('[', from);
  const close = s.indexOf('>', from);
  if (close < 0) return -1;
  if (bracket < 0 || bracket > close) return close + 1;
  const end = s.indexOf(']', bracket);
  return end < 0 ? -1 : after(s, '>', end);
}
