// Headers on every response, and a request log that holds no token, phone number or signature:
// method, path without its query, status and duration, nothing else.
import type { MiddlewareHandler } from 'hono';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // geolocation for the app's own pages only: the seal records its place when the technician allows it
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(self)',
};

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  };
}

export function requestLog(log: (line: string) => void): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    // the path is the client's text: cut to a sane length and keep it on one line
    const path = c.req.path.slice(0, 200).replace(/[\u0000-\u001f\u007f]/g, '?');
    log(`${c.req.method} ${path} ${c.res.status} ${Math.round(performance.now() - started)}ms`);
  };
}
