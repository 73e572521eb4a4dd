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
  it('sets the Electron fuses that close the usual escape hatches, all seven of them', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('names only fuses Electron has: every V1 fuse but the V8 snapshot one (a start-up speed option)', async () => {
    // @electron/fuses is what electron-builder flips the fuses with.
    const { FuseV1Options } = await import('@electron/fuses');
    const known = Object.keys(FuseV1Options)
      .filter((k) => Number.isNaN(Number(k)))
      .map((k) => k[0]!.toLowerCase() + k.slice(1));
    expect(known.filter((k) => !(k in config.electronFuses))).toEqual([
      'loadBrowserProcessSpecificV8Snapshot',
    ]);
    for (const name of Object.keys(config.electronFuses)) expect(known).toContain(name);
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
