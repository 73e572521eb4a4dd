/**
 * The renderer's Content-Security-Policy. The same string is in src-renderer/index.html
 * (a test keeps them equal); the app:// protocol and the loopback harness also send it
 * as a header. No inline scripts, no eval, no remote anything.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** As a header the policy also forbids framing (frame-ancestors is ignored in <meta>). */
export const RENDERER_CSP_HEADER = `${RENDERER_CSP}; frame-ancestors 'none'`;
