import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const config = JSON.parse(readFileSync(join(root, 'build', 'electron-builder.json'), 'utf8')) as {
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
};

describe('packaging config', () => {
  it('sets the Electron fuses that close the usual escape hatches', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('unpacks every native module from the asar archive', () => {
    for (const mod of ['better-sqlite3-multiple-ciphers', 'node-llama-cpp', 'ssh2']) {
      expect(config.asarUnpack.some((p) => p.includes(mod))).toBe(true);
    }
    expect(config.asarUnpack).toContain('**/*.node');
  });

  it('builds AppImage, deb, rpm, NSIS and dmg', () => {
    expect([...config.linux.target, ...config.win.target, ...config.mac.target].sort()).toEqual(
      ['AppImage', 'deb', 'dmg', 'nsis', 'rpm'].sort(),
    );
  });
});
