import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { RENDERER_CSP_HEADER } from '../core/csp';
import { contentTypeFor, resolveStaticPath } from '../core/static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'vulnzero';

/** Must run before the app is ready: app:// behaves like a secure, standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the renderer build from `rendererDir` with the CSP header; nothing else. */
export async function serveAppRequest(request: Request, rendererDir: string): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== APP_HOST || request.method !== 'GET')
    return new Response('Not found', { status: 404 });
  const path = resolveStaticPath(rendererDir, url.pathname);
  if (!path) return new Response('Not found', { status: 404 });
  try {
    const body = await readFile(path);
    return new Response(body, {
      headers: {
        'content-type': contentTypeFor(path),
        'content-security-policy': RENDERER_CSP_HEADER,
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir));
}
