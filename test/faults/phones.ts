// Simulated phones for the fault run: each one is its own IndexedDB (fake-indexeddb), enrolled as its
// own technician through the real POST /api/v1/enroll, sealing forms through the real drafts store and
// sending them with the real sync engine (its own timers and backoff) over Node's fetch.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { parseFestivalsFile } from '../../src/domain/festivals';
import type { SealedForm } from '../../src/domain/form-schema';
import { openOnsiteDB, type OnsiteDatabase, type OutboxStatus, type StoredForm } from '../../src/device/db';
import { createDraftStore, type DraftStore } from '../../src/device/drafts';
import { countForms, listForms } from '../../src/device/outbox';
import { getToken } from '../../src/device/settings';
import { enroll } from '../../src/sync/enroll';
import { createSyncEngine, type NetworkSignals, type SyncEngine } from '../../src/sync/sync-engine';
import { pinnedChecklists } from '../fixtures/checklists';
import { isSignatureSet } from '../fixtures/visit-actions';
import { checklist, signatureBytes, signatureFor } from '../fixtures/visits';
import { randomInt, seededRandom } from './seeded-random';
import { variedVisit, variedVisitActions } from './visit-texts';

const festivals = parseFestivalsFile(JSON.parse(readFileSync(new URL('../../checklists/festivals.json', import.meta.url), 'utf8')), 'festivals.json');

/** Node has no `online` events: the phones are always online, the proxy is what fails them. */
const ALWAYS_ONLINE: NetworkSignals = { isOnline: () => true, onOnline: () => () => undefined };

/**
 * The engine's backoff is a uniform pick in [0, min(15 min, 2 s · 2^(n−1))]; scaling its random number
 * into [0, 0.002) keeps the same exponential shape at 1/500 of the wait, so a run takes minutes, not hours.
 */
export const BACKOFF_SCALE = 0.002;

export interface PhoneOptions {
  /** the phone's database name, unique per run */
  name: string;
  technician: { id: string; name: string };
  enrollmentCode: string;
  /** the server itself: enrollment goes there directly (it is not what the run tests) */
  serverUrl: string;
  /** where the forms go: the fault proxy */
  syncUrl: string;
  /** the name the fault proxy keys this phone's decisions by, sent as X-Fault-Client; the same in every replay of a seed */
  faultClient: string;
  /** the phone's texts are drawn from `seed`, its backoff jitter from `seed + 1`: two streams, so the texts replay whatever the network did */
  seed: number;
  /** how long the engine waits for an answer before it abandons a request */
  requestTimeoutMs?: number;
}

export interface SealedOnPhone {
  form: SealedForm;
  signature: Uint8Array;
}

export interface SimulatedPhone {
  /** every form this phone sealed, by id, exactly as it was sealed */
  readonly sealed: ReadonlyMap<string, SealedOnPhone>;
  /** walks a whole visit through the drafts store, seals it (queued in the outbox) and tells the engine */
  sealForm(): Promise<SealedForm>;
  outboxCounts(): Promise<Record<OutboxStatus, number>>;
  outboxForms(): Promise<StoredForm[]>;
  /** stops the engine's triggers (a run in flight finishes) and closes the database */
  close(): Promise<void>;
}

export async function startPhone(options: PhoneOptions): Promise<SimulatedPhone> {
  const db = await openOnsiteDB(options.name);
  const technician = await enroll({ db, fetch: globalThis.fetch, baseUrl: options.serverUrl, code: options.enrollmentCode, deviceName: options.name });
  if (technician.id !== options.technician.id) throw new Error(`${options.name}: enrolled as ${technician.id}, expected ${options.technician.id}`);
  const texts = seededRandom(options.seed);
  const jitter = seededRandom(options.seed + 1);
  const store = createDraftStore({ db, loadChecklists: async () => pinnedChecklists, loadFestivals: async () => festivals });
  const engine = createSyncEngine({
    db,
    fetch: (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('X-Fault-Client', options.faultClient);
      return globalThis.fetch(input, { ...init, headers });
    },
    baseUrl: options.syncUrl,
    getToken: async () => (await getToken(db)) ?? null,
    random: () => jitter() * BACKOFF_SCALE,
    network: ALWAYS_ONLINE,
    // the engine's own timer retries; this is only its longest sleep between looks at the outbox
    periodMs: 1_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
  });
  await engine.start();

  const sealed = new Map<string, SealedOnPhone>();
  let visits = 0;
  return {
    sealed,
    async sealForm() {
      const form = await sealOne(store, db, texts, `${technician.id}-V${++visits}`, technician);
      sealed.set(form.form.id, form);
      // as the app does after each seal: send it now, without waiting for the answer
      void engine.notifySealed();
      return form.form;
    },
    outboxCounts: () => countForms(db),
    outboxForms: () => listForms(db),
    async close() {
      await closeEngine(engine);
      db.close();
    },
  };
}

async function sealOne(store: DraftStore, db: OnsiteDatabase, random: () => number, visitId: string, technician: { id: string; name: string }): Promise<SealedOnPhone> {
  let loaded = await store.create(variedVisit(random, visitId, technician.id, new Date()), technician);
  const png = signatureBytes(randomInt(random, 1, 1_000_000));
  for (const action of variedVisitActions(random, loaded.state.facts, await signatureFor(png))) {
    const result = await store.append(loaded, action, isSignatureSet(loaded.state.checklist, action) ? png : undefined);
    if (!result.ok) throw new Error(`${visitId}: the rules refused ${JSON.stringify(action).slice(0, 120)}: ${JSON.stringify(result.refusal)}`);
    loaded = result.loaded;
  }
  const result = await store.seal(loaded);
  if (!result.ok) throw new Error(`${visitId}: the seal was refused: ${JSON.stringify(result.refusal)}`);
  const signature = await db.get('signatures', result.stored.formId);
  if (!signature) throw new Error(`${visitId}: sealed without its signature bytes`);
  return { form: result.stored.form, signature: new Uint8Array(signature.bytes) };
}

/** Stops the triggers, then lets a run in flight end (its joined syncNow resolves when it does). */
async function closeEngine(engine: SyncEngine): Promise<void> {
  engine.stop();
  if (engine.state().running) await engine.syncNow('closing');
}
