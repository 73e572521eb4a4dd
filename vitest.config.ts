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
      // harness/main.ts is the harness process entry, driven by the Playwright run.
      // (app/main.ts, Electron's entry, is counted: tests/unit/app/main.test.ts runs it
      // with a mocked electron.)
      exclude: ['src-main/harness/main.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 80 },
    },
  },
});
