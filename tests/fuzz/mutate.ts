/**
 * Seeded mutations of real files, shared by the unit fuzz test and `npm run fuzz`: flipped,
 * inserted and deleted bytes, truncation, duplicated spans, and grammar-made structures
 * (deep nesting, huge fields, entity declarations) spliced into the file. The same seed
 * gives the same bytes, so every failure reproduces from its seed.
 */

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bytes that matter to XML, CSV and JSON grammars. */
const INTERESTING = [0x3c, 0x3e, 0x22, 0x2c, 0x0a, 0x7b, 0x7d, 0x5b, 0x5d, 0x26, 0x00, 0xff];

/** Structures a hostile file would splice in. */
const GRAMMAR: ((random: () => number) => string)[] = [
  (r) => '['.repeat(1 + Math.floor(r() * 5000)),
  (r) => '{"a":'.repeat(1 + Math.floor(r() * 3000)),
  (r) => '<a>'.repeat(1 + Math.floor(r() * 5000)),
  () => '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
  () => '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>&b;',
  (r) => 'x'.repeat(Math.floor(r() * 200_000)),
  (r) => '"'.repeat(1 + Math.floor(r() * 1000)),
  () => '\uFEFF\uFFFD\u0000\uD800',
  () => '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  (r) => String(r() * 1e308) + 'e999999',
  () => ']]></a><![CDATA[',
  (r) => ',"",'.repeat(Math.floor(r() * 2000)) + '\r\n',
];

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)] as T;
}

export function mutate(bytes: Buffer, random: () => number): Buffer {
  let result = Buffer.from(bytes);
  const edits = 1 + Math.floor(random() * 8);
  for (let i = 0; i < edits; i += 1) {
    const at = Math.floor(random() * result.length);
    const kind = random();
    if (kind < 0.35) result[at] = pick(INTERESTING, random);
    else if (kind < 0.6)
      result = Buffer.concat([
        result.subarray(0, at),
        result.subarray(at + 1 + Math.floor(random() * 50)),
      ]);
    else if (kind < 0.72)
      result = Buffer.concat([
        result.subarray(0, at),
        Buffer.from([pick(INTERESTING, random)]),
        result.subarray(at),
      ]);
    else if (kind < 0.82) {
      const end = Math.min(result.length, at + Math.floor(random() * 400));
      result = Buffer.concat([
        result.subarray(0, end),
        result.subarray(at, end),
        result.subarray(end),
      ]);
    } else if (kind < 0.92)
      result = Buffer.concat([
        result.subarray(0, at),
        Buffer.from(pick(GRAMMAR, random)(random)),
        result.subarray(at),
      ]);
    else result = result.subarray(0, at);
  }
  return result;
}
