import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Type-level tests (the renderer's API type derives from the contract).
    typecheck: {
      enabled: true,
      include: ['tests/types/**/*.test-d.ts'],
      tsconfig: './tsconfig.test.json',
    },
    coverage: {
      provider: 'v8',
      include: ['src-main/**/*.ts', 'src-preload/**/*.ts'],
      // app/main.ts is Electron's process entry and cannot start without the Electron
      // binary (see README); every piece it wires is unit-tested with a mocked electron.
      // harness/main.ts is the harness process entry, driven by the Playwright run.
      exclude: ['src-main/app/main.ts', 'src-main/harness/main.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 80 },
    },
  },
});
