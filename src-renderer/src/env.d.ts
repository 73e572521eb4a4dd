import type { VulnzeroApi } from '../../src-preload/api-types';

declare global {
  interface Window {
    /** Defined by the preload (Electron) or the harness bridge (tests, dev:web). */
    readonly vulnzero: VulnzeroApi;
  }
}

export {};
