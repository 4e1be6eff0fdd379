// The baseline page, built by the app's own Vite config (bench/builds.ts runs it).
import { defineConfig } from 'vite';
import { onsiteViteConfig } from '../../vite.config';

export default defineConfig(({ command }) =>
  onsiteViteConfig({
    command,
    root: import.meta.dirname,
    outDir: 'dist',
    pages: ['index.html'],
    publicDir: false,
    serviceWorker: { srcDir: '.', filename: 'sw.ts' },
    buildId: process.env.ONSITE_BUILD_ID ?? 'baseline',
  }),
);
