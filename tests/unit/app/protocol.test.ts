import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('../../helpers/electron-mock')).electronMock);

const { electronMock } = await import('../../helpers/electron-mock');
const { registerAppScheme, serveAppRequest, handleAppProtocol } =
  await import('../../../src-main/app/protocol');
const { RENDERER_CSP, RENDERER_CSP_HEADER } = await import('../../../src-main/core/csp');

const root = mkdtempSync(join(tmpdir(), 'vz-proto-'));
mkdirSync(join(root, 'renderer', 'assets'), { recursive: true });
writeFileSync(join(root, 'renderer', 'index.html'), '<html>app</html>');
writeFileSync(join(root, 'renderer', 'assets', 'a.js'), 'console.log(1)');
writeFileSync(join(root, 'secret.txt'), 'do not serve');
const dir = join(root, 'renderer');

describe('app:// protocol', () => {
  it('registers app:// as a standard, secure scheme', () => {
    registerAppScheme();
    expect(electronMock.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    handleAppProtocol(dir);
    expect(electronMock.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });

  it('serves the renderer with the CSP header', async () => {
    const res = await serveAppRequest(new Request('app://vulnzero/index.html'), dir);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(RENDERER_CSP_HEADER);
    expect(RENDERER_CSP_HEADER).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toBe('<html>app</html>');
    const js = await serveAppRequest(new Request('app://vulnzero/assets/a.js'), dir);
    expect(js.headers.get('content-type')).toContain('javascript');
  });

  it('refuses other hosts, traversal, methods and missing files', async () => {
    for (const url of [
      'app://other/index.html',
      'app://vulnzero/%2e%2e/secret.txt',
      'app://vulnzero/assets/..%2f..%2fsecret.txt',
      'app://vulnzero/missing.js',
    ]) {
      const res = await serveAppRequest(new Request(url), dir);
      expect(res.status, url).toBe(404);
    }
    expect(
      (
        await serveAppRequest(
          new Request('app://vulnzero/index.html', { method: 'POST', body: 'x' }),
          dir,
        )
      ).status,
    ).toBe(404);
  });

  it('allows no unsafe-eval or inline scripts in the CSP', () => {
    expect(RENDERER_CSP).toContain("default-src 'self'");
    expect(RENDERER_CSP).not.toContain('unsafe-eval');
    expect(RENDERER_CSP).not.toContain('unsafe-inline');
  });
});
