// Nothing text-like leaves the server uncompressed: the build's brotli and gzip copies, picked by
// Accept-Encoding with Vary, a file the build did not compress compressed on request, and the API's JSON.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../src/domain/api';
import { createApp } from '../../src/server/app';
import { chooseEncoding, MIN_COMPRESS_BYTES, precompressDir } from '../../src/server/http/compression';
import type { Storage } from '../../src/server/storage/storage';
import { openHarness } from './api-harness';
import { registry, sqliteFactory } from './helpers';

describe('chooseEncoding', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['identity', null],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', null],
    ['*', 'br'],
    ['*;q=0.1, br;q=0', 'gzip'],
    ['GZIP;Q=1', 'gzip'],
    ['br;q=abc, gzip', 'gzip'],
    [' , ;, gzip', 'gzip'],
  ] as const)('%j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

const BIG_JS = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `上门服务 ${i}`))};\n`;

describe('precompressDir', () => {
  it('writes a .br and a .gz beside each compressible file of at least 1 KiB, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onsite-precompress-'));
    try {
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'assets', 'app.js'), BIG_JS);
      writeFileSync(join(dir, 'small.css'), 'a{}');
      writeFileSync(join(dir, 'icon.png'), Buffer.alloc(4096, 7));
      expect(await precompressDir(dir)).toBe(1);
      expect(brotliDecompressSync(readFileSync(join(dir, 'assets', 'app.js.br'))).toString()).toBe(BIG_JS);
      expect(gunzipSync(readFileSync(join(dir, 'assets', 'app.js.gz'))).toString()).toBe(BIG_JS);
      for (const absent of ['small.css.br', 'small.css.gz', 'icon.png.br']) expect(() => readFileSync(join(dir, absent)), absent).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('serving the build compressed', () => {
  let dir: string;
  let storage: Storage;
  const js = () => join(dir, 'assets', 'app-1.js');
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onsite-dist-compressed-'));
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), `<!doctype html><title>app</title>${'<p>上门服务助手</p>'.repeat(100)}`);
    writeFileSync(js(), BIG_JS);
    writeFileSync(join(dir, 'assets', 'tiny.js'), 'export {};');
    writeFileSync(join(dir, 'assets', 'logo.png'), Buffer.alloc(4096, 1));
    await precompressDir(dir);
    storage = await sqliteFactory()();
  });
  afterAll(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const get = (path: string, acceptEncoding?: string) =>
    createApp({ storage, checklists: registry, distDir: dir, log: () => {} }).request(path, acceptEncoding ? { headers: { 'accept-encoding': acceptEncoding } } : {});

  it('sends brotli to a browser that accepts it, gzip to one that takes only gzip, and the plain file otherwise, each with Vary', async () => {
    const br = await get('/assets/app-1.js', 'gzip, deflate, br');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(br.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(brotliDecompressSync(brBytes).toString()).toBe(BIG_JS);
    expect(brBytes.byteLength).toBeLessThan(Buffer.byteLength(BIG_JS) / 3);

    const gz = await get('/assets/app-1.js', 'gzip');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(BIG_JS);

    const plain = await get('/assets/app-1.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    expect(await plain.text()).toBe(BIG_JS);

    // an app route is its index.html, compressed the same way
    const page = await get('/visit/V-1', 'br');
    expect(page.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await page.arrayBuffer())).toString()).toContain('<title>app</title>');
  });

  it('leaves tiny files and images as they are', async () => {
    for (const path of ['/assets/tiny.js', '/assets/logo.png']) {
      const res = await get(path, 'br, gzip');
      expect(res.headers.get('content-encoding'), path).toBeNull();
      expect(res.headers.get('vary'), path).toBeNull();
    }
  });

  it('compresses a file that changed since the build itself, never sending the stale copy', async () => {
    const changed = BIG_JS.replace('上门服务 0', '上门服务 changed');
    writeFileSync(js(), changed);
    // the copies are older than the file now
    const past = new Date(Date.now() - 60_000);
    utimesSync(`${js()}.br`, past, past);
    utimesSync(`${js()}.gz`, past, past);
    const res = await get('/assets/app-1.js', 'br');
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(changed);
  });

  it('does not serve the compressed copies as pages of their own', async () => {
    expect((await get('/assets/app-1.js.br', 'br')).status).toBe(404);
    expect((await get('/assets/app-1.js.gz')).status).toBe(404);
  });
});

describe('the API compressed', () => {
  it('gzips a JSON answer of more than 1 KiB for a client that accepts it, and leaves it plain for one that does not', async () => {
    const harness = await openHarness(sqliteFactory());
    try {
      for (let i = 0; i < 40; i++) await harness.call('POST', API.admin.technicians, { json: { id: `tech-${i}`, name: `张师傅 ${i}`, phone: '138 0000 0000' } });
      const headers = harness.admin.headers('GET');
      const plain = await harness.app.request(API.admin.technicians, { headers });
      const plainText = await plain.text();
      expect(Buffer.byteLength(plainText)).toBeGreaterThan(MIN_COMPRESS_BYTES);
      expect(plain.headers.get('content-encoding')).toBeNull();

      const zipped = await harness.app.request(API.admin.technicians, { headers: { ...headers, 'accept-encoding': 'gzip, deflate, br' } });
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      expect(zipped.headers.get('vary')).toContain('Accept-Encoding');
      expect(zipped.headers.get('cache-control')).toBe('no-store');
      const bytes = Buffer.from(await zipped.arrayBuffer());
      expect(gunzipSync(bytes).toString()).toBe(plainText);
      expect(bytes.byteLength).toBeLessThan(Buffer.byteLength(plainText));
    } finally {
      await harness.close();
    }
  });
});
