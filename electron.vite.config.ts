import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/**
 * Three bundles, one per runtime:
 * - main: the Electron shell plus the headless entries that reuse the same core (the
 *   `vulnzero` CLI, the loopback harness, the vault writer and import parser workers). Dependencies stay
 *   external, so native modules (the SQLite binding, node-llama-cpp, ssh2) load from
 *   node_modules (unpacked from asar when packaged).
 * - preload: one CommonJS file with everything bundled in (sandboxed preloads can only
 *   `require('electron')`).
 * - renderer: the React app served from app:// in Electron and by the harness in tests.
 */
const nativeModules = ['better-sqlite3-multiple-ciphers', 'node-llama-cpp', 'ssh2', 'cpu-features'];

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: { include: nativeModules },
      rollupOptions: {
        input: {
          index: resolve('src-main/app/main.ts'),
          cli: resolve('src-main/cli/main.ts'),
          harness: resolve('src-main/harness/main.ts'),
          'vault-writer': resolve('src-main/vault/writer/worker.ts'),
          'import-parser': resolve('src-main/importers/pipeline/parse-worker.ts'),
        },
        external: nativeModules,
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src-preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src-renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: { input: resolve('src-renderer/index.html') },
    },
  },
});
