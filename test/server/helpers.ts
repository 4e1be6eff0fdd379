// Shared by the server tests: storage factories for both adapters, a settable clock, an app with a
// technician and an admin ready, and real sealed forms with chosen (hostile) text in every field.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CSRF_HEADER, type Role, type UserRecord } from '../../src/domain/accounts';
import { API } from '../../src/domain/api';
import { fieldSpec } from '../../src/domain/checklist';
import type { VisitAction, VisitFacts, SubmittedForm } from '../../src/domain/form-schema';
import { sealForm } from '../../src/domain/seal';
import { buildFormBody, type VisitHeader } from '../../src/domain/service-form';
import { createVisit } from '../../src/domain/visit-workflow';
import { hashPassword, type ScryptParams } from '../../src/server/auth/passwords';
import { openPostgresStorage } from '../../src/server/storage/postgres';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import type { Storage } from '../../src/server/storage/storage';
import {
  checklist, completeVisitActions, fakeClock, header, ordinaryDay, run, signatureBytes, signatureFor,
} from '../fixtures/visits';
import { published } from '../fixtures/checklists';
import { targetItem, type FixtureFormat } from '../fixtures/visit-actions';
import type { PgCluster } from './pg-cluster';
import type { StoredDeviceKey } from '../../src/device/db';
import { createDeviceKey, signWithDeviceKey } from '../../src/device/device-key';
import type { DeviceLocation, DevicePublicKey } from '../../src/domain/device-signature';

/** the published checklists, as the server loads them */
export const registry = published;

/**
 * The bound on a test or hook that starts a process (the server or the CLI through tsx, a PostgreSQL
 * cluster): a cold start on a busy machine takes many times longer than on a free one. A bound for a hang only.
 */
export const PROCESS_TIMEOUT_MS = 180_000;

/**
 * Opens a fresh, empty storage; close() also removes what it made. `isolated`: a storage that may be
 * open beside the one of the running test (PostgreSQL then makes a database of its own).
 */
export type StorageFactory = (options?: { isolated?: boolean }) => Promise<Storage>;

