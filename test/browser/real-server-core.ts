// The real Node server (src/server) in front of the production build, for end-to-end browser tests:
// SQLite in a temporary directory, an admin token, a user of each role, a demo technician with an
// enrollment code and visits.
// No vitest in here, so the benchmarks can start it too; real-server.ts adds it to the browser harness.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROLES, type Role } from '../../src/domain/accounts';
import { ensureAdminToken } from '../../src/server/auth/admin-token';
import { issueEnrollmentCode } from '../../src/server/auth/enrollment';
import { loadChecklists } from '../../src/server/checklists';
import { seedDemo, type DemoSeed } from '../../src/server/demo';
import { createServer, type RunningServer } from '../../src/server/server';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import type { Storage } from '../../src/server/storage/storage';
import type { StoredDeviceKey } from '../../src/device/db';
import { ensureUser, makeDeviceKey, signInWith, TEST_PASSWORD, type TestSession } from '../server/helpers';
import { ensureProductionBuild, REPO_ROOT } from './builds';

export interface RealServer {
  url: string;
  adminToken: string;
  /** the SQLite file, for a second process (the import CLI) on the same database */
  sqlitePath: string;
  storage: Storage;
  demo: DemoSeed;
  /** a fresh one-time code for the demo technician (each enrollment uses one up) */
  newEnrollmentCode(): Promise<string>;
  /** the sign-in name of the user of each role (password TEST_PASSWORD) */
  userName(role: Role): string;
  /** a request on the back-office API as the admin user (signed in once, over HTTP) */
  adminRequest(path: string, init?: RequestInit): Promise<Response>;
  /** GET/POST on the back-office API as the admin user: the answer's JSON or text, or an error */
  admin<T = unknown>(path: string, init?: RequestInit): Promise<T>;
  /** stops listening (the database stays): `restart()` brings it back on the same port */
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** `checklistsDir`: the published checklists the server serves (a temporary copy where a test publishes a version). */
export async function startRealServer(options: { port?: number; checklistsDir?: string } = {}): Promise<RealServer> {
  const build = await ensureProductionBuild();
  const dir = mkdtempSync(join(tmpdir(), 'onsite-e2e-'));
  const sqlitePath = join(dir, 'onsite.sqlite');
  const storage = openSqliteStorage({ path: sqlitePath });
  const adminToken = (await ensureAdminToken(storage, new Date()))!;
  const demo = await seedDemo(storage, new Date());
  for (const role of ROLES) await ensureUser(storage, role);
  const checklists = loadChecklists(options.checklistsDir ?? join(REPO_ROOT, 'checklists'));
  let running: RunningServer | null = await createServer({ storage, checklists, distDir: build.outDir, port: options.port ?? 0, log: () => {} });
  const port = running.port;
  const url = running.url;
  let admin: TestSession | null = null;
  const adminRequest = async (path: string, init: RequestInit = {}) => {
    admin ??= await signInWith((p, i) => fetch(url + p, i), 'admin-user');
    return fetch(url + path, { ...init, headers: { ...admin.headers(init.method), ...(init.headers ?? {}) } });
  };
  return {
    url,
    adminToken,
    sqlitePath,
    storage,
    demo,
    async newEnrollmentCode() {
      return (await issueEnrollmentCode(storage, demo.technician.id, new Date())).code;
    },
    userName: (role) => `${role}-user`,
    adminRequest,
    async admin<T>(path: string, init: RequestInit = {}): Promise<T> {
      const response = await adminRequest(path, init);
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

/**
 * Enrolls a device key for the demo technician from the test itself (a phone of its own), for forms the
 * test makes and signs: once the technician's current phone has a key, their unsigned forms are refused.
 */
export async function enrollTestDevice(server: RealServer, publicKey?: string): Promise<StoredDeviceKey | null> {
  const key = publicKey === undefined ? await makeDeviceKey(server.demo.technician.id) : null;
  const response = await fetch(`${server.url}/api/v1/enroll`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: await server.newEnrollmentCode(), devicePublicKey: publicKey ?? key!.publicKey }),
  });
  if (!response.ok) throw new Error(`could not enroll a test device: ${response.status} ${await response.text()}`);
  return key;
}

/** Signs in to the back office in `page` as the user of `role`, as a clerk would, and waits for the forms page. */
export async function signInToBackOffice(page: Page, server: RealServer, role: Role = 'admin'): Promise<void> {
  await page.goto(`${server.url}/backoffice/`);
  await page.getByTestId('sign-in-name').fill(server.userName(role));
  await page.getByTestId('sign-in-password').fill(TEST_PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await page.locator(`[data-testid="signed-in-as"][data-role="${role}"]`).waitFor();
}

