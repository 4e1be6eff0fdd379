// A small static file server on 127.0.0.1 (random port) for a built app, until a test needs the real
// Node server. It logs every request, so a test can prove that an offline start touched no network,
// and its root can be switched, so a test can deploy a second build under the same origin.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface StaticServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  readonly baseUrl: string;
  /** the folder served; set it to deploy another build under the same origin */
  root: string;
  /** every request's path, in order */
  readonly requests: string[];
  /** paths answered 404 even when the file exists (a deployment missing a file) */
  readonly missing: Set<string>;
  close(): Promise<void>;
}

export async function serveStatic(root: string): Promise<StaticServer> {
  const requests: string[] = [];
  const missing = new Set<string>();
  const state = { root };
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    requests.push(path);
    void resolveFile(state.root, path, missing).then(
      (file) => {
        if (file === null || req.method !== 'GET') {
          res.writeHead(file === null ? 404 : 405, { 'Content-Type': 'text/plain; charset=utf-8' }).end(file === null ? `not found: ${path}` : 'GET only');
          return;
        }
        // no-cache: every test sees the files as they are now; the service worker is what caches
        res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
        createReadStream(file).pipe(res);
      },
      (error: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get root() {
      return state.root;
    },
    set root(dir: string) {
      state.root = dir;
    },
    requests,
    missing,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The file for a URL path: /dir/ → /dir/index.html; null when absent or outside the root. */
async function resolveFile(root: string, path: string, missing: ReadonlySet<string>): Promise<string | null> {
  if (missing.has(path)) return null;
  const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  const info = await stat(file).catch(() => null);
  if (info?.isFile()) return file;
  return info?.isDirectory() ? resolveFile(root, `${path}/`, missing) : null;
}
