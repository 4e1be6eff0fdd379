// The harness's own parts, without a browser: finding Chromium, the static server, reading a build's
// module graph from its output.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChromiumNotFoundError, findChromium } from './chromium';
import { dynamicImports, firstLoadFiles, preloadedDependencies, reachableFiles, staticImports } from './first-load';
import { serveStatic, type StaticServer } from './static-server';

describe('findChromium', () => {
  const only = (...present: string[]) => (path: string) => present.includes(path);

  test('takes CHROMIUM_PATH when it exists, else the first Debian location that does', () => {
    expect(findChromium({ CHROMIUM_PATH: '/opt/chrome' }, only('/opt/chrome', '/usr/bin/chromium'))).toBe('/opt/chrome');
    expect(findChromium({}, only('/usr/bin/chromium', '/usr/bin/chromium-browser'))).toBe('/usr/bin/chromium');
    expect(findChromium({}, only('/usr/bin/chromium-browser'))).toBe('/usr/bin/chromium-browser');
  });

  test('fails, in CI as elsewhere, saying where it looked and how to install Chromium', () => {
    for (const env of [{ CI: 'true' }, {}]) {
      expect(() => findChromium(env, only())).toThrow(ChromiumNotFoundError);
      expect(() => findChromium(env, only())).toThrow(/\/usr\/bin\/chromium, \/usr\/bin\/chromium-browser.*apt-get install -y chromium/);
    }
  });

  test('a CHROMIUM_PATH that does not exist is an error naming it, not a fallback', () => {
    expect(() => findChromium({ CHROMIUM_PATH: '/nowhere/chrome' }, only('/usr/bin/chromium'))).toThrow(/CHROMIUM_PATH=\/nowhere\/chrome/);
  });
});

describe('serveStatic', () => {
  let base: string;
  let root: string;
  let server: StaticServer;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'onsite-static-'));
    root = join(base, 'site');
    await mkdir(join(root, 'backoffice'), { recursive: true });
    await writeFile(join(base, 'secret.txt'), 'outside the root');
    await writeFile(join(root, 'index.html'), '<p>app</p>');
    await writeFile(join(root, 'backoffice/index.html'), '<p>office</p>');
    await writeFile(join(root, 'manifest.webmanifest'), '{}');
    server = await serveStatic(root);
  });
  afterAll(async () => {
    await server.close();
    await rm(base, { recursive: true, force: true });
  });

  test('serves files with their type, folders by their index.html, and logs every request', async () => {
    const before = server.requests.length;
    const home = await fetch(`${server.baseUrl}/`);
    expect([home.status, home.headers.get('content-type'), await home.text()]).toEqual([200, 'text/html; charset=utf-8', '<p>app</p>']);
    expect(await (await fetch(`${server.baseUrl}/backoffice`)).text()).toBe('<p>office</p>');
    expect((await fetch(`${server.baseUrl}/manifest.webmanifest`)).headers.get('content-type')).toBe('application/manifest+json; charset=utf-8');
    expect(server.requests.slice(before)).toEqual(['/', '/backoffice', '/manifest.webmanifest']);
  });

  test('answers 404 for absent files, files marked missing, and paths outside its root', async () => {
    expect((await fetch(`${server.baseUrl}/nothing.js`)).status).toBe(404);
    server.missing.add('/manifest.webmanifest');
    expect((await fetch(`${server.baseUrl}/manifest.webmanifest`)).status).toBe(404);
    server.missing.clear();
    expect((await fetch(`${server.baseUrl}/..%2Fsecret.txt`)).status).toBe(404);
  });

  test('a new root serves another build under the same origin', async () => {
    const other = await mkdtemp(join(tmpdir(), 'onsite-static-'));
    await writeFile(join(other, 'index.html'), '<p>build b</p>');
    server.root = other;
    try {
      expect(await (await fetch(`${server.baseUrl}/`)).text()).toBe('<p>build b</p>');
    } finally {
      server.root = root;
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('reading a build', () => {
  test('static imports and re-exports are found in minified code; dynamic imports are not static ones', () => {
    const code = 'import{a as b,c}from"./x.js";import"./side.js";export{d}from`./y.js`;const l=()=>import(`./lazy.js`);';
    expect(staticImports(code)).toEqual(['./x.js', './side.js', './y.js']);
    expect(dynamicImports(code)).toEqual(['./lazy.js']);
  });

  test("Vite's preload list of a dynamic import is read from __vite__mapDeps", () => {
    const code = 'const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/lazy-1.js","assets/lazy-1.css"])))=>i.map(i=>d[i]);';
    expect(preloadedDependencies(code)).toEqual(['assets/lazy-1.js', 'assets/lazy-1.css']);
    expect(preloadedDependencies('no preloads here')).toEqual([]);
  });

  test('the first load follows the HTML and static imports; reachable files add lazy chunks and their preloads', async () => {
    const out = await mkdtemp(join(tmpdir(), 'onsite-graph-'));
    try {
      await mkdir(join(out, 'assets'));
      await writeFile(
        join(out, 'index.html'),
        '<script type="module" crossorigin src="/assets/entry.js"></script><link rel="stylesheet" href="/assets/app.css"><link rel="icon" href="/icons/i.png">',
      );
      await writeFile(join(out, 'assets/entry.js'), 'import{a}from"./shared.js";const l=()=>import("./lazy.js"),__vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/lazy.js","assets/lazy.css"])))=>0;');
      await writeFile(join(out, 'assets/shared.js'), 'export const a=1;');
      await writeFile(join(out, 'assets/lazy.js'), 'import{a}from"./shared.js";import"./deeper.js";');
      await writeFile(join(out, 'assets/deeper.js'), '');
      expect(await firstLoadFiles(out)).toEqual(['/assets/app.css', '/assets/entry.js', '/assets/shared.js']);
      expect(await reachableFiles(out)).toEqual(['/assets/app.css', '/assets/deeper.js', '/assets/entry.js', '/assets/lazy.css', '/assets/lazy.js', '/assets/shared.js']);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  test('a page that loads no module is an error naming it', async () => {
    const out = await mkdtemp(join(tmpdir(), 'onsite-graph-'));
    try {
      await writeFile(join(out, 'index.html'), '<p>no scripts</p>');
      await expect(firstLoadFiles(out)).rejects.toThrow(/index\.html in .* loads no module script or stylesheet/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
