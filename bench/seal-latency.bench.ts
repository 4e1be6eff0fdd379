// Seal-and-save latency in Chromium: the app's own draft store seals complete visits on a fixture page
// (bench/fixtures/seal-page) — the seal's hash over the form and the signature, and the strict
// transaction that writes it — beside a strict put of the same record into a bare object store,
// timed right after each seal. The browser keeps its profile on disk, as a phone does, so a strict
// commit is a real flush (an incognito profile keeps IndexedDB in memory).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromiumWithProfile } from '../test/browser/chromium';
import { serveStatic } from '../test/browser/static-server';
import { fixturesBuild } from './fixtures/build';
import { percentile } from './fixtures/latency-stats';
import type { SealBenchWindow, SealSamples } from './fixtures/seal-page/protocol';
import { compared, type BenchResult, type Measurement } from './measurement';

const DRAFTS = 40;
const WARMUP = 3;
const AIM = { max: 2, of: 'ratio' } as const;

async function sealSamples(): Promise<SealSamples> {
  const build = await fixturesBuild();
  const server = await serveStatic(build.outDir);
  const userDataDir = await mkdtemp(join(tmpdir(), 'onsite-seal-bench-'));
  const context = await launchChromiumWithProfile(userDataDir);
  try {
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/seal-page/`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    return await page.evaluate(
      (options) => {
        const bench = (window as SealBenchWindow).sealBench;
        if (!bench) throw new Error('the seal page did not start');
        return bench.run(options);
      },
      { drafts: DRAFTS, warmup: WARMUP },
    );
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
    await server.close();
  }
}

const sealLatency: Measurement = {
  name: 'seal-latency',
  async run() {
    const samples = await sealSamples();
    const baseline = `strict put of the same record (${(samples.recordBytes / 1000).toFixed(1)} kB)`;
    const row = (label: string, p: number): BenchResult =>
      compared({
        metric: `seal and save, ${label} of ${DRAFTS} drafts`,
        value: percentile(samples.sealMs, p),
        unit: 'ms',
        baseline,
        baselineValue: percentile(samples.rawPutMs, p),
        aim: AIM,
        samples: { value: samples.sealMs, baseline: samples.rawPutMs },
      });
    return [row('p50', 50), row('p95', 95)];
  },
};

export default sealLatency;
