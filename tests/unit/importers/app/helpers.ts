/** Shared helpers of the application-format importer tests. */
import { expect } from 'vitest';
import type { NormalizedFinding } from '../../../../src-main/importers/types';
import type { Collected } from '../tabular/helpers';

/** The one finding of `key` (and component name when given); fails when missing or ambiguous. */
export function theFinding(
  result: Collected,
  key: string,
  component?: string,
  extra?: (f: NormalizedFinding) => boolean,
): NormalizedFinding {
  const matches = result.findings.filter(
    (f) =>
      f.vulnerability.key === key &&
      (component === undefined || f.component?.name === component) &&
      (extra === undefined || extra(f)),
  );
  expect(matches, `${key} on ${component ?? '-'}`).toHaveLength(1);
  return matches[0]!;
}

export function softwareNames(result: Collected): string[] {
  return result.assets.map((a) => a.software?.name ?? '');
}
