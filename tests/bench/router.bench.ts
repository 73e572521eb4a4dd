/**
 * The cost the bridge adds to every call: router validation + dispatch for a small
 * channel, measured in-process (`router.call_us`), and over the loopback harness
 * (`router.harness_call_us`) as the renderer in the e2e tests calls it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../src-main/ipc/core';
import { startHarness } from '../../src-main/harness/server';
import { percentile, report } from './report';

const core = createCore({
  runtime: { transport: 'direct' },
  vaultPath: join(mkdtempSync(join(tmpdir(), 'vz-bench-')), 'vault.vz'),
});

const N = 20_000;
for (let i = 0; i < 1000; i += 1) await core.router.call('app.health', undefined);
const t0 = performance.now();
for (let i = 0; i < N; i += 1) await core.router.call('app.health', undefined);
report('router', 'call_us', ((performance.now() - t0) * 1000) / N, 'us');

const dir = mkdtempSync(join(tmpdir(), 'vz-bench-'));
writeFileSync(join(dir, 'index.html'), '<html><head></head></html>');
const harness = await startHarness({ core, rendererDir: dir });
const samples: number[] = [];
for (let i = 0; i < 2000; i += 1) {
  const start = performance.now();
  const res = await fetch(`${harness.origin}/__vz/call/app.health`, {
    method: 'POST',
    headers: { 'x-vz-token': harness.token, 'content-type': 'application/json' },
    body: '{}',
  });
  await res.json();
  samples.push((performance.now() - start) * 1000);
}
report('router', 'harness_call_p50_us', percentile(samples, 50), 'us');
report('router', 'harness_call_p95_us', percentile(samples, 95), 'us');
await harness.close();
