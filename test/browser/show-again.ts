// Bringing a page back to the front so that the app looks for a new build, as a phone does when its
// screen comes back on.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { EVENT_TIMEOUT_MS } from './waits';

/**
 * Shows the page again (a `visibilitychange`) until the browser has found the new build that was just
 * deployed: a new worker installing or waiting. The app looks for one each time it is shown, but only
 * once its registration has settled, which the page does not announce: hence the repeat, until the
 * browser says it found one. How long installing it takes is the caller's next wait.
 */
export async function showAgainUntilUpdateFound(page: Page): Promise<void> {
  await expect
    .poll(
      async () => {
        await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
        return page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          return Boolean(registration?.installing ?? registration?.waiting);
        });
      },
      { interval: 250, timeout: EVENT_TIMEOUT_MS },
    )
    .toBe(true);
}
