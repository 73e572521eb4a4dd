/** `vulnzero demo init --vault PATH`: a separate, clearly marked demo vault with sample data. */
import { initDemoVault } from '../../demo/init';
import type { Command } from '../command';
import { passphrase, printResult, vaultPath } from '../vault-access';

export const demoCommand: Command = {
  name: 'demo init',
  summary:
    'Create a separate demo vault at --vault PATH (must not exist) filled with sample scans and feeds.',
  usage: '--vault PATH [--operator NAME]',
  options: { operator: { type: 'string' } },
  run: async (run) => {
    const path = vaultPath(run);
    const operator =
      typeof run.values['operator'] === 'string'
        ? run.values['operator']
        : (run.io.env['VULNZERO_OPERATOR'] ?? 'demo');
    const result = await initDemoVault({
      path,
      operator,
      passphrase: await passphrase(run),
      onFile: (s) => run.io.stderr(`${s.file}: ${s.findings.new} findings\n`),
    });
    const findings = result.scans.reduce((n, s) => n + s.findings.new, 0);
    printResult(
      run,
      {
        vault: path,
        demo: true,
        operator,
        scans: result.scans.map((s) => ({
          file: s.file,
          format: s.format,
          findings: s.findings.new,
        })),
        feeds: result.feeds.feeds.map((f) => ({ kind: f.kind, records: f.records })),
        findings,
      },
      `Created the DEMO vault ${path} (operator ${operator}): ${result.scans.length} sample scans, ${findings} findings, ${result.feeds.feeds.length} feeds. It is marked as a demo; keep real scans in a real vault.`,
    );
    return 0;
  },
};
