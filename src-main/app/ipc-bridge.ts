import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC_CALL_PREFIX } from '../../src-preload/api-shape';
import type { Result } from '../../src-preload/contract';
import type { Router } from '../ipc/router';
import { APP_ORIGIN } from './security';

/**
 * True only for the top-level frame of the app's own window showing the app's own
 * origin (or the dev server's in development). Subframes, other windows and pages that
 * navigated elsewhere are refused.
 */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>,
  getWindow: () => BrowserWindow | null,
  devOrigin?: string,
): boolean {
  const frame = event.senderFrame;
  const win = getWindow();
  if (!frame || !win || win.isDestroyed()) return false;
  if (event.sender !== win.webContents) return false;
  if (frame !== win.webContents.mainFrame || frame.parent !== null) return false;
  let origin: string;
  try {
    const url = new URL(frame.url);
    origin = url.protocol === 'app:' ? `app://${url.host}` : url.origin;
  } catch {
    return false;
  }
  return origin === APP_ORIGIN || (devOrigin !== undefined && origin === devOrigin);
}

/** Registers one ipcMain handler per contract channel, each going through the router. */
export function wireIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  router: Router,
  getWindow: () => BrowserWindow | null,
  devOrigin?: string,
): void {
  for (const channel of router.channels()) {
    ipcMain.handle(
      IPC_CALL_PREFIX + channel,
      async (event, input: unknown): Promise<Result<unknown>> => {
        if (!isTrustedSender(event, getWindow, devOrigin)) {
          return {
            ok: false,
            error: { code: 'FORBIDDEN_SENDER', message: 'This frame may not call the core.' },
          };
        }
        return router.call(channel, input);
      },
    );
  }
}
