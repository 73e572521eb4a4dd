/**
 * Drafts:
 *   drafts.rules_per_s         rule drafts written per second (match + scripts), over the
 *                              package and config findings of a real Nessus export
 *   drafts.rules_checked_per_s the same with sh -n, shellcheck and the policy (what
 *                              `drafts create` does before storing a version)
 *   drafts.llm_overhead_pct    draft generation vs raw node-llama-cpp generation, same
 *                              tiny model, prompt, grammar and token count (target <= 10)
 */
import { join } from 'node:path';
import { findingContext } from '../../src-main/drafts/create';
import { lintDraft } from '../../src-main/drafts/lint';
import { evaluatePolicy, policySettings } from '../../src-main/drafts/policy';
import { matchRule, ruleDraft } from '../../src-main/drafts/rules';
import { writeTinyModel } from '../../src-main/drafts/llm/tiny-model';
import { importFiles } from '../../src-main/importers/import-files';
import { fixture, quietControls } from '../helpers/import';
import { newVault, tempDir } from '../helpers/vault';
import { llmOverheadPct } from './drafts-llm';
import { report } from './report';

const { session } = await newVault();
await importFiles(
  session,
  [fixture('tenable_vm_csv', 'nessus_new.csv'), fixture('tenable_vm_csv', 'tenable_many_vuln.csv')],
  { controls: quietControls() },
);
const findings = (session.db.prepare('SELECT id FROM findings').pluck().all() as number[])
  .map((id) => findingContext(session.db, id))
  .filter((f) => matchRule(f).kind !== 'none');

const ROUNDS = 200;
let written = 0;
let t0 = performance.now();
for (let i = 0; i < ROUNDS; i += 1)
  for (const f of findings) {
    const match = matchRule(f);
    if (match.kind !== 'none' && ruleDraft(match, f.title).apply.length) written += 1;
  }
report('drafts', 'rules_per_s', written / ((performance.now() - t0) / 1000), 'drafts/s');

const settings = policySettings.parse({});
const sample = findings.slice(0, 10);
t0 = performance.now();
for (const f of sample) {
  const match = matchRule(f);
  if (match.kind === 'none') continue;
  const draft = ruleDraft(match, f.title);
  await lintDraft(draft);
  evaluatePolicy(draft, settings);
}
report(
  'drafts',
  'rules_checked_per_s',
  sample.length / ((performance.now() - t0) / 1000),
  'drafts/s',
);
session.lock();

const model = await writeTinyModel(join(tempDir('vz-bench-llm-'), 'tiny.gguf'));
report('drafts', 'llm_overhead_pct', await llmOverheadPct(model.path), '%');
