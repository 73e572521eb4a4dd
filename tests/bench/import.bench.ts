/**
 * Import benchmark on a generated .nessus (≥ 250 MB), every stage measured against
 * `xmllint --stream --noout` on the same file in the same run:
 *
 *   import.parse_ratio   parse + normalize only (the importer's records, no vault)
 *   import.ratio_xmllint in-process import into an encrypted vault (parse thread →
 *                        writer thread, as the app does)
 *   import.write_ratio   what the vault write adds on top of parsing (in-process import
 *                        minus parse-only time): the stage left once parsing overlaps
 *   import.cli_ratio     the whole `vulnzero import` process, as an operator runs it
 *                        (process start, unlock, parse, write, commit)
 *
 * and memory: import.peak_rss_mb (in-process, includes this benchmark's own heap),
 * import.cli_peak_rss_mb (the CLI process, all its threads), import.peak_rss_small_mb
 * (the CLI on a ~50 MB file, to show memory stays flat) and import.peak_rss_1gb_mb (a ~1 GB file generated on the fly, imported by the
 * CLI, then deleted). Without xmllint (Debian package libxml2-utils) the ratios are
 * skipped with a note. VZ_BENCH_NO_1GB=1 skips the 1 GB run.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { importFiles } from '../../src-main/importers/import-files';
import { importerFor } from '../../src-main/importers/registry';
import { createVault } from '../../src-main/vault/vault';
import { generateNessus } from './generate-nessus';
import { report } from './report';

const ROOT = join(import.meta.dirname, '..', '..');
const PASSPHRASE = 'orbit-lantern-quartz-91';
const dir = mkdtempSync(join(tmpdir(), 'vz-bench-import-'));
const skip1gb = process.argv.includes('--no-1gb') || process.env['VZ_BENCH_NO_1GB'] === '1';

async function newVault(name: string) {
  return createVault({
    path: join(dir, name),
    operator: 'bench',
    passphrase: PASSPHRASE,
    kdf: { logN: 14, r: 8, p: 1 },
  });
}

/** In-process import through the writer thread, sampling this process's RSS. */
async function importInProcess(file: string) {
  const vault = await newVault(`v-${basename(file)}.vz`);
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
  return { seconds, peak, findings: summary.findings.new };
}

/** Parse + normalize only: every record the importer yields, nothing written. */
async function parseOnly(file: string): Promise<number> {
  const t0 = performance.now();
  let findings = 0;
  for await (const record of importerFor('nessus').parse(createReadStream(file), {
    fileName: basename(file),
  }))
    if (record.kind === 'finding') findings += 1;
  if (findings === 0) throw new Error('parse-only run found no findings');
  return (performance.now() - t0) / 1000;
}

/** RSS of a process and all its threads, from /proc (Linux). */
function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** `vulnzero import FILE` into a fresh vault, as a separate process: wall time and peak RSS. */
async function importCli(file: string) {
  const vault = await newVault(`cli-${basename(file)}.vz`);
  const path = vault.path;
  vault.lock();
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'vulnzero.cjs'), 'import', file, '--json'],
    {
      env: { ...process.env, VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASSPHRASE },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(child.pid ?? 0))), 50);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  if (code !== 0) throw new Error(`vulnzero import exited ${code}: ${stderr.slice(-500)}`);
  const [summary] = JSON.parse(stdout) as { findings: { new: number } }[];
  return { seconds, peak, findings: summary?.findings.new ?? 0 };
}

function xmllintSeconds(file: string): number | null {
  if (spawnSync('xmllint', ['--version']).status !== 0) return null;
  const t0 = performance.now();
  execFileSync('xmllint', ['--stream', '--noout', file]);
  return (performance.now() - t0) / 1000;
}

if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) {
  process.stderr.write('# building out/ for the CLI figures (npm run build)\n');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
}

const smallFile = join(dir, 'small.nessus');
await generateNessus(smallFile, 500, 100);
const small = await importCli(smallFile);
rmSync(smallFile);

const file = join(dir, 'bench.nessus');
const size = await generateNessus(file, 2400, 100);
const xmllint = xmllintSeconds(file);
const parse = await parseOnly(file);
const inProcess = await importInProcess(file);
const cli = await importCli(file);
report('import', 'file_mb', size / 1e6, 'MB');
report('import', 'mb_per_s', size / 1e6 / inProcess.seconds, 'MB/s');
report('import', 'findings_per_s', inProcess.findings / inProcess.seconds, 'findings/s');
report('import', 'parse_s', parse, 's');
report('import', 'import_s', inProcess.seconds, 's');
report('import', 'cli_s', cli.seconds, 's');
report('import', 'peak_rss_mb', inProcess.peak / 1048576, 'MB');
report('import', 'cli_peak_rss_mb', cli.peak / 1048576, 'MB');
report('import', 'peak_rss_small_mb', small.peak / 1048576, 'MB');
if (xmllint !== null) {
  report('import', 'xmllint_s', xmllint, 's');
  report('import', 'parse_ratio', parse / xmllint, 'x');
  report('import', 'write_ratio', Math.max(0, inProcess.seconds - parse) / xmllint, 'x');
  report('import', 'ratio_xmllint', inProcess.seconds / xmllint, 'x');
  report('import', 'cli_ratio', cli.seconds / xmllint, 'x');
} else {
  process.stderr.write(
    '# import ratios skipped: xmllint is not installed (Debian package libxml2-utils)\n',
  );
}
rmSync(file);

if (!skip1gb) {
  const huge = join(dir, 'huge.nessus');
  // ~107 KB per host at 100 items: 9,400 hosts is about 1 GB.
  const hugeSize = await generateNessus(huge, 9400, 100);
  const run = await importCli(huge);
  rmSync(huge);
  report('import', 'file_1gb_mb', hugeSize / 1e6, 'MB');
  report('import', 'peak_rss_1gb_mb', run.peak / 1048576, 'MB');
  report('import', 'cli_1gb_s', run.seconds, 's');
}
rmSync(dir, { recursive: true, force: true });
