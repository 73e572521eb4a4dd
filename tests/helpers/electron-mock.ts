/**
 * A small stand-in for the `electron` module: records what the shell asks of it so the
 * tests can assert every hardening setting without the Electron binary.
 */
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

export class FakeWebContents {
  readonly listeners = new Map<string, Listener[]>();
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly mainFrame = { url: 'app://vulnzero/index.html', parent: null as unknown };
  readonly sent: unknown[][] = [];
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  emit(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

export class FakeBrowserWindow {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly once = vi.fn();
  readonly on = vi.fn();
  readonly loadURL = vi.fn(() => Promise.resolve());
  readonly isMinimized = vi.fn(() => true);
  readonly restore = vi.fn();
  readonly focus = vi.fn();
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    FakeBrowserWindow.created.push(this);
  }
  isDestroyed() {
    return this.destroyed;
  }
}

export const electronMock = {
  BrowserWindow: FakeBrowserWindow,
  shell: { openExternal: vi.fn(() => Promise.resolve()) },
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  ipcMain: { handle: vi.fn() },
};
