// first-load bundle: keep it small (the visit list reads drafts; the rules engine loads on first use)
// Drafts: an open visit's event log, saved one event per record the moment the rules accept it,
// and the seal, which freezes the form and queues it for the back office in one strict transaction.
// The rules engine, the seal and the festival calendar are imported on first use: the visit list (the
// app's first screen) lists drafts without them, which keeps them out of the first-load bundle.
import type { IDBPTransaction, StoreNames } from 'idb';
import type { Checklist, ChecklistRef } from '../domain/checklist';
import { typeItem } from '../domain/field-spec';
import type { FestivalCalendar } from '../domain/festivals';
import type { Signature, VisitAction, VisitEvent } from '../domain/form-schema';
import type { Clock, Refusal, VisitState } from '../domain/visit-workflow';
import type { DeviceLocation } from '../domain/device-message';
import type { Draft, OnsiteDB, OnsiteDatabase, StoredForm, StoredSignature, StoredVisit } from './db';

const workflow = () => import('../domain/visit-workflow');

/** The two clocks a draft needs: the wall clock for `at`, a monotonic one (performance.now) for `elapsedMs`. */
export interface DeviceClock {
  wallNow(): number;
  monotonicNow(): number;
}

export const deviceClock: DeviceClock = { wallNow: () => Date.now(), monotonicNow: () => performance.now() };

/** quota: storage full; conflict: the form changed elsewhere; closed: the connection was closed under the app (db.ts) */
export type DraftWriteReason = 'quota' | 'conflict' | 'closed' | 'failed';

/** A write that did not happen. Nothing saved before it is touched: each write is one transaction. */
export class DraftWriteError extends Error {
  constructor(readonly reason: DraftWriteReason, readonly formId: string, cause: unknown) {
    super(`saving draft ${formId} failed (${reason}): ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`, { cause });
    this.name = 'DraftWriteError';
  }
}

export type DraftLoadReason = 'missing' | 'unknown-checklist' | 'replay';

/** A draft that cannot be opened: missing, filled against a checklist version the phone does not have, or a log the rules refuse. */
export class DraftLoadError extends Error {
  constructor(readonly formId: string, message: string, readonly reason: DraftLoadReason, readonly checklist?: ChecklistRef) {
    super(`draft ${formId}: ${message}`);
    this.name = 'DraftLoadError';
  }
}

/** An open draft: its record, its replayed state and the clock that stamps its next events. */
export interface LoadedDraft {
  readonly draft: Draft;
  readonly state: VisitState;
  readonly clock: Clock;
  /** the signature's PNG bytes and their SHA-256 as this session saved them, kept so the seal need not read them back */
  readonly signature?: { readonly png: Uint8Array; readonly sha256: string };
}

export type AppendResult = { ok: true; loaded: LoadedDraft; event: VisitEvent } | { ok: false; refusal: Refusal };
export type SealResult = { ok: true; loaded: LoadedDraft; stored: StoredForm } | { ok: false; refusal: Refusal };

export interface SealedCopy {
  stored: StoredForm;
  signature: StoredSignature;
  /** the version the form was filled under; undefined when the phone no longer has it (ids are shown as they are) */
  checklist: Checklist | undefined;
}

/** The checklist versions the phone has: those the app carries and those downloaded with the visits. */
export interface DraftChecklists {
  /** the newest version: a new draft is filled against it */
  newest(): Promise<Checklist>;
  /** a draft's own version; undefined when the phone has no such version */
  get(ref: ChecklistRef): Promise<Checklist | undefined>;
  /** "onsite-service v1, onsite-service v2", for messages */
  describe(): Promise<string>;
}

export interface DraftStoreOptions {
  db: OnsiteDatabase;
  /** the versions drafts are filled against, loaded on first use; a draft keeps the version it began with */
  loadChecklists: () => Promise<DraftChecklists>;
  /** loaded on first use: only creating a draft needs the festival calendar */
  loadFestivals: () => Promise<FestivalCalendar>;
  clock?: DeviceClock;
  /**
   * Where the seal is made, when the technician allows it: a place, null when allowed but none could
   * be had, undefined when not allowed (the envelope then records nothing). Asked at each seal.
   */
  locate?: () => Promise<DeviceLocation | null | undefined>;
}

