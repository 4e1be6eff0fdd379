// Serves the Vite build in dist/: the PWA at /, the back office at /backoffice/, each with its
// index.html for the app's own routes. Entry files are revalidated on every load (an update must reach
// the phone); hashed files under /assets/ never change and are cached for good. Pages, scripts and styles
// go out brotli- or gzip-compressed, as the browser accepts (compression.ts).
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Context } from 'hono';
import { chooseEncoding, compressedFiles, isCompressible } from './compression';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
};

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Onsite: not built yet</title></head>
<body><h1>Onsite is running, but the web app is not built yet</h1>
<p>Run <code>npm run build</code> (or start with <code>npm start</code>, which builds first), then reload this page.</p>
<p>The API under <code>/api/v1/</code> works already.</p></body></html>`;

async function fileAt(path: string): Promise<string | null> {
  try {
    return (await stat(path)).isFile() ? path : null;
  } catch {
    return null;
  }
}

/** `.br` and `.gz` copies are the build's, never pages of their own. */
const isCompressedCopy = (path: string) => /\.(br|gz)$/i.test(path);

function cacheControl(urlPath: string): string {
  if (urlPath.startsWith('/assets/')) return 'public, max-age=31536000, immutable';
  return 'no-cache';
}

export function serveDist(distDir: string) {
  const root = resolve(distDir);
  const compressed = compressedFiles();
  return async (c: Context): Promise<Response> => {
    if (!(await fileAt(join(root, 'index.html')))) {
      return c.html(NOT_BUILT, 503, { 'Cache-Control': 'no-store', 'Retry-After': '30' });
    }
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(c.req.path);
    } catch {
      return c.text('Bad request: the path is not valid percent-encoding', 400);
    }
    if (urlPath.includes('\u0000')) return c.text('Not found', 404);
    const wanted = resolve(root, `.${urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath}`);
    // resolve() has folded any ../ away: a path that left dist/ is simply not found
    const inside = wanted === root || wanted.startsWith(root + sep);
    let file = inside && !isCompressedCopy(wanted) ? ((await fileAt(wanted)) ?? (await fileAt(join(wanted, 'index.html')))) : null;
    let servedPath = urlPath;
    if (!file && inside && extname(urlPath) === '') {
      // an app route (/visit/123, /backoffice/forms): the app's own index.html routes it
      const app = urlPath === '/backoffice' || urlPath.startsWith('/backoffice/') ? 'backoffice/index.html' : 'index.html';
      file = await fileAt(join(root, app));
      servedPath = `/${app}`;
    }
    if (!file) return c.text('Not found', 404);
    const [body, info] = await Promise.all([readFile(file), stat(file)]);
    const headers: Record<string, string> = {
      'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': cacheControl(servedPath),
    };
    if (!isCompressible(file, body.byteLength)) return c.body(body, 200, headers);
    headers.Vary = 'Accept-Encoding';
    const encoding = chooseEncoding(c.req.header('accept-encoding'));
    if (!encoding) return c.body(body, 200, headers);
    return c.body(await compressed(file, body, info.mtimeMs, encoding), 200, { ...headers, 'Content-Encoding': encoding });
  };
}
