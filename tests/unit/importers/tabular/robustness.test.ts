import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isVzError } from '../../../../src-main/core/errors';
import { createGrypeImporter } from '../../../../src-main/importers/formats/grype-json';
import { nessusCsvImporter } from '../../../../src-main/importers/formats/nessus-csv';
import { nessusWasCsvImporter } from '../../../../src-main/importers/formats/nessus-was-csv';
import { openvasCsvImporter } from '../../../../src-main/importers/formats/openvas-csv';
import { qualysCsvImporter } from '../../../../src-main/importers/formats/qualys-csv';
import { tenableScCsvImporter } from '../../../../src-main/importers/formats/tenable-sc-csv';
import { tenableVmCsvImporter } from '../../../../src-main/importers/formats/tenable-vm-csv';
import { createTrivyImporter } from '../../../../src-main/importers/formats/trivy-json';
import { createWazuhImporter } from '../../../../src-main/importers/formats/wazuh-json';
import type { Importer } from '../../../../src-main/importers/types';
import { captureError, collect, expectWellFormed, fixtureBytes, streamOf } from './helpers';

interface Case {
  importer: Importer;
  folder: string;
  name: string;
}

const streaming = { streamThresholdBytes: 0, spoolMemoryChars: 0 };
const CASES: Case[] = [
  { importer: nessusCsvImporter, folder: 'nessus_csv', name: 'nessus-template.csv' },
  { importer: nessusCsvImporter, folder: 'nessus_csv', name: 'nessus_many_vuln2-all.csv' },
  { importer: tenableScCsvImporter, folder: 'tenable_sc_csv', name: 'issue_11102.csv' },
  { importer: tenableVmCsvImporter, folder: 'tenable_vm_csv', name: 'tenable_many_vuln.csv' },
  { importer: tenableVmCsvImporter, folder: 'tenable_vm_csv', name: 'nessus_new.csv' },
  { importer: nessusWasCsvImporter, folder: 'nessus_was', name: 'nessus_was_many_vuln.csv' },
  { importer: openvasCsvImporter, folder: 'openvas_csv', name: 'many_vuln.csv' },
  { importer: qualysCsvImporter, folder: 'qualys_csv', name: 'Qualys_Sample_Report.csv' },
  { importer: createWazuhImporter(), folder: 'wazuh', name: 'v4-8_many_findings.json' },
  { importer: createWazuhImporter(streaming), folder: 'wazuh', name: 'v4-7_many_findings.json' },
  { importer: createTrivyImporter(), folder: 'trivy', name: 'scheme_2_many_vulns.json' },
  { importer: createTrivyImporter(streaming), folder: 'trivy', name: 'kubernetes.json' },
  { importer: createGrypeImporter(), folder: 'grype', name: 'check_all_fields.json' },
  { importer: createGrypeImporter(streaming), folder: 'grype', name: 'issue_9618.json' },
];

/** Cut points: inside the first bytes, the header, the middle, and just before the end. */
function cuts(length: number): number[] {
  const points = [1, 7, 60, Math.floor(length * 0.25), Math.floor(length / 2) + 3];
  points.push(Math.floor(length * 0.9), length - 2, length - 1);
  return [...new Set(points.filter((p) => p > 0 && p < length))];
}

describe('truncated files', () => {
  for (const { importer, folder, name } of CASES) {
    it(`${importer.format} ${folder}/${name}: imports or fails with IMPORT_MALFORMED`, async () => {
      const bytes = fixtureBytes(folder, name);
      for (const cut of cuts(bytes.length)) {
        try {
          const result = await collect(importer, streamOf(bytes.subarray(0, cut), 997), name);
          expectWellFormed(result);
        } catch (error) {
          if (!isVzError(error)) throw error;
          expect({ cut, code: error.code }).toEqual({ cut, code: 'IMPORT_MALFORMED' });
          expect(error.message.startsWith(`${name}: `)).toBe(true);
        }
      }
    });
  }

  it('a JSON report cut in the middle names the line and column', async () => {
    const bytes = fixtureBytes('trivy', 'scheme_2_many_vulns.json');
    for (const importer of [createTrivyImporter(), createTrivyImporter(streaming)]) {
      const error = await captureError(() =>
        collect(importer, streamOf(bytes.subarray(0, 5000)), 'cut.json'),
      );
      expect(error.code).toBe('IMPORT_MALFORMED');
      expect(error.details).toMatchObject({ fileName: 'cut.json' });
      expect(typeof error.details?.line).toBe('number');
      expect(typeof error.details?.column).toBe('number');
    }
  });
});

