/** What `exec` sends and strips, checked against a local POSIX sh (dash on Debian). */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildScriptInput, HeaderParser, shQuote } from '../../../../src-main/push/ssh/client';

function runSh(input: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-s'], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('buildScriptInput', () => {
  it('exports env values byte for byte, whatever they contain', () => {
    const values = [
      '',
      "it's",
      "''",
      '"$HOME" `id` $(id) \\ \\n',
      'line1\nline2\n',
      '; rm -rf / #',
      'ünïcödé ✓',
      ' leading and trailing ',
    ];
    for (const value of values) {
      const r = runSh(buildScriptInput('printf "%s" "$VZ_V"', { VZ_V: value }));
      expect(r).toEqual({ status: 0, stdout: value, stderr: '' });
      expect(runSh(`printf "%s" ${shQuote(value)}\n`).stdout).toBe(value);
    }
  });

  it('exports to child processes too', () => {
    const r = runSh(buildScriptInput('sh -c \'printf "%s" "$A_B"\'', { A_B: 'x y' }));
    expect(r.stdout).toBe('x y');
  });

  it('refuses bad names and NUL bytes', () => {
    for (const name of ['a', 'A-B', '1A', 'A B', '', 'Ä']) {
      expect(() => buildScriptInput('true', { [name]: 'x' })).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
    expect(() => buildScriptInput('true', { A: 'x\0y' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => buildScriptInput('echo \0')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('keeps stdin away from the script and keeps its exit status', () => {
    expect(runSh(buildScriptInput('read x; echo "[$x]"; echo after')).stdout).toBe('[]\nafter\n');
    expect(runSh(buildScriptInput('echo a\nexit 7')).status).toBe(7);
    expect(runSh(buildScriptInput('false')).status).toBe(1);
    expect(runSh(buildScriptInput('')).status).toBe(0);
    expect(runSh(buildScriptInput('# only a comment\n')).status).toBe(0);
    expect(runSh(buildScriptInput('cat <<EOF\nheredoc\nEOF')).stdout).toBe('heredoc\n');
  });

  it('runs nothing when the script does not parse', () => {
    const r = runSh(buildScriptInput('echo ran\nif then fi'));
    expect(r.stdout).toBe('');
    expect(r.status).not.toBe(0);
  });
});

describe('HeaderParser', () => {
  const feedAll = (p: HeaderParser, chunks: string[]): string =>
    chunks
      .flatMap((c) => p.feed(Buffer.from(c, 'latin1')))
      .concat(p.flush())
      .map((b) => b.toString('latin1'))
      .join('');

  it('strips the markers even when split across chunks', () => {
    const text = '\x1eVZ1 12345\n\x1eVZ2\nhello\n\x1eVZ1 9\n';
    for (let cut = 1; cut < text.length; cut++) {
      const seen: number[] = [];
      const p = new HeaderParser(true, (pgid) => seen.push(pgid));
      expect(feedAll(p, [text.slice(0, cut), text.slice(cut)])).toBe('hello\n\x1eVZ1 9\n');
      expect(seen).toEqual([12345]);
      expect(p.sudoStarted).toBe(true);
    }
  });

  it('passes output before the marker through (noisy login shells)', () => {
    const p = new HeaderParser(false, () => {});
    expect(feedAll(p, ['motd\n\x1eVZ1 77\nout'])).toBe('motd\nout');
    expect(p.pgid).toBe(77);
  });

  it('reports a sudo that never started', () => {
    const p = new HeaderParser(true, () => {});
    expect(feedAll(p, ['\x1eVZ1 5\n'])).toBe('');
    expect(p.sawHeader).toBe(true);
    expect(p.sudoStarted).toBe(false);
  });

  it('gives up on a missing marker after 64 KiB', () => {
    const p = new HeaderParser(false, () => {});
    const out = p.feed(Buffer.alloc(70 * 1024, 0x61));
    expect(Buffer.concat(out).length).toBe(70 * 1024);
    expect(p.sawHeader).toBe(false);
    expect(Buffer.concat(p.feed(Buffer.from('\x1eVZ1 5\n'))).toString()).toBe('\x1eVZ1 5\n');
  });
});
