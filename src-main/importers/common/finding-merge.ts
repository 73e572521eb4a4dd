/**
 * Nessus-family CSV exports write one row per CVE of a plugin on a host/port. Those rows
 * are consecutive, so they are merged while they share a key and flushed when the key
 * changes: memory holds one group, never the file.
 */
import type { NormalizedFinding } from '../types';
import { maxSeverity } from './severity';
import { uniqueStrings } from './text';

/** Merges b into a: union of ids and references, worst severity, first non-empty values. */
export function mergeFindings(a: NormalizedFinding, b: NormalizedFinding): NormalizedFinding {
  const merged: NormalizedFinding = {
    ...a,
    vulnerability: {
      ...a.vulnerability,
      cves: uniqueStrings([...a.vulnerability.cves, ...b.vulnerability.cves]),
      cwes: uniqueStrings([...a.vulnerability.cwes, ...b.vulnerability.cwes]),
      references: uniqueStrings([...a.vulnerability.references, ...b.vulnerability.references]),
      severity: maxSeverity(a.vulnerability.severity, b.vulnerability.severity),
      cvss3: a.vulnerability.cvss3 ?? b.vulnerability.cvss3,
      cvss3Vector: a.vulnerability.cvss3Vector ?? b.vulnerability.cvss3Vector,
      cvss2: a.vulnerability.cvss2 ?? b.vulnerability.cvss2,
    },
    component: a.component ?? b.component,
    solution: a.solution ?? b.solution,
    evidence: mergeEvidence(a.evidence, b.evidence),
    firstSeen: earliest(a.firstSeen, b.firstSeen),
    lastSeen: latest(a.lastSeen, b.lastSeen),
  };
  return dropUndefined(merged);
}

/** Identical outputs (the usual case: the same plugin output repeated per CVE) appear once. */
function mergeEvidence(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined || a === b || a.includes(b)) return a;
  return `${a}\n\n${b}`;
}

// ISO 8601 strings of the same shape compare correctly as text.
function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b < a ? b : a;
}

function latest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b > a ? b : a;
}

function dropUndefined(finding: NormalizedFinding): NormalizedFinding {
  const vulnerability = { ...finding.vulnerability };
  if (vulnerability.cvss3 === undefined) delete vulnerability.cvss3;
  if (vulnerability.cvss3Vector === undefined) delete vulnerability.cvss3Vector;
  if (vulnerability.cvss2 === undefined) delete vulnerability.cvss2;
  const out: NormalizedFinding = { ...finding, vulnerability };
  for (const key of ['component', 'solution', 'evidence', 'firstSeen', 'lastSeen'] as const) {
    if (out[key] === undefined) delete out[key];
  }
  return out;
}

export interface Located<T> {
  value: T;
  /** Where the group started (line number), for error messages. */
  line: number;
}

/**
 * Merges consecutive values with equal keys. `push` returns the group it closed, if any;
 * `flush` returns the last open group at the end of the input.
 */
export class ConsecutiveMerger<T> {
  private current: { key: string; value: T; line: number } | undefined;

  constructor(
    private readonly keyOf: (value: T) => string,
    private readonly merge: (a: T, b: T) => T,
  ) {}

  push(value: T, line: number): Located<T> | undefined {
    const key = this.keyOf(value);
    if (this.current && this.current.key === key) {
      this.current.value = this.merge(this.current.value, value);
      return undefined;
    }
    const closed = this.flush();
    this.current = { key, value, line };
    return closed;
  }

  flush(): Located<T> | undefined {
    const closed = this.current;
    this.current = undefined;
    return closed ? { value: closed.value, line: closed.line } : undefined;
  }
}
