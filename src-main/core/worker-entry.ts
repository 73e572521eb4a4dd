/**
 * Where a built worker thread entry lives. In the built app it sits next to the chunk
 * that starts it (out/main or out/main/chunks); from sources (tests, benchmarks) the same
 * built file in out/main is used: `npm test` builds first.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VzError } from './errors';

export function builtWorkerEntry(fileName: string, from: string): string {
  const here = dirname(fileURLToPath(from));
  const candidates = [here, join(here, '..'), join(here, '..', '..', '..', 'out', 'main')];
  for (const dir of candidates) {
    const file = join(dir, fileName);
    if (existsSync(file)) return file;
  }
  throw new VzError('INTERNAL', `The worker ${fileName} is missing: run \`npm run build\`.`);
}