describe('malformed input', () => {
  it('a CSV of another kind names the expected columns', async () => {
    const error = await captureError(() =>
      collect(
        tenableScCsvImporter,
        streamOf(fixtureBytes('nessus_csv', 'nessus-template.csv')),
        'x.csv',
      ),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toContain('expected the columns "Plugin", "Plugin Name", "Severity"');
  });

  it('a stray quote in a Nessus CSV names the line', async () => {
    const csv =
      'Plugin ID,CVE,CVSS,Risk,Host,Protocol,Port,Name\n1,,,Low,10.0.0.1,tcp,22,ok\n2,,,Low,10.0.0.1,tcp,22,"bad"name\n';
    const error = await captureError(() => collect(nessusCsvImporter, streamOf(csv), 'q.csv'));
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.details).toMatchObject({ fileName: 'q.csv', line: 3, column: 8 });
  });

  it('JSON that is not a report of the format', async () => {
    const trivy = await captureError(() =>
      collect(createTrivyImporter(), streamOf('"text"'), 't.json'),
    );
    expect(trivy.code).toBe('IMPORT_MALFORMED');
    const grype = await captureError(() =>
      collect(createGrypeImporter(), streamOf('[]'), 'g.json'),
    );
    expect(grype.message).toBe('g.json: not a Grype report: the document is not a JSON object');
  });

  it('an input stream error is reported as IMPORT_MALFORMED, not a raw error', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('EIO: i/o error'));
      },
    });
    const error = await captureError(() => collect(createWazuhImporter(), failing, 'io.json'));
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toBe('io.json: could not be read: EIO: i/o error');
  });
});

/**
 * A stream that sends `first` and then never ends, like a stalled network share;
 * `waiting` resolves once the importer has asked for more data than that.
 */
function stalled(first: string): { input: Readable; waiting: Promise<void> } {
  let reads = 0;
  let wake: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const input = new Readable({
    read() {
      reads += 1;
      if (reads === 1) this.push(Buffer.from(first));
      else wake();
    },
  });
  return { input, waiting };
}

describe('cancellation', () => {
  it('an aborted signal stops before reading', async () => {
    const controller = new AbortController();
    controller.abort();
    for (const importer of [nessusCsvImporter, createTrivyImporter()]) {
      const error = await captureError(() =>
        collect(importer, streamOf('x'), 'c.csv', controller.signal),
      );
      expect(error).toMatchObject({ code: 'CANCELLED', message: 'c.csv: import cancelled.' });
    }
  });

  it('aborting mid-way stops the CSV and JSON imports with CANCELLED', async () => {
    const cases: [Importer, Buffer][] = [
      [tenableVmCsvImporter, fixtureBytes('tenable_vm_csv', 'nessus_new.csv')],
      [createGrypeImporter(streaming), fixtureBytes('grype', 'issue_9618.json')],
      [createTrivyImporter(streaming), fixtureBytes('trivy', 'kubernetes.json')],
    ];
    for (const [importer, bytes] of cases) {
      const controller = new AbortController();
      const records = importer.parse(streamOf(bytes, 512), {
        fileName: 'm',
        signal: controller.signal,
      });
      const iterator = records[Symbol.asyncIterator]();
      await iterator.next();
      controller.abort();
      const error = await captureError(async () => {
        for (;;) if ((await iterator.next()).done) break;
      });
      expect(error.code).toBe('CANCELLED');
    }
  });

  it('aborting while the input stalls ends the import instead of hanging', async () => {
    const inputs: [Importer, string][] = [
      [
        nessusCsvImporter,
        'Plugin ID,CVE,CVSS,Risk,Host,Protocol,Port,Name\n1,,,Low,10.0.0.1,tcp,22,a\n',
      ],
      [
        createWazuhImporter(streaming),
        '{"data":{"affected_items":[{"cve":"CVE-2020-1","name":"a"},',
      ],
    ];
    for (const [importer, text] of inputs) {
      const controller = new AbortController();
      const { input, waiting } = stalled(text);
      const records = importer.parse(input, { fileName: 's', signal: controller.signal });
      const pending = captureError(async () => {
        for await (const _record of records) {
          // Drain until the import ends.
        }
      });
      await waiting;
      controller.abort();
      expect((await pending).code).toBe('CANCELLED');
    }
  });
});
