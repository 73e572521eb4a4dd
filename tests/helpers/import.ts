import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobControls } from '../../src-main/core/jobs';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export function quietControls(signal: AbortSignal = new AbortController().signal): JobControls {
  return { signal, progress: () => undefined };
}

/**
 * A later scan of the same Nessus host: every time stamp moved a year on, optionally
 * without some plugins (by pluginID).
 */
export function laterNessusScan(source: string, out: string, dropPlugins: string[] = []): string {
  let text = readFileSync(source, 'utf8')
    .replace(/>(\d{10})</g, (_m, ts: string) => `>${Number(ts) + 365 * 86400}<`)
    .replace(/ 2022</g, ' 2023<');
  for (const plugin of dropPlugins) {
    text = text.replace(
      new RegExp(`<ReportItem [^>]*pluginID="${plugin}"[\\s\\S]*?</ReportItem>`, 'g'),
      '',
    );
  }
  writeFileSync(out, text);
  return out;
}
