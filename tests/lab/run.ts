/**
 * `npm run lab [-- --hosts N] [--report FILE] [--keep]` — the remediation lab (docs/lab.md).
 *
 * N real Debian bookworm hosts (127.0.10.1..N, N ≤ 50), each on the point-release builds
 * of openssl, tzdata, zlib, libssh2 and pam, with a local mirror on 127.0.10.254 holding
 * those and the bookworm-security/-updates builds. Through the `vulnzero` CLI: scan in,
 * feeds, one rule draft per advisory, approve, push in waves with faults injected on
 * hosts 2..6 (phase A); clear the faults and retry (phase B: resume the cut run, push the
 * approvals again); rescan. Prints BENCH lab.* lines and writes a Markdown report.
 * Exit 1 when a host is broken or a rollback neither restored nor said "manual".
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { report } from '../bench/report';
import { baseRoot, requireLabTools, LAB_CACHE } from './debian-root';
import { FAULTS, faultOf, injectFault, type ActiveFault } from './faults';
import { checkHealth } from './health';
import { startLab } from './lab-setup';
import { operator } from './operator';
import { pushAdvisory, retryAdvisory, type AdvisoryRun } from './push-advisory';
import { labReport, summarize } from './report';
import { scanHosts } from './scan-hosts';

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '6' },
    report: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const count = Number(values.hosts);
if (!Number.isInteger(count) || count < 1 || count > 50) {
  process.stderr.write('--hosts must be a whole number from 1 to 50\n');
  process.exit(2);
}
const log = (line: string) => process.stderr.write(`# ${line}\n`);
const t0 = Date.now();
requireLabTools();
log(`lab cache: ${LAB_CACHE} (base root and mirror are kept between runs)`);
const base = baseRoot(log);
const work = join(LAB_CACHE, 'run');
const lab = await startLab(base, work, count, log);
let exitCode = 0;
const faults: ActiveFault[] = [];
try {
  mkdirSync(join(work, 'scans'), { recursive: true });
  const vault = join(work, 'lab.vzvault');
  rmSync(vault, { force: true });
  rmSync(`${vault}.keys`, { force: true });
  const passphrase = 'lab-orbit-lantern-quartz-91';
  const vz = operator(vault, passphrase, log);
  await vz.must(['vault', 'init', '--operator', 'lab-operator']);

  // Scan in, then the offline feeds an air-gapped site carries.
  const first = scanHosts(lab.hosts, lab.advisories, join(work, 'scans', 'before.nessus'));
  await vz.must(['import', first.file, '--json']);
  const feeds = join(import.meta.dirname, '..', 'fixtures', 'feeds');
  await vz.must([
    'feeds',
    'import',
    join(feeds, 'known_exploited_vulnerabilities.json'),
    join(feeds, 'epss_scores-2026-09-29.slice.csv'),
  ]);

  // Phase A: faults on hosts 2..6, one push run per advisory.
  for (const [i, host] of lab.hosts.entries()) {
    const fault = faultOf(i);
    if (fault) faults.push(await injectFault(fault, host, lab.mirror, lab.pinnedBefore(host)));
  }
  log(`faults: ${faults.map((f, i) => `lab-${i + 2} ${f.fault}`).join(', ') || 'none'}`);
  const runs: AdvisoryRun[] = [];
  for (const advisory of lab.advisories) runs.push(await pushAdvisory(vz, advisory, lab, log));

  // Phase B: the causes are gone; the operator resumes and pushes again.
  for (const f of faults) await f.clear();
  for (const run of runs) await retryAdvisory(vz, run, log);

  // The rescan: the importers' "not seen" rule confirms each fix.
  const second = scanHosts(lab.hosts, lab.advisories, join(work, 'scans', 'after.nessus'));
  await vz.must(['import', second.file, '--json']);
  const confirmedAt = Date.now();
  const findings = await vz.json<{ status: string; asset: { hostname?: string } }[]>([
    'findings',
    '--json',
    '--limit',
    '100000',
  ]);
  const health = await checkHealth(lab.hosts);
  const summary = summarize({
    hosts: lab.hosts,
    faults: new Map(lab.hosts.map((h, i) => [h.name, faultOf(i)])),
    fixable: first.items.length,
    stillVulnerable: second.items.length,
    findings,
    runs,
    health,
    confirmedAt,
  });
  report('lab', 'hosts', count, 'hosts');
  report('lab', 'fixable_findings', summary.fixable, 'findings');
  report('lab', 'fixed_verified_pct', summary.fixedVerifiedPct, '%');
  report('lab', 'hosts_broken', summary.hostsBroken, 'hosts');
  report('lab', 'rollbacks_ok', summary.rollbacksOk, 'rollbacks');
  report('lab', 'rollbacks_needed', summary.rollbacksNeeded, 'rollbacks');
  const wallS = (Date.now() - t0) / 1000;
  report('lab', 'wall_s', wallS, 's');
  report('lab', 'ttr_s', summary.ttrS, 's');
  const file = resolve(values.report ?? join(work, 'lab-report.md'));
  writeFileSync(file, labReport(summary, { faults: FAULTS.length, wallS }));
  log(`report: ${file}`);
  if (summary.hostsBroken > 0 || summary.rollbacksOk < summary.rollbacksNeeded) exitCode = 1;
} finally {
  // Cleared already on success; after an error this releases the lock holder and mounts.
  for (const f of faults) await f.clear().catch(() => undefined);
  await lab.stop();
  if (!values.keep) rmSync(join(work, 'hosts'), { recursive: true, force: true });
}
log(`nothing left running: ${lab.leftRunning()} processes in the lab roots`);
process.exit(exitCode);
