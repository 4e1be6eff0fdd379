// Interaction latency with the CPU slowed 4× (DevTools' Emulation.setCPUThrottlingRate), in Chromium
// on a phone-sized page: ticking a checklist item on the prepare screen and drawing a signature stroke
// on the sign screen of the production app (dist/), beside the same interactions on a bare Preact page
// built the same way (bench/fixtures/interaction-page: an in-memory checkbox and a plain canvas).
// Two figures each, measured in the page:
//   - to the painted change: for a tick, pointerdown → the frame that paints aria-checked flipped (the
//     app shows a tap the rules allow at once, dashed until saved), and pointerdown → the frame that
//     paints it saved (data-pending false: its event is in IndexedDB; the bare checkbox has nothing to
//     save, so there it is the flip); for a stroke, each pointer move → the frame after its handlers ran;
//   - Event Timing's duration (INP's measure) per interaction — the click, the stroke's down/up; an
//     interaction under Event Timing's 16 ms threshold leaves no entry and is counted as 16 ms.
// The two pages take turns in blocks; percentiles are over every block's samples.
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium';
import { newTestContext } from '../test/browser/pages';
import { serveStatic, type StaticServer } from '../test/browser/static-server';
import { createVisit, openEnrolled, PREPARE_TICK, SIGNATURE_CANVAS, walkToSign } from './fixtures/app-visit';
import { fixturesBuild } from './fixtures/build';
import { drawStrokes, EVENT_TIMING_THRESHOLD_MS, startProbe, toggleTick, type ProbeTargets } from './fixtures/interaction-probe';
import { interactionDurations, percentile } from './fixtures/latency-stats';
import { appBuild } from './builds';
import { compared, type BenchResult, type Measurement } from './measurement';

const CPU_SLOWDOWN = 4;
const QUICK = process.env.BENCH_QUICK === '1';
/** The pages take turns, ROUNDS blocks each (BENCH_QUICK=1: 2), so a busy moment on the machine falls on both alike. */
const ROUNDS = QUICK ? 2 : 4;
const TOGGLES_PER_ROUND = 10;
const STROKES_PER_ROUND = 3;
const MOVES_PER_STROKE = 20;
/** The aim for every interaction: under 100 ms. */
const AIM = { max: 100, of: 'value' } as const;

interface Figures {
  /** pointerdown → painted check, per toggle */
  tickPaint: number[];
  /** pointerdown → painted as saved, per toggle */
  tickSaved: number[];
  /** Event Timing, per toggle */
  tickEvent: number[];
  /** pointer move → next frame, per move */
  movePaint: number[];
  /** Event Timing, per stroke (its pointerdown/pointerup) */
  strokeEvent: number[];
}

const noFigures = (): Figures => ({ tickPaint: [], tickSaved: [], tickEvent: [], movePaint: [], strokeEvent: [] });

interface Subject {
  page: Page;
  targets: ProbeTargets;
  figures: Figures;
}

async function tickRound({ page, targets, figures }: Subject): Promise<void> {
  const record = await toggleTick(page, targets.tick, TOGGLES_PER_ROUND);
  figures.tickPaint.push(...record.flips);
  figures.tickSaved.push(...record.saved);
  figures.tickEvent.push(...interactionDurations(record.events.filter((e) => e.on === 'tick'), TOGGLES_PER_ROUND, EVENT_TIMING_THRESHOLD_MS));
}

async function strokeRound({ page, targets, figures }: Subject): Promise<void> {
  const record = await drawStrokes(page, targets.canvas, STROKES_PER_ROUND, MOVES_PER_STROKE);
  figures.movePaint.push(...record.moves);
  figures.strokeEvent.push(...interactionDurations(record.events.filter((e) => e.on === 'canvas'), STROKES_PER_ROUND, EVENT_TIMING_THRESHOLD_MS));
}

/** Slows the page's CPU from now on; pages are opened and set up at full speed, which only saves time. */
async function throttle(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
}

/** The app, enrolled, on a new visit's prepare screen. */
async function openApp(browser: Browser, server: StaticServer): Promise<Subject> {
  const page = await (await newTestContext(browser)).newPage();
  await openEnrolled(page, server.baseUrl);
  await createVisit(page);
  const targets: ProbeTargets = { tick: PREPARE_TICK, canvas: SIGNATURE_CANVAS };
  await startProbe(page, targets);
  return { page, targets, figures: noFigures() };
}

async function openBaseline(browser: Browser, server: StaticServer): Promise<Subject> {
  const page = await (await newTestContext(browser)).newPage();
  const targets: ProbeTargets = { tick: '[data-testid="tick"]', canvas: '[data-testid="signature-canvas"]' };
  await page.goto(`${server.baseUrl}/interaction-page/`);
  await page.waitForSelector(targets.tick);
  await startProbe(page, targets);
  return { page, targets, figures: noFigures() };
}

async function measure(browser: Browser, appServer: StaticServer, fixturesServer: StaticServer): Promise<{ app: Figures; bare: Figures }> {
  const bare = await openBaseline(browser, fixturesServer);
  const app = await openApp(browser, appServer);
  await Promise.all([throttle(bare.page), throttle(app.page)]);
  for (let round = 0; round < ROUNDS; round++) {
    await tickRound(bare);
    await tickRound(app);
  }
  await walkToSign(app.page);
  for (let round = 0; round < ROUNDS; round++) {
    await strokeRound(bare);
    await strokeRound(app);
  }
  return { app: app.figures, bare: bare.figures };
}

function rows(label: string, baseline: string, app: number[], bare: number[]): BenchResult[] {
  return ([50, 95] as const).map((p) =>
    compared({
      metric: `${label}, p${p} of ${app.length}`,
      value: percentile(app, p),
      unit: 'ms',
      baseline,
      baselineValue: percentile(bare, p),
      aim: AIM,
      samples: { value: app, baseline: bare },
    }),
  );
}

const interaction: Measurement = {
  name: 'interaction',
  async run() {
    const [appDist, fixtures] = await Promise.all([appBuild(), fixturesBuild()]);
    const [appServer, fixturesServer] = await Promise.all([serveStatic(appDist.outDir), serveStatic(fixtures.outDir)]);
    const browser = await launchChromium();
    let measured: { app: Figures; bare: Figures };
    try {
      measured = await measure(browser, appServer, fixturesServer);
    } finally {
      // closing the browser closes every context and page
      await browser.close();
      await Promise.all([appServer.close(), fixturesServer.close()]);
    }
    const { app: appFigures, bare: bareFigures } = measured;
    const bareTick = `bare checkbox, CPU ÷${CPU_SLOWDOWN}`;
    const bareCanvas = `bare canvas, CPU ÷${CPU_SLOWDOWN}`;
    return [
      ...rows('tick an item: pointerdown → check painted', bareTick, appFigures.tickPaint, bareFigures.tickPaint),
      ...rows('tick an item: pointerdown → painted as saved', bareTick, appFigures.tickSaved, bareFigures.tickSaved),
      ...rows('tick an item: Event Timing duration (<16 as 16)', bareTick, appFigures.tickEvent, bareFigures.tickEvent),
      ...rows('signature stroke: pointermove → next paint', bareCanvas, appFigures.movePaint, bareFigures.movePaint),
      ...rows('signature stroke: Event Timing down/up (<16 as 16)', bareCanvas, appFigures.strokeEvent, bareFigures.strokeEvent),
    ];
  },
};

export default interaction;
