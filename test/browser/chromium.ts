// Finds Debian's Chromium and launches it headless for playwright-core. No Chromium is a failure with
// the command that installs it, never a silent skip: these tests are the only check of the offline app.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
] as const;

export class ChromiumNotFoundError extends Error {
  constructor(looked: readonly string[]) {
    super(
      `Chromium not found (looked at ${looked.join(', ')}). The browser tests need it: ` +
        'install it with `apt-get install -y chromium`, or set CHROMIUM_PATH to a Chromium executable.',
    );
    this.name = 'ChromiumNotFoundError';
  }
}

/** CHROMIUM_PATH when set (it must exist), else the first Debian location that exists. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) {
    if (exists(configured)) return configured;
    throw new ChromiumNotFoundError([`CHROMIUM_PATH=${configured}`]);
  }
  const found = CANDIDATES.find(exists);
  if (found === undefined) throw new ChromiumNotFoundError(CANDIDATES);
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS] });
}

/**
 * A browser with a real (not incognito) profile in `userDataDir`: Chrome refuses some things in the
 * incognito contexts `newContext` makes, installability among them. Closing the context closes the browser.
 */
export function launchChromiumWithProfile(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { executablePath: findChromium(), args: [...CHROMIUM_ARGS], serviceWorkers: 'allow' });
}
