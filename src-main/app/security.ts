import { shell, type Session, type WebContents } from 'electron';
import { checkExternalUrl } from '../core/links';

export const APP_ORIGIN = 'app://vulnzero';

/** Denies every permission request (camera, notifications, geolocation, ...). */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Applied to every web contents the app creates: no navigation away from the app, no
 * new windows, no <webview>. Allow-listed https links open in the system browser.
 */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const verdict = checkExternalUrl(url);
    if (verdict.allowed) void shell.openExternal(verdict.url);
    return { action: 'deny' };
  });
}
