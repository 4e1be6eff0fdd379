// The one build: the technician PWA (index.html), the back office (backoffice/index.html) and the public
// verify page a customer copy's QR code opens (verify/index.html) into dist/,
// plus the service worker (src/sw/sw.ts, Workbox injectManifest) that precaches the technician app only.
// `onsiteViteConfig` is exported so the benchmark's baseline page and the browser tests' bridge fixture
// are built the same way.
import { resolve } from 'node:path';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import type { ManifestTransform } from 'workbox-build';
import { precompressDir } from './src/server/http/compression';

export interface OnsiteBuildOptions {
  /** 'serve' is the dev server, which has no service worker */
  command: 'build' | 'serve';
  /** folder holding the pages (and, unless `publicDir` is false, public/) */
  root: string;
  outDir: string;
  /** the HTML pages, relative to root; the first one is the technician app the service worker precaches */
  pages: readonly string[];
  /** public files copied as they are (icons, manifest); false for none */
  publicDir: string | false;
  /** the service worker source, relative to root */
  serviceWorker: { srcDir: string; filename: string };
  /** stamped into the code as __ONSITE_BUILD_ID__; a new id makes a new service worker */
  buildId: string;
}

/** Every file the precache may hold: the app's bundles, its HTML, icons, the manifest and data files. */
const PRECACHE_GLOB = ['**/*.{js,css,html,png,svg,ico,webmanifest,json,woff2}'];

export function onsiteViteConfig(options: OnsiteBuildOptions): UserConfig {
  const [appPage, ...otherPages] = options.pages;
  if (appPage === undefined) throw new Error('onsiteViteConfig: `pages` must name at least the technician app page');
  const appShell = appShellFilter(resolve(options.root, appPage), otherPages);
  return {
    root: options.root,
    publicDir: options.publicDir === false ? false : resolve(options.root, options.publicDir),
    define: {
      __ONSITE_BUILD_ID__: JSON.stringify(options.buildId),
      __ONSITE_SERVICE_WORKER__: JSON.stringify(options.command === 'build'),
    },
    // Preact's automatic JSX runtime, the same setting as tsconfig.app.json (jsx react-jsx + jsxImportSource)
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: options.outDir,
      emptyOutDir: true,
      sourcemap: false,
      target: 'es2022',
      // every browser the app targets preloads modules itself: no polyfill file fetched on each start
      modulePreload: { polyfill: false },
      rolldownOptions: { input: options.pages.map((page) => resolve(options.root, page)) },
    },
    plugins: [
      appShell.plugin,
      precompressed(),
      VitePWA({
        strategies: 'injectManifest',
        srcDir: options.serviceWorker.srcDir,
        filename: options.serviceWorker.filename,
        injectRegister: false,
        manifest: false,
        injectManifest: {
          globPatterns: PRECACHE_GLOB,
          manifestTransforms: [appShell.transform],
          sourcemap: false,
          rollupFormat: 'iife',
        },
      }),
    ],
  };
}

/**
 * The build's last step: a brotli and a gzip copy beside every page, script and style, so the server never
 * compresses them per request. After the service worker's own build (VitePWA writes it in its closeBundle).
 */
function precompressed(): Plugin {
  let outDir = '';
  return {
    name: 'onsite:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle: { order: 'post', sequential: true, handler: async () => void (await precompressDir(outDir)) },
  };
}

/**
 * Keeps the other pages (the back office) out of the precache: their HTML and every file reachable only
 * from their entry chunks. Chunks shared with the technician app stay, since the app needs them offline.
 */
function appShellFilter(appHtml: string, otherPages: readonly string[]): { plugin: Plugin; transform: ManifestTransform } {
  const excluded = new Set<string>(otherPages);
  const plugin: Plugin = {
    name: 'onsite:app-shell',
    apply: 'build',
    generateBundle(_output, bundle) {
      const chunks = new Map<string, { imports: string[]; dynamicImports: string[]; assets: string[] }>();
      const entries: Array<{ file: string; isApp: boolean }> = [];
      for (const [file, item] of Object.entries(bundle)) {
        if (item.type !== 'chunk') continue;
        const meta = item.viteMetadata;
        const assets = meta ? [...meta.importedCss, ...meta.importedAssets] : [];
        chunks.set(file, { imports: item.imports, dynamicImports: item.dynamicImports, assets });
        if (item.isEntry) entries.push({ file, isApp: item.facadeModuleId === appHtml });
      }
      if (!entries.some((entry) => entry.isApp)) this.error(`onsite:app-shell: no entry chunk for the app page ${appHtml}`);
      const reach = (roots: string[]): Set<string> => {
        const seen = new Set<string>();
        const visit = (file: string): void => {
          if (seen.has(file)) return;
          seen.add(file);
          const chunk = chunks.get(file);
          if (!chunk) return;
          chunk.assets.forEach((asset) => seen.add(asset));
          [...chunk.imports, ...chunk.dynamicImports].forEach(visit);
        };
        roots.forEach(visit);
        return seen;
      };
      const app = reach(entries.filter((entry) => entry.isApp).map((entry) => entry.file));
      const others = reach(entries.filter((entry) => !entry.isApp).map((entry) => entry.file));
      for (const file of others) if (!app.has(file)) excluded.add(file);
    },
  };
  const transform: ManifestTransform = async (entries) => ({
    manifest: entries.filter((entry) => !excluded.has(entry.url)),
    warnings: [],
  });
  return { plugin, transform };
}

export default defineConfig(({ command }) =>
  onsiteViteConfig({
    command,
    root: import.meta.dirname,
    outDir: resolve(import.meta.dirname, 'dist'),
    pages: ['index.html', 'backoffice/index.html', 'verify/index.html'],
    publicDir: 'public',
    serviceWorker: { srcDir: 'src/sw', filename: 'sw.ts' },
    buildId: process.env.ONSITE_BUILD_ID ?? new Date().toISOString(),
  }),
);
