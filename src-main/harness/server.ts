/**
 * The loopback harness: serves the production renderer build and the same router over
 * HTTP on 127.0.0.1 for end-to-end tests and `npm run dev:web`. Never started by the
 * packaged app. Every call needs the per-run secret token; the Host header must be the
 * loopback address (DNS-rebinding guard).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RENDERER_CSP_HEADER } from '../core/csp';
import { contentTypeFor, resolveStaticPath } from '../core/static-files';
import type { Core } from '../ipc/core';
import { bridgeScript } from './bridge-script';
import { cleanStagingAfterImports, removeStaging, stageUpload } from './staging';

export interface HarnessOptions {
  core: Core;
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface Harness {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  close(): Promise<void>;
}

const MAX_BODY = 8 * 1024 * 1024;

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': RENDERER_CSP_HEADER,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const { core, rendererDir } = options;
  let origin = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => send(res, 500, 'text/plain', 'harness error'));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (req.headers.host !== new URL(origin).host)
      return send(res, 421, 'text/plain', 'wrong host');

    if (url.pathname.startsWith('/__vz/call/') && req.method === 'POST') {
      if (!sameToken(req.headers['x-vz-token'] as string | undefined, token))
        return send(res, 403, 'text/plain', 'token required');
      if (req.headers.origin !== undefined && req.headers.origin !== origin)
        return send(res, 403, 'text/plain', 'wrong origin');
      let input: unknown;
      try {
        const body = JSON.parse(await readBody(req)) as { input?: unknown };
        input = body.input;
      } catch {
        return send(res, 400, 'text/plain', 'bad request body');
      }
      const result = await core.router.call(
        decodeURIComponent(url.pathname.slice('/__vz/call/'.length)),
        input,
      );
      return send(res, 200, 'application/json', JSON.stringify(result));
    }

    if (url.pathname === '/__vz/stage' && req.method === 'POST') {
      if (!sameToken(req.headers['x-vz-token'] as string | undefined, token))
        return send(res, 403, 'text/plain', 'token required');
      if (req.headers.origin !== undefined && req.headers.origin !== origin)
        return send(res, 403, 'text/plain', 'wrong origin');
      if (core.ctx.vault.state() !== 'unlocked')
        return send(
          res,
          200,
          'application/json',
          JSON.stringify({
            ok: false,
            error: { code: 'VAULT_LOCKED', message: 'Unlock the vault before adding files.' },
          }),
        );
      try {
        const path = await stageUpload(core, req, url.searchParams.get('name') ?? '');
        return send(res, 200, 'application/json', JSON.stringify({ ok: true, value: path }));
      } catch (error) {
        const message = `The harness could not keep the dropped file: ${(error as Error).message}`;
        return send(
          res,
          200,
          'application/json',
          JSON.stringify({ ok: false, error: { code: 'STAGING_FAILED', message } }),
        );
      }
    }

    if (url.pathname === '/__vz/events') {
      if (!sameToken(url.searchParams.get('token'), token))
        return send(res, 403, 'text/plain', 'token required');
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      const unsubscribe = core.events.subscribe((name, payload) => {
        res.write(`data: ${JSON.stringify({ name, payload })}\n\n`);
      });
      req.on('close', unsubscribe);
      return;
    }

    if (url.pathname === '/__vz/bridge.js')
      return send(res, 200, 'text/javascript; charset=utf-8', bridgeScript());

    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed');
    const path = resolveStaticPath(rendererDir, url.pathname);
    if (!path) return send(res, 404, 'text/plain', 'not found');
    if (path.endsWith('index.html')) {
      if (!sameToken(url.searchParams.get('token'), token))
        return send(res, 403, 'text/plain', 'token required');
      const html = await readFile(path, 'utf8');
      const inject = `<meta name="vz-harness-token" content="${token}">\n    <script src="./__vz/bridge.js"></script>\n`;
      return send(res, 200, contentTypeFor(path), html.replace('<head>', `<head>\n    ${inject}`));
    }
    try {
      return send(res, 200, contentTypeFor(path), await readFile(path));
    } catch {
      return send(res, 404, 'text/plain', 'not found');
    }
  }

  const stopCleaning = cleanStagingAfterImports(core);
  await new Promise<void>((resolveListen) =>
    server.listen(options.port ?? 0, '127.0.0.1', resolveListen),
  );
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    token,
    url: `${origin}/?token=${token}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        stopCleaning();
        removeStaging(core);
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
