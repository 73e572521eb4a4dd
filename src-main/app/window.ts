import { BrowserWindow, type WebPreferences } from 'electron';
import { guardWebContents } from './security';

export interface WindowOptions {
  preloadPath: string;
  isDev: boolean;
}

/** The hardened settings of the app's only window (Electron security checklist). */
export function secureWebPreferences(options: WindowOptions): WebPreferences {
  return {
    preload: options.preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: options.isDev,
  };
}

/** The single window factory: every window the app opens comes from here. */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'VulnZero',
    backgroundColor: '#0f1216',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(options),
  });
  guardWebContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  return win;
}
