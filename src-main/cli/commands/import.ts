import { listFindings } from '../../findings/list';
import { importFiles, type ImportSummary } from '../../importers/import-files';
import { openImport } from '../../importers/read-file';
import { IMPORTERS } from '../../importers/registry';
import { FINDING_KINDS } from '../../../src-preload/triage-schemas';
import { SEVERITIES } from '../../importers/types';
import { UsageError, type Command, type CommandRun } from '../command';
import { OPERATOR_OPTION, TOTP_OPTION, printResult, withSession } from '../vault-access';

/** The public JSON shape of one file's summary (`vulnzero import --json`). */
function publicSummary(s: ImportSummary) {
  return {
    file: s.file,
    format: s.format,
    sha256: s.sha256,
    assets: s.assets,
    findings: s.findings,
    skipped: s.skipped ?? { count: 0, reasons: [] },
    durationMs: s.durationMs,
    ...(s.error ? { error: s.error } : {}),
  };
}

function controlsFor(run: CommandRun) {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  let last = 0;
  return {
    controls: {
      signal: controller.signal,
      progress: (phase: string, done: number, total: number | null, message?: string) => {
        const now = Date.now();
        if (now - last < 1000 && (total === null || done < total)) return;
        last = now;
        const pct = total ? ` ${Math.floor((done / total) * 100)}%` : '';
        run.io.stderr(`${phase}${pct}${message ? ` (${message})` : ''}\n`);
      },
    },
    dispose: () => process.off('SIGINT', onSignal),
  };
}

async function dryRun(
  run: CommandRun,
  files: string[],
  format: string | undefined,
): Promise<number> {
  let failed = 0;
  for (const file of files) {
    try {
      const opened = await openImport(file, { format });
      for await (const record of opened.records) {
        if (record.kind === 'finding') run.io.stdout(JSON.stringify(record.finding) + '\n');
        else if (record.kind === 'note')
          run.io.stderr(`${opened.fileName}: note: ${record.message}\n`);
      }
    } catch (error) {
      failed += 1;
      run.io.stderr(`error: ${(error as Error).message}\n`);
    }
  }
  return failed ? 1 : 0;
}

export const importCommands: Command[] = [
  {
    name: 'import',
    summary:
      'Import scanner exports (format sniffed from content; --dry-run parses without a vault).',
    usage: 'FILE... [--format NAME] [--keep-generic-hosts] [--dry-run] [--json]',
    options: {
      ...OPERATOR_OPTION,
      ...TOTP_OPTION,
      format: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      // Findings of hosts named only localhost/127.0.0.1/"ubuntu" are skipped (and counted)
      // unless the operator keeps them as assets of this scan.
      'keep-generic-hosts': { type: 'boolean', default: false },
    },
    run: async (run) => {
      const files = run.positionals;
      if (files.length === 0) throw new UsageError('import needs at least one FILE');
      const format = typeof run.values['format'] === 'string' ? run.values['format'] : undefined;
      if (format && !IMPORTERS.some((i) => i.format === format)) {
        throw new UsageError(`unknown --format ${format}; see vulnzero formats`);
      }
      if (run.values['dry-run'] === true) return dryRun(run, files, format);
      return withSession(run, async (session) => {
        const { controls, dispose } = controlsFor(run);
        try {
          const results = await importFiles(session, files, {
            format,
            keepGenericHosts: run.values['keep-generic-hosts'] === true,
            controls,
          });
          if (run.global.json)
            run.io.stdout(JSON.stringify(results.map(publicSummary), null, 2) + '\n');
          else {
            for (const r of results) {
              run.io.stdout(
                r.error
                  ? `${r.file}: FAILED: ${r.error.message}\n`
                  : `${r.file}: ${r.format}, ${r.assets} assets${r.softwareAssets ? ` (${r.softwareAssets} software)` : ''}, findings new ${r.findings.new}, updated ${r.findings.updated}, unchanged ${r.findings.unchanged}, not seen ${r.findings.notSeen}${r.skipped ? `, skipped ${r.skipped.count}` : ''} (${r.durationMs} ms)\n`,
              );
            }
          }
          for (const r of results) {
            if (r.skipped)
              run.io.stderr(
                `${r.file}: warning: ${r.skipped.count} finding(s) skipped: ${r.skipped.reasons.map((x) => `${x.count} with ${x.reason}`).join('; ')} (--keep-generic-hosts keeps them).\n`,
              );
            if (r.duplicateOf !== undefined)
              run.io.stderr(
                `${r.file}: note: the same bytes were already imported (scan ${r.duplicateOf}); only last-seen times changed.\n`,
              );
          }
          return results.some((r) => r.error) ? 1 : 0;
        } finally {
          dispose();
        }
      });
    },
  },
  {
    name: 'formats',
    summary: 'Supported scanner formats and how they are detected.',
    usage: '',
    run: (run) => {
      const list = IMPORTERS.map(({ format, label, hints }) => ({ format, label, hints }));
      const width = Math.max(...list.map((f) => f.format.length));
      printResult(
        run,
        list,
        list.map((f) => `${f.format.padEnd(width)}  ${f.label}: ${f.hints}`).join('\n'),
      );
      return Promise.resolve(0);
    },
  },
  {
    name: 'findings',
    summary: 'Findings from the vault in the normalized shape plus id and status.',
    usage: '[--json] [--limit N] [--cve ID] [--asset TEXT] [--severity S] [--kind K]',
    options: {
      ...OPERATOR_OPTION,
      ...TOTP_OPTION,
      limit: { type: 'string', default: '100' },
      cve: { type: 'string' },
      asset: { type: 'string' },
      severity: { type: 'string' },
      kind: { type: 'string' },
    },
    run: (run) => {
      const limit = Number(run.values['limit']);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000)
        throw new UsageError('--limit must be a whole number from 1 to 1000000');
      const severity = run.values['severity'];
      if (severity !== undefined && !SEVERITIES.includes(severity as (typeof SEVERITIES)[number])) {
        throw new UsageError(`--severity must be one of ${SEVERITIES.join(', ')}`);
      }
      const kind = run.values['kind'];
      if (kind !== undefined && !FINDING_KINDS.includes(kind as (typeof FINDING_KINDS)[number])) {
        throw new UsageError(`--kind must be one of ${FINDING_KINDS.join(', ')}`);
      }
      return withSession(run, (session) => {
        const rows = listFindings(session.db, {
          ...(typeof kind === 'string' ? { kind } : {}),
          limit,
          ...(typeof run.values['cve'] === 'string' ? { cve: run.values['cve'] } : {}),
          ...(typeof run.values['asset'] === 'string' ? { asset: run.values['asset'] } : {}),
          ...(typeof severity === 'string' ? { severity } : {}),
        });
        printResult(
          run,
          rows,
          rows
            .map(
              (f) =>
                `${f.id}\t${f.status}\t${f.vulnerability.severity}\t${f.asset.fqdn ?? f.asset.hostname ?? f.asset.ip ?? f.asset.image ?? f.asset.software?.name ?? ''}${f.port !== undefined ? `:${f.port}` : ''}\t${f.vulnerability.cves.join(',') || f.vulnerability.key}\t${f.vulnerability.title}${f.kind && f.kind !== 'vulnerability' ? ` [${f.kind}]` : ''}${f.location ? `\t${f.location.path}${f.location.line ? `:${f.location.line}` : ''}` : ''}`,
            )
            .join('\n') || 'no findings',
        );
        return 0;
      });
    },
  },
];
