/** Rotating log files and the redaction every record and diagnostics bundle goes through. */
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStreamLogger } from '../../../src-main/core/logger';
import { LOG_FILE, RotatingLogFile, logDirFor, logFiles } from '../../../src-main/ops/log-files';
import { REDACTED, redactFields, redactValue } from '../../../src-main/ops/redact';

const line = (n: number) => JSON.stringify({ n, pad: 'x'.repeat(80) }) + '\n';

describe('rotating log files', () => {
  it('lives in logs/ beside the vault', () => {
    expect(logDirFor('/data/vz/vault.vz')).toBe('/data/vz/logs');
  });

  it('rotates past maxBytes, keeps `keep` old files, and drops the oldest', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'vz-log-')), 'logs');
    const log = new RotatingLogFile(dir, { maxBytes: 1000, keep: 2 });
    for (let n = 0; n < 60; n += 1) log.write(line(n));
    expect(readdirSync(dir).sort()).toEqual(['vulnzero.1.log', 'vulnzero.2.log', LOG_FILE]);
    const files = logFiles(dir, 2);
    expect(files.map((f) => f.split('/').pop())).toEqual([
      LOG_FILE,
      'vulnzero.1.log',
      'vulnzero.2.log',
    ]);
    for (const f of files) expect(statSync(f).size).toBeLessThanOrEqual(1000);
    expect(statSync(join(dir, LOG_FILE)).mode & 0o777).toBe(0o600);
    // The newest record is in the current file, older ones in .1 then .2, none lost in between.
    const numbers = [...files]
      .reverse()
      .flatMap((f) => readFileSync(f, 'utf8').trim().split('\n'))
      .map((l) => (JSON.parse(l) as { n: number }).n);
    expect(numbers.at(-1)).toBe(59);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
  });

  it('continues an existing file and never throws when the disk refuses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vz-log-'));
    new RotatingLogFile(dir).write(line(1));
    new RotatingLogFile(dir).write(line(2));
    expect(readFileSync(join(dir, LOG_FILE), 'utf8').trim().split('\n')).toHaveLength(2);
    const notADir = join(dir, 'file');
    writeFileSync(notADir, '');
    const broken = new RotatingLogFile(join(notADir, 'logs'));
    expect(() => broken.write(line(3))).not.toThrow();
    expect(() => broken.write(line(4))).not.toThrow();
  });
});

describe('redaction', () => {
  it('replaces secrets and finding text, masks host addresses, cuts long strings', () => {
    const out = redactFields({
      passphrase: 'hunter2',
      dataKey: 'abc',
      totpSecret: 'JBSW',
      title: 'OpenSSL 3.0 < 3.0.7 Multiple Vulnerabilities',
      output: 'root@host:~#',
      host: '10.1.2.3',
      loopback: '127.0.10.4',
      kind: 'import',
      findings: 12,
      nested: { list: [{ description: 'long text', id: 4 }] },
      note: 'y'.repeat(400),
    });
    expect(out).toMatchObject({
      passphrase: REDACTED,
      dataKey: REDACTED,
      totpSecret: REDACTED,
      title: REDACTED,
      output: REDACTED,
      host: 'x.x.x.3',
      loopback: '127.0.10.4',
      kind: 'import',
      findings: 12,
      nested: { list: [{ description: REDACTED, id: 4 }] },
    });
    expect(String(out['note'])).toHaveLength(300 + '…[cut]'.length);
  });

  it('bounds depth and list length', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10; i += 1) deep = { deep };
    expect(JSON.stringify(redactValue(deep))).toContain('[deep]');
    expect(redactValue(Array.from({ length: 80 }, (_, i) => i))).toHaveLength(50);
  });

  it('is applied by the stream logger to every record', () => {
    const lines: string[] = [];
    createStreamLogger((l) => lines.push(l)).log('info', 'unlock', { passphrase: 'p4ss', n: 1 });
    expect(lines[0]).not.toContain('p4ss');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: 'unlock',
      fields: { passphrase: REDACTED },
    });
  });
});
