import type { BrowserWindow } from 'electron';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('../../helpers/electron-mock')).electronMock);

const { FakeBrowserWindow } = await import('../../helpers/electron-mock');
const { isTrustedSender, wireIpc } = await import('../../../src-main/app/ipc-bridge');
const { IPC_CALL_PREFIX } = await import('../../../src-preload/api-shape');
const { channelNames } = await import('../../../src-preload/contract');
const { testCore } = await import('../../helpers/core');

function appWindow() {
  return new FakeBrowserWindow({}) as unknown as BrowserWindow;
}

function eventFrom(win: BrowserWindow, frame: unknown = win.webContents.mainFrame) {
  return { sender: win.webContents, senderFrame: frame } as never;
}

describe('sender check', () => {
  it('accepts the top-level frame of the app window on the app origin', () => {
    const win = appWindow();
    expect(isTrustedSender(eventFrom(win), () => win)).toBe(true);
  });

  it('refuses subframes, other windows, foreign origins and missing frames', () => {
    const win = appWindow();
    const other = appWindow();
    const sub = { url: 'app://vulnzero/index.html', parent: win.webContents.mainFrame };
    expect(isTrustedSender(eventFrom(win, sub), () => win)).toBe(false);
    expect(isTrustedSender(eventFrom(other), () => win)).toBe(false);
    expect(isTrustedSender(eventFrom(win, null), () => win)).toBe(false);
    expect(isTrustedSender(eventFrom(win), () => null)).toBe(false);

    const navigated = appWindow();
    (navigated.webContents.mainFrame as { url: string }).url = 'https://evil.example/';
    expect(isTrustedSender(eventFrom(navigated), () => navigated)).toBe(false);
    (navigated.webContents.mainFrame as { url: string }).url = 'app://other-host/index.html';
    expect(isTrustedSender(eventFrom(navigated), () => navigated)).toBe(false);
    (navigated.webContents.mainFrame as { url: string }).url = 'not a url';
    expect(isTrustedSender(eventFrom(navigated), () => navigated)).toBe(false);

    const destroyed = appWindow();
    (destroyed as unknown as { destroyed: boolean }).destroyed = true;
    expect(isTrustedSender(eventFrom(destroyed), () => destroyed)).toBe(false);
  });

  it('accepts the dev server origin only when given', () => {
    const win = appWindow();
    (win.webContents.mainFrame as { url: string }).url = 'http://localhost:5173/';
    expect(isTrustedSender(eventFrom(win), () => win)).toBe(false);
    expect(isTrustedSender(eventFrom(win), () => win, 'http://localhost:5173')).toBe(true);
  });
});

describe('ipcMain wiring', () => {
  it('registers one handler per channel, routed through the core, refusing foreign senders', async () => {
    const registered = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
    const ipcMain = {
      handle: (name: string, fn: (event: unknown, input: unknown) => Promise<unknown>) =>
        void registered.set(name, fn),
    };
    const win = appWindow();
    wireIpc(ipcMain as never, testCore().router, () => win);

    expect([...registered.keys()].sort()).toEqual(
      channelNames()
        .map((c) => IPC_CALL_PREFIX + c)
        .sort(),
    );
    const version = registered.get(IPC_CALL_PREFIX + 'app.version')!;
    expect(await version(eventFrom(win), undefined)).toMatchObject({
      ok: true,
      value: { name: 'VulnZero' },
    });

    const other = appWindow();
    expect(await version(eventFrom(other), undefined)).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER', message: expect.any(String) },
    });
  });
});
