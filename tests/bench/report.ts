/** Prints one benchmark figure in the public format: `BENCH <group>.<name> <value> <unit>`. */
export function report(group: string, name: string, value: number, unit: string): void {
  const rounded = Number.isInteger(value)
    ? String(value)
    : Math.abs(value) >= 100
      ? value.toFixed(0)
      : value.toFixed(value >= 10 ? 1 : 3);
  process.stdout.write(`BENCH ${group}.${name} ${rounded} ${unit}\n`);
}

/** Percentile of a sorted-on-demand sample (p in 0..100). */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}
