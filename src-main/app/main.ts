/**
 * Electron entry point: lifecycle only. Everything the app does lives in the core
 * (src-main/<domain>) behind the router; this file wires it to Electron.
 */
import { join } from 'node:path';
import { app, dialog, ipcMain, powerMonitor, session, shell, type BrowserWindow } from 'electron';
import { IPC_EVENT_CHANNEL } from '../../src-preload/api-shape';
import { createStreamLogger } from '../core/logger';
import { createCore } from '../ipc/core';
import { logDirFor } from '../ops/log-files';
import { wireIpc } from './ipc-bridge';
import { lockOnSleep } from './power';
import { handleAppProtocol, registerAppScheme } from './protocol';
import { guardWebContents, hardenSession } from './security';
import { createMainWindow } from './window';

const isDev = !app.isPackaged && process.env['NODE_ENV_ELECTRON_VITE'] === 'development';
const devServerUrl = isDev ? process.env['ELECTRON_RENDERER_URL'] : undefined;

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(async () => {
    const vaultPath = join(app.getPath('userData'), 'vault.vz');
    const core = createCore({
      runtime: {
        transport: 'electron',
        electronVersion: process.versions.electron ?? null,
        openExternal: (url) => shell.openExternal(url),
        chooseFiles: async () => {
          const options = {
            properties: ['openFile', 'multiSelections'] as ('openFile' | 'multiSelections')[],
            title: 'Import scanner exports',
          };
          const result = mainWindow
            ? await dialog.showOpenDialog(mainWindow, options)
            : await dialog.showOpenDialog(options);
          return result.canceled ? [] : result.filePaths;
        },
        chooseSavePath: async (suggestedName) => {
          const options = {
            title: suggestedName.endsWith('.patch')
              ? 'Save the approved patch'
              : 'Save the remediation report',
            defaultPath: suggestedName,
          };
          const result = mainWindow
            ? await dialog.showSaveDialog(mainWindow, options)
            : await dialog.showSaveDialog(options);
          return result.canceled || !result.filePath ? null : result.filePath;
        },
      },
      // Rotating JSON-line logs next to the vault (docs/operations.md); warnings also on stderr.
      logDir: logDirFor(vaultPath),
      logger: createStreamLogger((line) => process.stderr.write(line), 'warn'),
      vaultPath,
      // Packaged, the sample files are extraResources (build/electron-builder.json).
      ...(app.isPackaged ? { demoDir: join(process.resourcesPath, 'demo') } : {}),
    });

    lockOnSleep(powerMonitor, (reason) => core.ctx.vault.lock(reason));
    hardenSession(session.defaultSession);
    handleAppProtocol(join(import.meta.dirname, '../renderer'));
    wireIpc(
      ipcMain,
      core.router,
      () => mainWindow,
      devServerUrl ? new URL(devServerUrl).origin : undefined,
    );

    mainWindow = createMainWindow({
      preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
      isDev,
    });
    core.events.subscribe((name, payload) => {
      if (mainWindow && !mainWindow.isDestroyed())
        mainWindow.webContents.send(IPC_EVENT_CHANNEL, { name, payload });
    });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    app.on('before-quit', () => void core.dispose());
    await mainWindow.loadURL(devServerUrl ?? 'app://vulnzero/index.html');
  });
}
