/**
 * The Electron entry point (src-main/app/main.ts) with a mocked `electron`: what it wires
 * at start (one instance, the app scheme, a guard on every web contents, a hardened
 * session, IPC through the router, the hardened window on app://), what it does on a
 * second instance and at quit, and the vault locking when the machine sleeps or the
 * screen locks. The real core runs behind it on a temporary userData folder.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const userData = mkdtempSync(join(tmpdir(), 'vz-main-'));
const appEvents = new EventEmitter();
const power = new EventEmitter();
const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };

vi.mock('electron', async () => {
  const base = (await import('../../helpers/electron-mock')).electronMock;
  return {
    ...base,
    app: {
      isPackaged: false,
      requestSingleInstanceLock: vi.fn(() => true),
      quit: vi.fn(),
      on: (event: string, listener: (...args: unknown[]) => void) => appEvents.on(event, listener),
      whenReady: () => Promise.resolve(),
      getPath: () => userData,
    },
    dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
    powerMonitor: power,
    session: { defaultSession: session },
  };
});

const { FakeBrowserWindow, FakeWebContents, electronMock } =
  await import('../../helpers/electron-mock');
const { IPC_CALL_PREFIX, IPC_EVENT_CHANNEL } = await import('../../../src-preload/api-shape');
const { PASS } = await import('../../helpers/vault');
await import('../../../src-main/app/main');

type Call = (channel: string, input?: unknown) => Promise<{ ok: boolean; value?: unknown }>;

/** Calls a channel the way the renderer does: through the handler main.ts registered. */
function ipc(win: InstanceType<typeof FakeBrowserWindow>): Call {
  return async (channel, input) => {
    const registered = electronMock.ipcMain.handle.mock.calls.find(
      (c) => c[0] === IPC_CALL_PREFIX + channel,
    ) as [string, (event: unknown, input: unknown) => Promise<{ ok: boolean }>] | undefined;
    if (!registered) throw new Error(`no handler for ${channel}`);
    return registered[1](
      { sender: win.webContents, senderFrame: win.webContents.mainFrame },
      input,
    );
  };
}

async function mainWindow() {
  await vi.waitFor(() => expect(FakeBrowserWindow.created.at(-1)?.loadURL).toHaveBeenCalled());
  return FakeBrowserWindow.created.at(-1) as InstanceType<typeof FakeBrowserWindow>;
}

describe('the Electron entry point', () => {
  it('opens one hardened window on app:// and wires every channel through the router', async () => {
    const win = await mainWindow();
    expect(win.loadURL).toHaveBeenCalledWith('app://vulnzero/index.html');
    const prefs = win.options['webPreferences'] as Record<string, unknown>;
    expect(prefs['preload']).toMatch(/preload[\\/]index\.cjs$/);
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    // Checklist item 10: no Blink features switched on, no experimental web features.
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs['experimentalFeatures']).toBe(false);
    expect(session.setPermissionRequestHandler).toHaveBeenCalled();
    expect(electronMock.protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
    expect(electronMock.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    // Every web contents the app ever creates gets the navigation guard.
    const other = new FakeWebContents();
    appEvents.emit('web-contents-created', {}, other);
    expect(other.listeners.has('will-navigate')).toBe(true);
    expect(other.windowOpenHandler).not.toBeNull();
    // The vault lives in Electron's userData folder.
    const status = await ipc(win)('vault.status');
    expect(status).toMatchObject({
      ok: true,
      value: { state: 'absent', path: join(userData, 'vault.vz') },
    });
  });

  it('locks the vault when the machine sleeps or the screen locks, and tells the window', async () => {
    const win = await mainWindow();
    const call = ipc(win);
    expect(await call('vault.create', { operator: 'alice', passphrase: PASS })).toMatchObject({
      ok: true,
    });
    expect(await call('vault.status')).toMatchObject({ value: { state: 'unlocked' } });
    power.emit('suspend');
    expect(await call('vault.status')).toMatchObject({ value: { state: 'locked' } });
    expect(win.webContents.sent).toContainEqual([
      IPC_EVENT_CHANNEL,
      { name: 'vaultLocked', payload: expect.objectContaining({ reason: 'suspend' }) },
    ]);
    expect(await call('vault.unlock', { operator: 'alice', passphrase: PASS })).toMatchObject({
      ok: true,
    });
    power.emit('lock-screen');
    expect(await call('vault.status')).toMatchObject({ value: { state: 'locked' } });
    // Locking a locked vault (sleep right after a screen lock) changes nothing.
    power.emit('suspend');
    expect(await call('vault.status')).toMatchObject({ value: { state: 'locked' } });
  });

  it('brings its window back for a second instance, and disposes the core at quit', async () => {
    const win = await mainWindow();
    appEvents.emit('second-instance');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
    appEvents.emit('before-quit');
    await vi.waitFor(async () =>
      expect(await ipc(win)('vault.status')).toMatchObject({ value: { state: 'locked' } }),
    );
  });
});