export interface DraftStore {
  /** The visit's latest draft (sealed or not), or a new one with today's facts; a new draft needs an enrolled technician (the server takes the technician from the token). */
  openVisit(visit: StoredVisit, technician: Draft['header']['technician'] | null): Promise<LoadedDraft>;
  create(visit: StoredVisit, technician: Draft['header']['technician']): Promise<LoadedDraft>;
  load(formId: string): Promise<LoadedDraft>;
  list(): Promise<Draft[]>;
  /** Applies an action if the rules allow it and resolves once its event is saved; a signature brings its PNG bytes. */
  append(loaded: LoadedDraft, action: VisitAction, signaturePng?: Uint8Array): Promise<AppendResult>;
  /**
   * Seals and queues the form, signed with the phone's device key when it has one (with the place,
   * when allowed); resolves only after the strict transaction has completed.
   */
  seal(loaded: LoadedDraft): Promise<SealResult>;
  sealedCopy(formId: string): Promise<SealedCopy | undefined>;
}

/** A form names its technician and the server checks it against the token: no new draft before enrollment. */
export class NotEnrolledError extends Error {
  constructor() {
    super('no technician is enrolled on this phone');
    this.name = 'NotEnrolledError';
  }
}

type WriteStores = StoreNames<OnsiteDB>[];
type WriteTx = IDBPTransaction<OnsiteDB, WriteStores, 'readwrite'>;

function writeErrorOf(error: unknown, formId: string): DraftWriteError {
  if (error instanceof DraftWriteError) return error;
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  // InvalidStateError: db.transaction() on a connection closed under the app (db.ts, onClosed)
  const reason: DraftWriteReason = name === 'QuotaExceededError' ? 'quota' : name === 'ConstraintError' ? 'conflict' : name === 'InvalidStateError' ? 'closed' : 'failed';
  return new DraftWriteError(reason, formId, error);
}

/** One transaction, committed or rolled back as a whole; any failure becomes a DraftWriteError. */
async function write(db: OnsiteDatabase, stores: WriteStores, formId: string, durability: 'default' | 'strict', work: (tx: WriteTx) => Promise<void>): Promise<void> {
  let tx: WriteTx | undefined;
  try {
    tx = db.transaction(stores, 'readwrite', { durability });
    const done = tx.done;
    // observed below; without this an abort during `work` would also surface as an unhandled rejection
    done.catch(() => undefined);
    await work(tx);
    await done;
  } catch (error) {
    try {
      tx?.abort();
    } catch {
      // already committed or aborted: nothing left to undo
    }
    throw writeErrorOf(error, formId);
  }
}

type Request = () => Promise<unknown> | false | undefined;

/** Queues the requests in order; if one throws before it is queued, those already queued are observed
 * (the transaction aborts them) so that the caller sees one error, not stray rejections. */
async function requests(...queue: Request[]): Promise<void> {
  const pending: Promise<unknown>[] = [];
  try {
    for (const request of queue) {
      const p = request();
      if (p) pending.push(p);
    }
  } catch (error) {
    pending.forEach((p) => p.catch(() => undefined));
    throw error;
  }
  await Promise.all(pending);
}

/**
 * `elapsedMs` is monotonic time (performance.now deltas) accumulated across page loads: each saved event
 * stores it as the draft's elapsedBaseMs, and a reload counts on from there. Time while the app was
 * closed is not counted, so no change of the wall clock can move it, and it never goes backwards.
 */
function visitClock(clock: DeviceClock, baseMs: number): Clock {
  const start = clock.monotonicNow();
  let last = baseMs;
  return {
    now() {
      last = Math.max(last, Math.round(baseMs + clock.monotonicNow() - start));
      return { at: new Date(clock.wallNow()).toISOString(), elapsedMs: last };
    },
  };
}

