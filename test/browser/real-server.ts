// The real Node server (real-server-core.ts) in the browser harness: `serverTest` adds it as a
// file-scoped fixture, one browser and one server per file.
import { browserTest, SETUP_TIMEOUT_MS } from './harness';
import { startRealServer, type RealServer } from './real-server-core';

export { enrollTestDevice, enrollThroughSettings, signInToBackOffice, startRealServer, type RealServer } from './real-server-core';

/** The browser harness with the real server as a file-scoped fixture `server`. */
export const serverTest = browserTest.extend('server', { scope: 'file' }, async ({}, { onCleanup }): Promise<RealServer> => {
  const server = await startRealServer();
  onCleanup(() => server.close());
  return server;
});

/** Starts the file's browser and real server (building the app if needed) before its first test, under SETUP_TIMEOUT_MS. */
export function setUpBrowserAndServer(): void {
  serverTest.beforeAll(async ({ browser, server }) => {
    // naming the fixtures is what sets them up; they stay for the file's tests
    void [browser, server];
  }, SETUP_TIMEOUT_MS);
}
