import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app';
import { SECURITY_HEADERS } from '../../src/server/http/security';
import type { Storage } from '../../src/server/storage/storage';
import { registry, sqliteFactory } from './helpers';

describe('serving the built pages', () => {
  let dir: string;
  let storage: Storage;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onsite-dist-'));
    mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
    mkdirSync(join(dir, 'dist', 'backoffice'), { recursive: true });
    mkdirSync(join(dir, 'dist', 'verify'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'verify', 'index.html'), `<!doctype html><title>verify</title>${' '.repeat(2000)}`);
    writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(dir, 'dist', 'backoffice', 'index.html'), '<!doctype html><title>back office</title>');
    writeFileSync(join(dir, 'dist', 'sw.js'), 'self.x = 1;');
    writeFileSync(join(dir, 'dist', 'assets', 'index-abc123.js'), 'export {};');
    writeFileSync(join(dir, 'dist', 'manifest.webmanifest'), '{}');
    writeFileSync(join(dir, 'secret.txt'), 'outside dist');
    storage = await sqliteFactory()();
  });
  afterAll(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const app = () => createApp({ storage, checklists: registry, distDir: join(dir, 'dist'), log: () => {} });
  const get = async (path: string) => {
    const res = await app().request(path);
    return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), text: await res.text(), headers: res.headers };
  };

  it('serves the public verify page at /verify, revalidated and compressed like the other pages', async () => {
    for (const path of ['/verify', '/verify/']) {
      expect(await get(path), path).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', cache: 'no-cache' });
      expect((await get(path)).text, path).toContain('<title>verify</title>');
    }
    const res = await app().request('/verify', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('content-security-policy')).toBe(SECURITY_HEADERS['Content-Security-Policy']);
  });

  it('serves the PWA at / and the back office at /backoffice/, each with its index.html for app routes', async () => {
    expect(await get('/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', cache: 'no-cache', text: '<!doctype html><title>app</title>' });
    expect((await get('/visit/V-1')).text).toContain('<title>app</title>');
    expect((await get('/backoffice/')).text).toContain('<title>back office</title>');
    expect((await get('/backoffice/forms/123')).text).toContain('<title>back office</title>');
    expect((await get('/backoffice')).text).toContain('<title>back office</title>');
  });

  it('revalidates the service worker and entry files; caches hashed assets for good', async () => {
    expect(await get('/sw.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8', cache: 'no-cache' });
    expect(await get('/assets/index-abc123.js')).toMatchObject({ status: 200, cache: 'public, max-age=31536000, immutable' });
    expect(await get('/manifest.webmanifest')).toMatchObject({ type: 'application/manifest+json; charset=utf-8' });
  });

  it('puts the security headers on pages too', async () => {
    const { headers } = await get('/');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(headers.get(name)).toBe(value);
  });

  it('answers 404 for missing files and anything outside dist/, and JSON for unknown API paths', async () => {
    expect((await get('/assets/missing.js')).status).toBe(404);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00', '/%E0%A4%A']) {
      const res = await get(path);
      expect([400, 404], path).toContain(res.status);
      expect(res.text).not.toContain('outside dist');
    }
    const api = await get('/api/v1/nowhere');
    expect(api.status).toBe(404);
    expect(JSON.parse(api.text)).toEqual({ error: { code: 'not-found', message: 'no GET /api/v1/nowhere here' } });
  });

  it('says to run the build when dist/ is missing', async () => {
    const unbuilt = createApp({ storage, checklists: registry, distDir: join(dir, 'nothing-here'), log: () => {} });
    const res = await unbuilt.request('/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
    expect((await unbuilt.request('/api/v1/me')).status).toBe(401);
  });
});
