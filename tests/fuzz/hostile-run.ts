/**
 * Child process of the hostile-file runs: parses one hostile case (by name and scale) and
 * prints one JSON line { outcome, message, seconds, maxRssMb } so the parent sees this
 * process's own peak memory, untouched by its own heap.
 */
import { isVzError } from '../../src-main/core/errors';
import { parseFeed } from '../../src-main/feeds/parse';
import type { FeedKind } from '../../src-main/feeds/types';
import { IMPORTERS } from '../../src-main/importers/registry';
import { hostileCases } from './hostile-cases';

const [name, scale] = process.argv.slice(2) as [string, string];
const found = hostileCases(Number(scale)).find((c) => c.name === name);
if (!found) throw new Error(`unknown hostile case ${name}`);
const t0 = performance.now();
let outcome = 'ok';
let message = '';
try {
  const input = found.input();
  if (found.target.kind === 'import') {
    const importer = IMPORTERS.find((i) => i.format === found.target.format);
    if (!importer) throw new Error(found.target.format);
    for await (const record of importer.parse(input, { fileName: name })) void record;
  } else {
    const kind = found.target.format as FeedKind;
    for await (const item of parseFeed(kind, input, { fileName: name })) void item;
  }
} catch (error) {
  outcome = isVzError(error) ? error.code : 'crash';
  message = error instanceof Error ? error.message.slice(0, 300) : String(error);
}
process.stdout.write(
  JSON.stringify({
    outcome,
    message,
    seconds: (performance.now() - t0) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
process.exit(0);
