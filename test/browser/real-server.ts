// The real Node server (src/server) in front of the production build, for end-to-end browser tests:
// SQLite in a temporary directory, an admin token, a demo technician with an enrollment code and visits.
// `serverTest` adds it to the browser harness as a file-scoped fixture: one browser and one server per file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ensureAdminToken } from '../../src/server/auth/admin-token';
import { issueEnrollmentCode } from '../../src/server/auth/enrollment';
import { loadChecklists } from '../../src/server/checklists';
import { seedDemo, type DemoSeed } from '../../src/server/demo';
import { createServer, type RunningServer } from '../../src/server/server';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import type { Storage } from '../../src/server/storage/storage';
import { browserTest, ensureProductionBuild, REPO_ROOT, SETUP_TIMEOUT_MS } from './harness';

export interface RealServer {
  url: string;
  adminToken: string;
  /** the SQLite file, for a second process (the import CLI) on the same database */
  sqlitePath: string;
  storage: Storage;
  demo: DemoSeed;
  /** a fresh one-time code for the demo technician (each enrollment uses one up) */
  newEnrollmentCode(): Promise<string>;
  /** GET/POST on the API with the admin token */
  admin<T = unknown>(path: string, init?: RequestInit): Promise<T>;
  /** stops listening (the database stays): `restart()` brings it back on the same port */
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startRealServer(options: { port?: number } = {}): Promise<RealServer> {
  const build = await ensureProductionBuild();
  const dir = mkdtempSync(join(tmpdir(), 'onsite-e2e-'));
  const sqlitePath = join(dir, 'onsite.sqlite');
  const storage = openSqliteStorage({ path: sqlitePath });
  const adminToken = (await ensureAdminToken(storage, new Date()))!;
  const demo = await seedDemo(storage, new Date());
  const checklists = loadChecklists(join(REPO_ROOT, 'checklists'));
  let running: RunningServer | null = await createServer({ storage, checklists, distDir: build.outDir, port: options.port ?? 0, log: () => {} });
  const port = running.port;
  const url = running.url;
  return {
    url,
    adminToken,
    sqlitePath,
    storage,
    demo,
    async newEnrollmentCode() {
      return (await issueEnrollmentCode(storage, demo.technician.id, new Date())).code;
    },
    async admin<T>(path: string, init: RequestInit = {}): Promise<T> {
      const response = await fetch(url + path, { ...init, headers: { authorization: `Bearer ${adminToken}`, ...(init.headers ?? {}) } });
      if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
      const type = response.headers.get('content-type') ?? '';
      return (type.includes('json') ? await response.json() : await response.text()) as T;
    },
    async stop() {
      await running?.close(1000);
      running = null;
    },
    async restart() {
      running ??= await createServer({ storage, checklists, distDir: build.outDir, port, log: () => {} });
    },
    async close() {
      await running?.close(1000);
      running = null;
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Enrolls the app in `page` as the demo technician through the settings screen, as a technician would. */
export async function enrollThroughSettings(page: Page, server: RealServer): Promise<void> {
  await page.goto(`${server.url}/#/settings`);
  await page.getByTestId('enroll-code').fill(await server.newEnrollmentCode());
  await page.getByTestId('enroll-submit').click();
  await page.getByTestId('enrolled-as').filter({ hasText: server.demo.technician.id }).waitFor();
}

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
