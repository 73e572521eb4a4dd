import { describe, expect, it } from 'vitest';
import { yarnAuditImporter } from '../../../../src-main/importers/formats/yarn-audit';
import { captureError, collect, fixtureBytes, importFixture, streamOf } from '../tabular/helpers';
import { softwareNames, theFinding } from './helpers';

describe('yarn_audit', () => {
  it('yarn 1 NDJSON: repeated advisory lines become one finding per advisory and installed version', async () => {
    const result = await importFixture(
      yarnAuditImporter,
      'yarn_audit',
      'yarn_audit_multiple_cwes2.json',
    );
    // 5 auditAdvisory lines: advisory 1064843 on 3.0.0 and 4.1.0, advisory 1028226 on 4.1.0.
    expect(result.findings).toHaveLength(3);
    expect(result.scans[0]).toEqual({ scanner: 'yarn audit' });
    expect(softwareNames(result)).toEqual(['yarn_audit_multiple_cwes2']);
    const f = theFinding(
      result,
      'CVE-2021-3807',
      'ansi-regex',
      (x) => x.component?.version === '3.0.0',
    );
    expect(f.component).toMatchObject({
      fixedVersion: '5.0.1',
      path: '@company.frontend/eslint-config-es6>eslint>strip-ansi>ansi-regex',
    });
    expect(f.vulnerability).toMatchObject({
      severity: 'medium',
      cvss3: 7.5,
      cwes: ['CWE-918', 'CWE-1333'],
    });
  });

  it('advisories without CVE are keyed by their GitHub or npm id', async () => {
    const result = await importFixture(yarnAuditImporter, 'yarn_audit', 'yarn_audit_many_vul.json');
    expect(result.findings).toHaveLength(3);
    const f = theFinding(result, 'npm:1179', 'minimist');
    expect(f.component).toMatchObject({ version: '0.0.10', fixedVersion: '0.2.1' });
    expect(f.vulnerability.severity).toBe('low');
    const one = await importFixture(yarnAuditImporter, 'yarn_audit', 'yarn_audit_one_vul.json');
    expect(theFinding(one, 'npm:1325', 'handlebars').component).toMatchObject({
      version: '4.5.2',
      fixedVersion: '4.5.3',
    });
    const zero = await importFixture(yarnAuditImporter, 'yarn_audit', 'yarn_audit_zero_vul.json');
    expect(zero.findings).toHaveLength(0);
  });

  it('yarn 2+ NDJSON: vulnerabilities are read, deprecation notices counted', async () => {
    const result = await importFixture(
      yarnAuditImporter,
      'yarn_audit',
      'yarn2_audit_issue9911.json',
    );
    expect(result.findings).toHaveLength(1);
    const f = theFinding(result, 'GHSA-37q5-v5qm-c9v8', 'transformers');
    expect(f.component).toEqual({ name: 'transformers', version: '4.38', fixedVersion: '4.38.0' });
    expect(f.vulnerability.severity).toBe('low');
    expect(result.notes.some((n) => n.includes('3 deprecation notice(s)'))).toBe(true);
  });

  it("an error line fails the file with yarn's message and the line number", async () => {
    const error = await captureError(() =>
      collect(
        yarnAuditImporter,
        streamOf(fixtureBytes('yarn_audit', 'empty_with_error.json')),
        'y.json',
      ),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toMatch(
      /^y\.json: line 3: yarn audit did not run: An unexpected error occurred/,
    );
  });

  it('an error line without data still says yarn did not run (found by npm run fuzz)', async () => {
    const error = await captureError(() =>
      collect(
        yarnAuditImporter,
        streamOf('{"type":"warning","data":"x"}\n{"type":"error"}\n'),
        'y.json',
      ),
    );
    expect(error.message).toBe('y.json: line 2: yarn audit did not run: the line gives no details');
    expect(error.details?.['defect']).toBeUndefined();
  });

  it('a broken line fails with its line number, whatever the chunking', async () => {
    const text = fixtureBytes('yarn_audit', 'yarn_audit_many_vul.json')
      .toString('utf8')
      .split('\n');
    text[1] = (text[1] ?? '').slice(0, 200);
    const error = await captureError(() =>
      collect(yarnAuditImporter, streamOf(text.join('\n'), 64), 'y.json'),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toMatch(/^y\.json: line 2: not a JSON line/);
  });
});
