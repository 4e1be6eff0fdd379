// Test support for the outbox and the sync: a fresh IndexedDB per test, sealed forms queued the way
// sealing queues them, and a scriptable fake of the server's POST /api/v1/forms with its real answer shapes.
import 'fake-indexeddb/auto';
import { SubmitResponseSchema, type DispatchedVisit, type SubmitResult } from '../../src/domain/api';
import { SubmittedFormSchema } from '../../src/domain/form-schema';
import { toFieldErrors } from '../../src/domain/validation-issues';
import { openOnsiteDB, type OnsiteDatabase, type StoredForm } from '../../src/device/db';
import type { SetTimer } from '../../src/sync/api-client';
import { createSyncEngine, type NetworkSignals, type SyncEngineOptions, type SyncState } from '../../src/sync/sync-engine';
import { sealedForm } from '../fixtures/visits';

export function openTestDb(): Promise<OnsiteDatabase> {
  return openOnsiteDB(`test-${crypto.randomUUID()}`);
}

export const T0 = Date.parse('2026-03-10T02:00:00.000Z');

/** Seals a real form and queues it with its signature, as drafts.ts does at sealing. */
export async function queueSealedForm(db: OnsiteDatabase, overrides: Partial<StoredForm> & { seed?: number } = {}): Promise<StoredForm> {
  const { seed, ...rest } = overrides;
  const { form, bytes } = await sealedForm({ seed: seed ?? 1 });
  const stored: StoredForm = { formId: form.id, visitId: form.visit.id, form, status: 'queued', sealedAt: form.sealedAt, attempts: 0, nextAttemptAt: 0, ...rest };
  const tx = db.transaction(['forms', 'signatures'], 'readwrite', { durability: 'strict' });
  await Promise.all([
    tx.objectStore('forms').put(stored),
    tx.objectStore('signatures').put({ formId: form.id, bytes: bytes.buffer, mime: 'image/png', sha256: form.signature.sha256 }),
    tx.done,
  ]);
  return stored;
}

/** A visit as the back office dispatches it. */
export function dispatched(id: string, scheduledDate = '2026-03-10'): DispatchedVisit {
  return {
    id, technicianId: 'tech-1', scheduledDate, firstVisit: false, notes: '',
    customer: { name: '某市环卫处', phone: '138 0000 0000', address: '某路 1 号' },
    equipment: { type: '洗扫车', model: 'XS-5000', serial: 'SN-1' },
  };
}

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Headers;
  /** the form ids in the batch, in order */
  formIds: string[];
  body: unknown;
}

/** What the fake server does with one request: answer, or throw as a dropped connection does. */
export type Behaviour = (request: RecordedRequest, server: FakeServer) => Response | Promise<Response>;

export interface FakeServer {
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
  requests: RecordedRequest[];
  /** form id → seal hash of the first form stored under each id */
  stored: Map<string, string>;
  /** the id of each form the server stored as accepted, once per insert (exactly-once means no id twice) */
  inserts: string[];
  /** the next requests get these behaviours, in order; after them, `respond` */
  script: Behaviour[];
  /** what every other request gets; the real answer by default */
  respond: Behaviour;
  /** the answer the real server gives: per form accepted, duplicate, conflict or rejected */
  answer(request: RecordedRequest): SubmitResult[];
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function apiError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return json({ error: { code: `http-${status}`, message } }, status, headers);
}

export function createFakeServer(): FakeServer {
  const server: FakeServer = {
    requests: [],
    stored: new Map(),
    inserts: [],
    script: [],
    respond: (request) => json(SubmitResponseSchema.parse({ results: server.answer(request) })),
    answer(request) {
      const forms = (request.body as { forms: unknown[] }).forms;
      return forms.map((raw, index): SubmitResult => {
        const parsed = SubmittedFormSchema.safeParse(raw);
        if (!parsed.success) return { index, id: null, status: 'rejected', errors: toFieldErrors(parsed.error.issues, ['forms', index]) };
        const { id, seal } = parsed.data.form;
        const known = server.stored.get(id);
        if (known !== undefined) return { index, id, status: known === seal.hash ? 'duplicate' : 'conflict' };
        server.stored.set(id, seal.hash);
        server.inserts.push(id);
        return { index, id, status: 'accepted', receivedAt: new Date(T0).toISOString() };
      });
    },
    async fetch(input, init = {}) {
      const body = init.body === undefined ? undefined : JSON.parse(String(init.body));
      const formIds = ((body as { forms?: Array<{ form: { id: string } }> } | undefined)?.forms ?? []).map((f) => f.form.id);
      const request: RecordedRequest = { url: input, method: init.method ?? 'GET', headers: new Headers(init.headers), formIds, body };
      server.requests.push(request);
      return (server.script.shift() ?? server.respond)(request, server);
    },
  };
  return server;
}

/** A clock the test moves by hand. */
export function manualClock(start = T0) {
  const clock = { t: start, now: () => clock.t, advance: (ms: number) => { clock.t += ms; } };
  return clock;
}

/** Timers the test fires by hand: nothing runs unless the test says so. */
export function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let nextId = 1;
  const setTimer: SetTimer = (fn, ms) => {
    const id = nextId++;
    pending.set(id, { fn, ms });
    return () => pending.delete(id);
  };
  return {
    setTimer,
    pending,
    /** the delays of the timers still pending */
    delays: () => [...pending.values()].map((t) => t.ms),
    /** fires every pending timer with exactly `ms` delay */
    fire(ms?: number) {
      for (const [id, t] of [...pending]) {
        if (ms === undefined || t.ms === ms) {
          pending.delete(id);
          t.fn();
        }
      }
    },
  };
}

/** An engine over a fresh database and a fake server, with the clock, the timers and the network in the test's hands. */
export async function engineRig(overrides: Partial<SyncEngineOptions> = {}) {
  const db = await openTestDb();
  const server = createFakeServer();
  const clock = manualClock();
  const timers = manualTimers();
  const net = { online: true, listeners: new Set<() => void>() };
  const network: NetworkSignals = {
    isOnline: () => net.online,
    onOnline(listener) {
      net.listeners.add(listener);
      return () => net.listeners.delete(listener);
    },
  };
  const states: SyncState[] = [];
  const auth = { token: 'tok-1' as string | null };
  const engine = createSyncEngine({
    db, fetch: server.fetch, baseUrl: 'https://onsite.test/', getToken: () => auth.token, now: clock.now, random: () => 0.5,
    setTimer: timers.setTimer, network, onChange: (s) => states.push(s), ...overrides,
  });
  return { db, server, clock, timers, net, states, auth, engine };
}
