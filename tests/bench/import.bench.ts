/**
 * Import benchmark on a generated .nessus (≥ 250 MB) into an encrypted vault through
 * the writer thread, as the app does. Prints import.mb_per_s, import.findings_per_s,
 * import.peak_rss_mb (whole process: main + writer), import.peak_rss_small_mb (a file
 * a quarter the size, to show memory stays flat), and import.ratio_xmllint when
 * xmllint is installed (import wall time / `xmllint --stream --noout`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFiles } from '../../src-main/importers/import-files';
import { createVault } from '../../src-main/vault/vault';
import { generateNessus } from './generate-nessus';
import { report } from './report';

const dir = mkdtempSync(join(tmpdir(), 'vz-bench-import-'));

async function measure(hosts: number, items: number) {
  const file = join(dir, `bench-${hosts}.nessus`);
  const size = await generateNessus(file, hosts, items);
  const vault = await createVault({
    path: join(dir, `v-${hosts}.vz`),
    operator: 'bench',
    passphrase: 'orbit-lantern-quartz-91',
    kdf: { logN: 14, r: 8, p: 1 },
  });
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const [summary] = await importFiles(vault, [file], {
    controls: { signal: new AbortController().signal, progress: () => undefined },
  });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  vault.lock();
  if (!summary || summary.error) throw new Error(`import failed: ${summary?.error?.message}`);
  return { file, size, seconds, peak, findings: summary.findings.new };
}

const small = await measure(500, 100);
rmSync(small.file);
const big = await measure(2400, 100);
report('import', 'mb_per_s', big.size / 1e6 / big.seconds, 'MB/s');
report('import', 'findings_per_s', big.findings / big.seconds, 'findings/s');
report('import', 'peak_rss_mb', big.peak / 1048576, 'MB');
report('import', 'peak_rss_small_mb', small.peak / 1048576, 'MB');
report('import', 'file_mb', big.size / 1e6, 'MB');

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
if (hasXmllint) {
  const t0 = performance.now();
  execFileSync('xmllint', ['--stream', '--noout', big.file]);
  const xmllint = (performance.now() - t0) / 1000;
  report('import', 'ratio_xmllint', big.seconds / xmllint, 'x');
} else {
  process.stderr.write(
    '# import.ratio_xmllint skipped: xmllint is not installed (Debian package libxml2-utils)\n',
  );
}
rmSync(dir, { recursive: true, force: true });
