// An app over a fresh storage, driven with app.request(): a signed-in admin (and any role on demand),
// enrolled technicians and a small request helper, so each API test reads as the exchange it checks.
import type { Hono } from 'hono';
import { API } from '../../src/domain/api';
import type { SubmittedForm } from '../../src/domain/form-schema';
import { createApp, type AppOptions } from '../../src/server/app';
import { ensureAdminToken } from '../../src/server/auth/admin-token';
import type { Storage } from '../../src/server/storage/storage';
import type { Role } from '../../src/domain/accounts';
import { ensureUser, registry, signInWith, TEST_SCRYPT, testClock, type StorageFactory, type TestSession } from './helpers';

export interface Reply {
  status: number;
  headers: Headers;
  /** the parsed JSON answer (null when not JSON); checked field by field in the tests */
  body: any;
  text: string;
}

export interface CallOptions {
  /** a bearer token instead of the admin session; null sends neither */
  token?: string | null;
  /** another signed-in session instead of the admin's */
  as?: TestSession;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

export interface Harness {
  storage: Storage;
  app: Hono;
  clock: ReturnType<typeof testClock>;
  logs: string[];
  adminToken: string;
  /** the admin user's session, which `call` uses unless told otherwise */
  admin: TestSession;
  /** a session of the user `${role}-user`, made on first use */
  signIn(role: Role): Promise<TestSession>;
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
  /** creates a technician through the back office and enrolls a phone for it (with its device key, if given); answers its token */
  enroll(id?: string, name?: string, devicePublicKey?: string): Promise<string>;
  submit(token: string, forms: unknown[], headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

export async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, body, text };
}

export async function openHarness(factory: StorageFactory, options: Partial<AppOptions> = {}): Promise<Harness> {
  const storage = await factory();
  const clock = testClock();
  const logs: string[] = [];
  const app = createApp({
    storage, checklists: registry, clock: clock.now, distDir: null, log: (line) => logs.push(line),
    enrollRateLimit: { max: 20, windowMs: 60_000 }, passwordHashing: TEST_SCRYPT,
    ...options,
    sessions: { signInRateLimit: { max: 1000, windowMs: 60_000 }, ...options.sessions },
  });
  const adminToken = (await ensureAdminToken(storage, clock.now()))!;
  const send = (path: string, init: RequestInit) => Promise.resolve(app.request(path, init));
  const signIn = async (role: Role) => signInWith(send, (await ensureUser(storage, role)).name);
  const admin = await signIn('admin');

  const call = async (method: string, path: string, o: CallOptions = {}): Promise<Reply> => {
    const session = o.token === undefined ? o.as ?? admin : null;
    const headers: Record<string, string> = { ...session?.headers(method), ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body = o.body;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers['content-type'] ??= 'application/json';
    }
    return reply(await app.request(path, { method, headers, ...(body === undefined ? {} : { body }) }));
  };

  return {
    storage, app, clock, logs, adminToken, admin, signIn, call,
    async enroll(id = 'tech-1', name = '张师傅', devicePublicKey?: string) {
      const created = await call('POST', API.admin.technicians, { json: { id, name, phone: '138 0000 0000' } });
      if (created.status !== 201 && created.status !== 409) throw new Error(`could not create ${id}: ${created.text}`);
      const code = await call('POST', `${API.admin.technicians}/${id}/code`);
      const enrolled = await call('POST', API.enroll, { token: null, json: { code: code.body.code, ...(devicePublicKey ? { devicePublicKey } : {}) } });
      if (enrolled.status !== 200) throw new Error(`could not enroll ${id}: ${enrolled.text}`);
      return enrolled.body.token as string;
    },
    submit: (token: string, forms: unknown[], headers?: Record<string, string>) =>
      call('POST', API.forms, { token, json: { forms }, ...(headers ? { headers } : {}) }),
    close: () => storage.close(),
  };
}

/** A form with one change made after sealing: what a tampered form looks like. */
export function tampered(submitted: SubmittedForm, change: (form: Record<string, unknown>) => void): SubmittedForm {
  const copy = structuredClone(submitted) as SubmittedForm & { form: Record<string, unknown> };
  change(copy.form);
  return copy;
}
