// Chrome's own installability check passes on the production build, and the manifest's icons are
// real PNGs of the sizes they claim (192, 512, and a maskable 512).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { browserTest, setUpBrowserAndApp } from './harness';
import { waitForServiceWorkerControl } from './service-worker';

setUpBrowserAndApp();

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
function pngSize(bytes: Buffer, name: string): string {
  const signature = '89504e470d0a1a0a';
  if (bytes.subarray(0, 8).toString('hex') !== signature || bytes.subarray(12, 16).toString('ascii') !== 'IHDR') {
    throw new Error(`${name} is not a PNG`);
  }
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

// in a real profile: Chrome reports every incognito page as not installable
browserTest('Chrome reports no installability errors and reads the manifest without errors', async ({ app, profileContext }) => {
  const page = await profileContext.newPage();
  await page.goto(`${app.baseUrl}/`);
  await waitForServiceWorkerControl(page);
  const cdp = await profileContext.newCDPSession(page);

  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);

  const manifest = await cdp.send('Page.getAppManifest');
  expect(manifest.url).toBe(`${app.baseUrl}/manifest.webmanifest`);
  expect(manifest.errors).toEqual([]);
});

browserTest('the manifest names the app in Chinese and lists 192, 512 and maskable 512 PNG icons that exist at those sizes', async ({ app }) => {
  const manifest = JSON.parse(await readFile(join(app.outDir, 'manifest.webmanifest'), 'utf8')) as Record<string, unknown> & { icons: ManifestIcon[] };
  expect(manifest).toMatchObject({ name: '上门服务助手', short_name: '上门服务', start_url: '/', scope: '/', display: 'standalone', lang: 'zh-CN' });

  const icons = manifest.icons.map((icon) => `${icon.sizes} ${icon.type} ${icon.purpose ?? 'any'}`);
  expect(icons).toEqual(expect.arrayContaining(['192x192 image/png any', '512x512 image/png any', '512x512 image/png maskable']));
  for (const icon of manifest.icons) {
    const response = await fetch(`${app.baseUrl}${icon.src}`);
    expect(response.status, icon.src).toBe(200);
    expect(pngSize(Buffer.from(await response.arrayBuffer()), icon.src)).toBe(icon.sizes);
  }
});

browserTest('the page links the manifest, a theme colour and an apple-touch-icon that exists', async ({ app, page }) => {
  await page.goto(`${app.baseUrl}/`);
  const head = await page.evaluate(() => ({
    manifest: document.querySelector('link[rel="manifest"]')?.getAttribute('href'),
    themeColor: document.querySelector('meta[name="theme-color"]')?.getAttribute('content'),
    appleTouchIcon: document.querySelector('link[rel="apple-touch-icon"]')?.getAttribute('href'),
    root: document.querySelectorAll('#app').length,
  }));
  expect(head).toMatchObject({ manifest: '/manifest.webmanifest', themeColor: '#0a5c7a', root: 1 });
  const icon = await fetch(`${app.baseUrl}${head.appleTouchIcon}`);
  expect(pngSize(Buffer.from(await icon.arrayBuffer()), 'apple-touch-icon')).toBe('180x180');
});
