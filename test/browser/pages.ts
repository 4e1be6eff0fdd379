// Browser contexts for tests and the benchmark: a fresh phone-sized context, airplane mode, and
// screenshots of the open pages (the harness takes them when a test fails).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { REPO_ROOT } from './builds';
import { EVENT_TIMEOUT_MS } from './waits';

export const RESULTS_DIR = join(REPO_ROOT, 'test-results');

/**
 * A fresh context: its own storage, service workers allowed, a phone-sized viewport in Chinese; each
 * of its waits (a locator, a click, a page event) bounded by EVENT_TIMEOUT_MS rather than Playwright's 30 s.
 */
export async function newTestContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ serviceWorkers: 'allow', viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
  context.setDefaultTimeout(EVENT_TIMEOUT_MS);
  return context;
}

/** Airplane mode for every page of the context (the service worker still answers from its caches). */
export function goOffline(context: BrowserContext): Promise<void> {
  return context.setOffline(true);
}

/** Saves a PNG of each open page as test-results/<test name>[-n].png; never throws (the test's own error matters more). */
export async function screenshotPages(context: BrowserContext, testName: string): Promise<string[]> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const base = testName.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 120);
  const saved: string[] = [];
  for (const [index, page] of context.pages().entries()) {
    const path = join(RESULTS_DIR, `${base}${index === 0 ? '' : `-${index}`}.png`);
    if (await page.screenshot({ path, fullPage: true }).then(() => true, () => false)) saved.push(path);
  }
  return saved;
}