function ownBytes(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

export function createDraftStore({ db, loadChecklists, loadFestivals, clock = deviceClock, locate }: DraftStoreOptions): DraftStore {
  const loadedFrom = (draft: Draft, state: VisitState): LoadedDraft => ({ draft, state, clock: visitClock(clock, draft.elapsedBaseMs) });

  async function create(visit: StoredVisit, technician: Draft['header']['technician']): Promise<LoadedDraft> {
    const [{ festivalOn, toIsoDate }, { replay }, checklist, festivals] = await Promise.all([
      import('../domain/festivals'), workflow(), loadChecklists().then((c) => c.newest()), loadFestivals(),
    ]);
    const now = new Date(clock.wallNow());
    const date = toIsoDate(now);
    const festival = festivalOn(festivals, date);
    const formId = crypto.randomUUID();
    const draft: Draft = {
      formId,
      visitId: visit.id,
      header: { formId, visitId: visit.id, customer: visit.customer, equipment: visit.equipment, technician },
      facts: { date, firstVisit: visit.firstVisit, festival: festival && { id: festival.festival.id, name: festival.festival.name } },
      checklist: { id: checklist.id, version: checklist.version },
      createdAt: now.toISOString(),
      elapsedBaseMs: 0,
      updatedAt: now.toISOString(),
      sealed: false,
    };
    await write(db, ['drafts'], formId, 'default', async (tx) => {
      await tx.objectStore('drafts').add(draft);
    });
    return loadedFrom(draft, replay(checklist, draft.facts, []));
  }

  async function load(formId: string): Promise<LoadedDraft> {
    const tx = db.transaction(['drafts', 'draftEvents'], 'readonly');
    const range = IDBKeyRange.bound([formId, 0], [formId, Infinity]);
    const [draft, records] = await Promise.all([tx.objectStore('drafts').get(formId), tx.objectStore('draftEvents').getAll(range), tx.done]);
    if (!draft) throw new DraftLoadError(formId, 'no such draft on this phone', 'missing');
    const [{ replay }, checklists] = await Promise.all([workflow(), loadChecklists()]);
    const checklist = await checklists.get(draft.checklist);
    if (!checklist) {
      throw new DraftLoadError(formId, `filled against checklist ${draft.checklist.id} v${draft.checklist.version}, which this phone does not have (it has ${await checklists.describe()})`, 'unknown-checklist', draft.checklist);
    }
    let state: VisitState;
    try {
      state = replay(checklist, draft.facts, records.map((r) => r.event));
    } catch (error) {
      throw new DraftLoadError(formId, error instanceof Error ? error.message : String(error), 'replay');
    }
    const lastElapsed = state.events.at(-1)?.elapsedMs ?? 0;
    return loadedFrom({ ...draft, elapsedBaseMs: Math.max(draft.elapsedBaseMs, lastElapsed) }, state);
  }

  async function openVisit(visit: StoredVisit, technician: Draft['header']['technician'] | null): Promise<LoadedDraft> {
    const drafts = await db.getAllFromIndex('drafts', 'by-visit', visit.id);
    const latest = drafts.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
    if (latest) return load(latest.formId);
    if (!technician) throw new NotEnrolledError();
    return create(visit, technician);
  }

  // A second tab holding an older copy of the draft cannot write after the seal, nor fork the log: every
  // write adds the event at [formId, seq] with seq = the events it has seen, and that key is unique —
  // if any event was written since, its add fails with ConstraintError and the whole write rolls back
  // (DraftWriteError 'conflict'). Events are never deleted, so no read is needed to check first.

  async function append(loaded: LoadedDraft, action: VisitAction, signaturePng?: Uint8Array): Promise<AppendResult> {
    const result = (await workflow()).apply(loaded.state, action, loaded.clock);
    if (!result.ok) return result;
    const { event } = result;
    const { formId } = loaded.draft;
    let signature: StoredSignature | undefined;
    const signatureItem = typeItem(loaded.state.checklist, 'signature');
    const aboutSignature = (action.type === 'set' || action.type === 'clear') &&
      ('item' in action ? action.item === signatureItem.id : action.field === 'signature');
    if (action.type === 'set' && aboutSignature) {
      if (!signaturePng) throw new TypeError('a signature needs its PNG bytes');
      const sha256 = await (await import('../domain/seal')).sha256Hex(signaturePng);
      const described = action.value as Signature;
      if (sha256 !== described.sha256 || signaturePng.length !== described.byteLength) {
        throw new TypeError(`the PNG bytes (${signaturePng.length} bytes, sha256 ${sha256}) are not the ones the signature describes`);
      }
      signature = { formId, bytes: ownBytes(signaturePng), mime: 'image/png', sha256 };
    }
    const draft: Draft = { ...loaded.draft, updatedAt: event.at, elapsedBaseMs: event.elapsedMs };
    const dropSignature = action.type === 'clear' && aboutSignature;
    await write(db, ['drafts', 'draftEvents', 'signatures'], formId, 'default', async (tx) => {
      await requests(
        () => tx.objectStore('draftEvents').add({ formId, seq: event.seq, event }),
        () => tx.objectStore('drafts').put(draft),
        () => signature && tx.objectStore('signatures').put(signature),
        () => dropSignature && tx.objectStore('signatures').delete(formId),
      );
    });
    const kept = dropSignature ? undefined : signature ? { png: new Uint8Array(signature.bytes), sha256: signature.sha256 } : loaded.signature;
    return { ok: true, loaded: { draft, state: result.state, clock: loaded.clock, ...(kept ? { signature: kept } : {}) }, event };
  }

  async function seal(loaded: LoadedDraft): Promise<SealResult> {
    const [{ apply }, { buildFormBody }, { sealForm }] = await Promise.all([workflow(), import('../domain/service-form'), import('../domain/seal')]);
    const result = apply(loaded.state, { type: 'step', step: 'seal' }, loaded.clock);
    if (!result.ok) return result;
    const { formId } = loaded.draft;
    const described = (result.state.answers[typeItem(result.state.checklist, 'signature').id] as Signature | undefined)?.sha256;
    const png = loaded.signature && loaded.signature.sha256 === described ? loaded.signature.png : await savedSignaturePng(formId, described);
    const [form, location] = await Promise.all([sealForm(buildFormBody(result.state, loaded.draft.header), png), locate?.().catch(() => null)]);
    // signed before the write: a WebCrypto wait inside the transaction would let it commit early
    const device = await (await import('./device-key')).signSeal(db, form.seal.hash, location);
    const { event } = result;
    const draft: Draft = { ...loaded.draft, updatedAt: event.at, elapsedBaseMs: event.elapsedMs, sealed: true };
    const stored: StoredForm = {
      formId, visitId: draft.visitId, form, status: 'queued', sealedAt: form.sealedAt, attempts: 0, nextAttemptAt: 0, ...(device ? { device } : {}),
    };
    await write(db, ['drafts', 'draftEvents', 'forms'], formId, 'strict', async (tx) => {
      await requests(
        () => tx.objectStore('draftEvents').add({ formId, seq: event.seq, event }),
        () => tx.objectStore('drafts').put(draft),
        () => tx.objectStore('forms').add(stored),
      );
    });
    return { ok: true, loaded: { draft, state: result.state, clock: loaded.clock }, stored };
  }

  /** The signature bytes saved for the draft, which must be the ones the form describes. */
  async function savedSignaturePng(formId: string, describedSha256: string | undefined): Promise<Uint8Array> {
    const signature = await db.get('signatures', formId);
    if (!signature || describedSha256 === undefined || signature.sha256 !== describedSha256) {
      throw new DraftWriteError('failed', formId, new Error('the signature bytes on this phone are not the ones the form describes'));
    }
    return new Uint8Array(signature.bytes);
  }

  async function sealedCopy(formId: string): Promise<SealedCopy | undefined> {
    const tx = db.transaction(['forms', 'signatures'], 'readonly');
    const [stored, signature] = await Promise.all([tx.objectStore('forms').get(formId), tx.objectStore('signatures').get(formId), tx.done]);
    return stored && signature ? { stored, signature, checklist: await (await loadChecklists()).get(stored.form.checklist) } : undefined;
  }

  return { openVisit, create, load, list: () => db.getAll('drafts'), append, seal, sealedCopy };
}