export function sqliteFactory(): StorageFactory {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onsite-sqlite-'));
    const storage = openSqliteStorage({ path: join(dir, 'onsite.sqlite') });
    return {
      ...storage,
      async close() {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

/** One database per test file, emptied for each test (creating a database per test costs ~0.5 s). */
export function postgresFactory(cluster: () => PgCluster): StorageFactory {
  let url: string | null = null;
  return async (options) => {
    if (options?.isolated) return openPostgresStorage({ connectionString: await cluster().createDatabase(), max: 4 });
    url ??= await cluster().createDatabase();
    const storage = await openPostgresStorage({ connectionString: url, max: 4 });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('TRUNCATE admin, technicians, enrollment_codes, visits, forms, form_conflicts, sessions, users, rate_limits, audit_log, dispute_events, form_day_counts, parts, device_keys, form_date_counts, form_month_counts, form_week_on_site, form_month_on_site RESTART IDENTITY');
    } finally {
      await client.end();
    }
    return storage;
  };
}

/** Cheap scrypt for tests: the same code path, a thirty-second of the memory. */
export const TEST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1, keylen: 32 };
export const TEST_PASSWORD = 'test password 1';

/** The user `${role}-user` (made directly in storage on first use), password TEST_PASSWORD. */
export async function ensureUser(storage: Storage, role: Role, name = `${role}-user`): Promise<UserRecord> {
  const existing = await storage.getUserCredentials(name);
  if (existing) return existing.user;
  const made = await storage.createUser(
    { id: `U-${crypto.randomUUID().slice(0, 8)}`, name, displayName: `${role} 测试`, role, passwordHash: await hashPassword(TEST_PASSWORD, TEST_SCRYPT), createdAt: new Date(0).toISOString() },
    { at: new Date(0).toISOString(), userId: null, userName: '(test setup)', address: 'test', action: 'user.created', target: name, details: { role } },
  );
  if (!made) throw new Error(`could not create user ${name}`);
  return made;
}

/** A signed-in back-office session: its cookie and CSRF token, as request headers. */
export interface TestSession {
  user: UserRecord;
  cookie: string;
  csrfToken: string;
  /** the cookie, and the CSRF token for a change */
  headers(method?: string): Record<string, string>;
}

/** Signs in through POST /api/v1/session, as the back office does. */
export async function signInWith(send: (path: string, init: RequestInit) => Promise<Response>, name: string, password = TEST_PASSWORD): Promise<TestSession> {
  const res = await send(API.session, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`could not sign in as ${name}: ${res.status} ${text}`);
  const cookie = /^([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!cookie) throw new Error(`signing in as ${name} set no cookie`);
  const body = JSON.parse(text) as { user: UserRecord; csrfToken: string };
  return {
    user: body.user, cookie, csrfToken: body.csrfToken,
    headers: (method = 'GET') => ({ cookie, ...(method === 'GET' || method === 'HEAD' ? {} : { [CSRF_HEADER]: body.csrfToken }) }),
  };
}

/** Server time that tests move on purpose; it never moves by itself. */
export function testClock(start = '2026-03-10T08:00:00.000Z') {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    set: (iso: string) => void (t = Date.parse(iso)),
    advance: (ms: number) => void (t += ms),
  };
}

/** Text that would break a careless SQL string, HTML page or spreadsheet. */
export const HOSTILE = [
  "'); DROP TABLE forms; --",
  '<script>alert("x")</script>',
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http://evil.example","点我")',
  '" OR 1=1 --',
  '../../etc/passwd',
  '\u202Eevil\u202C 😀 客户',
] as const;

export interface FormOptions {
  formId?: string;
  technicianId?: string;
  technicianName?: string;
  facts?: VisitFacts;
  seed?: number;
  /** replaces the text of every free-text field (customer, equipment, answers, notes) */
  text?: string;
  /** a dispute reported during the repair */
  dispute?: string;
  /** the customer answers "not kept" for the first prohibition */
  conductBreach?: boolean;
  visitId?: string;
  /** 1: as an app before value types made it (fields set by their v1 names, the points twice) */
  formatVersion?: FixtureFormat;
}

const TEXT_TYPES = ['short-text', 'long-text'];

/** A sealed form made through the real engine, as the phone makes it. */
export async function makeForm(opts: FormOptions = {}): Promise<SubmittedForm> {
  const facts = opts.facts ?? ordinaryDay;
  const bytes = signatureBytes(opts.seed ?? 1);
  const t = opts.text;
  const format = opts.formatVersion ?? 2;
  let actions: VisitAction[] = completeVisitActions(facts, await signatureFor(bytes), format).map((action): VisitAction => {
    if (action.type !== 'set') return alterOther(action);
    const item = targetItem(checklist, action)!;
    const type = fieldSpec(item).value.type;
    if (t !== undefined) {
      if (TEXT_TYPES.includes(type)) return { ...action, value: t } as VisitAction;
      if (type === 'parts') return { ...action, value: [{ name: t, quantity: 1 }] } as VisitAction;
    }
    if (type === 'conduct' && opts.conductBreach) {
      const [first, ...rest] = Object.keys(action.value as Record<string, string>);
      const answers: Record<string, 'kept' | 'not-kept'> = { [first!]: 'not-kept' };
      for (const id of rest) answers[id] = 'kept';
      return { ...action, value: answers } as VisitAction;
    }
    return action;
  });
  function alterOther(action: VisitAction): VisitAction {
    if (action.type === 'test' && t !== undefined) return { ...action, note: t };
    if (action.type === 'offer-declined' && t !== undefined) return { ...action, note: t };
    return action;
  }
  if (opts.dispute !== undefined) {
    const at = actions.findIndex((a) => a.type === 'step' && a.step === 'start-repair') + 1;
    actions = [...actions.slice(0, at), { type: 'dispute', description: opts.dispute }, ...actions.slice(at)];
  }
  const base = header(opts.formId, opts.technicianId);
  const visitHeader: VisitHeader = t === undefined ? base : {
    ...base,
    visitId: t.slice(0, 64),
    customer: { name: t, phone: base.customer.phone, address: t },
    equipment: { type: t, model: t, serial: t },
    technician: { ...base.technician, name: t },
  };
  if (opts.technicianName !== undefined) visitHeader.technician = { ...visitHeader.technician, name: opts.technicianName };
  if (opts.visitId !== undefined) visitHeader.visitId = opts.visitId;
  const state = run(createVisit(checklist, facts), actions, fakeClock());
  const form = await sealForm(buildFormBody(state, visitHeader, format), bytes);
  return { form, signaturePng: Buffer.from(bytes).toString('base64') };
}

/** The same form id with other content (another customer opinion), sealed properly: a conflict. */
export async function makeRival(original: SubmittedForm): Promise<SubmittedForm> {
  return makeForm({ formId: original.form.id, technicianId: original.form.technician.id, text: '另一份意见' });
}

/** A bundle as the phone exports it; `devices`: the public keys of the device signatures in it. */
export function bundleOf(forms: unknown[], devices?: DevicePublicKey[]): string {
  return JSON.stringify({ format: 'onsite.bundle', formatVersion: 1, exportedAt: '2026-03-10T09:00:00.000+08:00', device: 'test phone', forms, ...(devices ? { devices } : {}) });
}

/** A phone's device key, made as the phone makes it (createDeviceKey): non-extractable ECDSA P-256. */
export async function makeDeviceKey(technicianId = 'tech-1'): Promise<StoredDeviceKey> {
  const key = await createDeviceKey(technicianId);
  if (!key) throw new Error('no WebCrypto here');
  return key;
}

/** The form with the phone's device signature (and the place, when given), as the phone's seal makes it. */
export async function signedBy(submitted: SubmittedForm, key: StoredDeviceKey, location?: DeviceLocation | null): Promise<SubmittedForm> {
  return { ...submitted, device: await signWithDeviceKey(key, submitted.form.seal.hash, location) };
}

/** The key as a bundle's `devices` carries it. */
export const publicKeyOf = (key: StoredDeviceKey): DevicePublicKey => ({ keyId: key.keyId, publicKey: key.publicKey, technicianId: key.technicianId });
