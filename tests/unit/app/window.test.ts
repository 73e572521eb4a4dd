import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('../../helpers/electron-mock')).electronMock);

const { FakeBrowserWindow, electronMock } = await import('../../helpers/electron-mock');
const { createMainWindow, secureWebPreferences } = await import('../../../src-main/app/window');
const { hardenSession } = await import('../../../src-main/app/security');

beforeEach(() => {
  FakeBrowserWindow.created.length = 0;
  electronMock.shell.openExternal.mockClear();
});

describe('window factory', () => {
  it('creates the window with every hardening setting', () => {
    createMainWindow({ preloadPath: '/app/out/preload/index.cjs', isDev: false });
    const win = FakeBrowserWindow.created[0];
    expect(win).toBeDefined();
    const prefs = win?.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      devTools: false,
    });
    expect(win?.options['show']).toBe(false);
  });

  it('allows DevTools only in development', () => {
    expect(secureWebPreferences({ preloadPath: 'p', isDev: true }).devTools).toBe(true);
    expect(secureWebPreferences({ preloadPath: 'p', isDev: false }).devTools).toBe(false);
  });

  it('blocks navigation, redirects and webviews', () => {
    createMainWindow({ preloadPath: 'p', isDev: false });
    const contents = FakeBrowserWindow.created[0]!.webContents;
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      contents.emit(event, { preventDefault }, 'https://evil.example/');
      expect(preventDefault, event).toHaveBeenCalledOnce();
    }
  });

  it('denies every new window and opens only allow-listed https links outside', () => {
    createMainWindow({ preloadPath: 'p', isDev: false });
    const handler = FakeBrowserWindow.created[0]!.webContents.windowOpenHandler!;
    expect(handler({ url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-3094' })).toEqual({
      action: 'deny',
    });
    expect(handler({ url: 'https://nvd.nist.gov.attacker.example/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'http://nvd.nist.gov/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(electronMock.shell.openExternal.mock.calls).toEqual([
      ['https://nvd.nist.gov/vuln/detail/CVE-2024-3094'],
    ]);
  });
});

describe('session hardening', () => {
  it('denies permission requests and checks', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    const session = {
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    };
    hardenSession(session as never);
    const answers: boolean[] = [];
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
    ]) {
      request?.({}, permission, (ok) => answers.push(ok));
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect(check?.()).toBe(false);
  });
});
