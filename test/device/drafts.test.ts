import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import festivalsJson from '../../checklists/festivals.json';
import { parseFestivalsFile } from '../../src/domain/festivals';
import { verifySeal } from '../../src/domain/seal';
import { checkFormConsistency } from '../../src/domain/service-form';
import { currentPhase, itemStatuses } from '../../src/domain/visit-workflow';
import type { VisitAction } from '../../src/domain/form-schema';
import { openOnsiteDB, type OnsiteDatabase, type StoredVisit } from '../../src/device/db';
import { createDraftStore, DraftLoadError, DraftWriteError, NotEnrolledError, type DeviceClock, type DraftStore, type LoadedDraft } from '../../src/device/drafts';
import { deviceChecklists, downloadedChecklists, storeDownloadedChecklist } from '../../src/device/checklists-store';
import type { Checklist } from '../../src/domain/checklist';
import { checklistRegistry } from '../../src/domain/checklist-registry';
import { pinnedChecklists, v2WithTorch } from '../fixtures/checklists';
import { isSignatureSet } from '../fixtures/visit-actions';
import { checklist, completeVisitActions, signatureBytes, signatureFor } from '../fixtures/visits';

const festivals = parseFestivalsFile(festivalsJson, 'festivals.json');
const technician = { id: 'tech-1', name: '张师傅' };

function visit(overrides: Partial<StoredVisit> = {}): StoredVisit {
  return {
    id: 'V-1', technicianId: 'tech-1', scheduledDate: '2026-03-10', firstVisit: false, notes: '',
    customer: { name: '某市环卫处', phone: '138 0000 0000', address: '某路 1 号' },
    equipment: { type: '洗扫车', model: 'XS-5000', serial: 'SN-1' },
    source: 'device', createdAt: '2026-03-10T00:00:00.000Z', ...overrides,
  };
}

/** Wall clock from a fixed instant; each clock advances 1 s per reading. */
function fakeDeviceClock(start: string): DeviceClock {
  let wall = Date.parse(start);
  let mono = 5_000;
  return { wallNow: () => (wall += 1000), monotonicNow: () => (mono += 1000) };
}

let dbCount = 0;
const open: OnsiteDatabase[] = [];
async function setup(start = '2026-03-10T02:00:00.000Z', name = `drafts-${++dbCount}`) {
  const db = await openOnsiteDB(name);
  open.push(db);
  const store = createDraftStore({ db, loadChecklists: async () => pinnedChecklists, loadFestivals: async () => festivals, clock: fakeDeviceClock(start) });
  return { db, store, name };
}
afterEach(() => {
  open.splice(0).forEach((db) => db.close());
  vi.restoreAllMocks();
});

async function appendAll(store: DraftStore, loaded: LoadedDraft, actions: VisitAction[]): Promise<LoadedDraft> {
  for (const action of actions) {
    const png = isSignatureSet(loaded.state.checklist, action) ? signatureBytes() : undefined;
    const result = await store.append(loaded, action, png);
    if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
    loaded = result.loaded;
  }
  return loaded;
}

async function allButSeal(facts: LoadedDraft['state']['facts']): Promise<VisitAction[]> {
  return completeVisitActions(facts, await signatureFor(signatureBytes())).slice(0, -1);
}

const snapshot = (l: LoadedDraft) => ({ events: l.state.events, answers: l.state.answers, doneAt: [...l.state.doneAt], phase: currentPhase(l.state), statuses: [...itemStatuses(l.state)] });

describe('creating a draft', () => {
  it('fixes the facts: today in China, the visit\'s first-visit flag, no festival on an ordinary day', async () => {
    // 17:30 UTC on 9 March is already 10 March in Shanghai
    const { store } = await setup('2026-03-09T17:30:00.000Z');
    const loaded = await store.create(visit({ firstVisit: true }), technician);
    expect(loaded.draft.facts).toEqual({ date: '2026-03-10', firstVisit: true, festival: null });
    expect(loaded.draft.formId).toMatch(/^[0-9a-f-]{36}$/);
    expect(loaded.draft.header).toMatchObject({ formId: loaded.draft.formId, visitId: 'V-1', technician });
    expect(loaded.draft.checklist).toEqual({ id: checklist.id, version: checklist.version });
    expect(loaded.draft.sealed).toBe(false);
  });

  it('names the festival when today falls in one, so the gift is required', async () => {
    const { store } = await setup('2026-02-20T04:00:00.000Z');
    const loaded = await store.create(visit(), technician);
    expect(loaded.draft.facts.festival).toEqual({ id: 'spring', name: festivals.festivals.find((f) => f.id === 'spring')!.name });
    expect(itemStatuses(loaded.state).get('kit.gift')).toEqual({ status: 'open' });
  });

  it('openVisit resumes the visit\'s draft instead of starting another', async () => {
    const { store } = await setup();
    const first = await store.openVisit(visit(), technician);
    await appendAll(store, first, [{ type: 'tick', item: 'dress.clothes' }]);
    const again = await store.openVisit(visit(), technician);
    expect(again.draft.formId).toBe(first.draft.formId);
    expect(again.state.events).toHaveLength(1);
    expect(await store.list()).toHaveLength(1);
  });

  it('refuses to start a draft before a technician is enrolled, but resumes one that exists', async () => {
    const { store } = await setup();
    await expect(store.openVisit(visit(), null)).rejects.toBeInstanceOf(NotEnrolledError);
    expect(await store.list()).toHaveLength(0);
    const first = await store.openVisit(visit(), technician);
    const again = await store.openVisit(visit(), null);
    expect(again.draft.formId).toBe(first.draft.formId);
  });
});

describe('appending events', () => {
  it('saves each accepted event and replays to the same state', async () => {
    const { store } = await setup();
    const created = await store.create(visit(), technician);
    const live = await appendAll(store, created, await allButSeal(created.state.facts));
    const reloaded = await store.load(created.draft.formId);
    expect(snapshot(reloaded)).toEqual(snapshot(live));
    expect(reloaded.state.events.map((e) => e.seq)).toEqual(live.state.events.map((_, i) => i));
  });

  it('stamps device time and an elapsed time that only grows', async () => {
    const { store } = await setup('2026-03-10T02:00:00.000Z');
    const created = await store.create(visit(), technician);
    const live = await appendAll(store, created, (await allButSeal(created.state.facts)).slice(0, 4));
    const elapsed = live.state.events.map((e) => e.elapsedMs);
    expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
    expect(elapsed[0]).toBeGreaterThan(0);
    expect(live.state.events[0]!.at).toBe('2026-03-10T02:00:02.000Z');
    expect(live.draft.elapsedBaseMs).toBe(elapsed.at(-1));
  });

  it('does not save a refused action and says which rule refused it', async () => {
    const { store } = await setup();
    const created = await store.create(visit(), technician);
    const result = await store.append(created, { type: 'step', step: 'start-visit' });
    expect(result).toMatchObject({ ok: false, refusal: { key: 'refusal.missingPrerequisite', rule: 'dress' } });
    expect((await store.load(created.draft.formId)).state.events).toHaveLength(0);
  });

  it('refuses signature bytes that are not the ones the signature describes', async () => {
    const { store } = await setup();
    const created = await store.create(visit(), technician);
    const actions = await allButSeal(created.state.facts);
    const beforeSignature = await appendAll(store, created, actions.slice(0, -1));
    await expect(store.append(beforeSignature, actions.at(-1)!, signatureBytes(2))).rejects.toThrow(/not the ones the signature describes/);
    await expect(store.append(beforeSignature, actions.at(-1)!)).rejects.toThrow(/needs its PNG bytes/);
    expect((await store.load(created.draft.formId)).state.events).toHaveLength(beforeSignature.state.events.length);
  });
});

describe('a reload mid-visit', () => {
  it('resumes exactly where the technician was, with elapsed time continuing', async () => {
    const { db, store, name } = await setup();
    const created = await store.create(visit({ firstVisit: true }), technician);
    const actions = await allButSeal(created.state.facts);
    const half = await appendAll(store, created, actions.slice(0, 10));
    db.close();

    const reopened = await setup('2026-03-10T05:00:00.000Z', name);
    const resumed = await reopened.store.load(created.draft.formId);
    expect(snapshot(resumed)).toEqual(snapshot(half));
    const next = await appendAll(reopened.store, resumed, actions.slice(10, 11));
    const [before, after] = [half.state.events.at(-1)!, next.state.events.at(-1)!];
    expect(after.seq).toBe(before.seq + 1);
    expect(after.elapsedMs).toBeGreaterThan(before.elapsedMs);
  });

  it('refuses to open a draft whose stored log the rules refuse, naming the event', async () => {
    const { db, store } = await setup();
    const created = await store.create(visit(), technician);
    await appendAll(store, created, [{ type: 'tick', item: 'dress.clothes' }]);
    const record = (await db.get('draftEvents', [created.draft.formId, 0]))!;
    await db.put('draftEvents', { ...record, event: { ...record.event, action: { type: 'step', step: 'start-repair' } } });
    await expect(store.load(created.draft.formId)).rejects.toThrow(/event 0 is refused on replay: refusal.missingPrerequisite/);
  });

  it('refuses to open a draft that is missing or was filled against another checklist', async () => {
    const { db, store } = await setup();
    await expect(store.load('nope')).rejects.toBeInstanceOf(DraftLoadError);
    const created = await store.create(visit(), technician);
    await db.put('drafts', { ...created.draft, checklist: { id: checklist.id, version: checklist.version + 1 } });
    const error = await store.load(created.draft.formId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DraftLoadError);
    expect(error).toMatchObject({ reason: 'unknown-checklist', checklist: { id: 'onsite-service', version: 2 } });
    expect((error as Error).message).toBe(`draft ${created.draft.formId}: filled against checklist onsite-service v2, which this phone does not have (it has onsite-service v1)`);
  });
});

describe('checklist versions', () => {
  const v2 = v2WithTorch();
  const app = (...versions: Checklist[]) => async () => ({ registry: checklistRegistry(versions), visitChecklistId: 'onsite-service' });
  async function phone(name: string, carries: Checklist[]) {
    const db = await openOnsiteDB(name);
    open.push(db);
    return { db, store: createDraftStore({ db, loadChecklists: async () => deviceChecklists(db, app(...carries)), loadFestivals: async () => festivals, clock: fakeDeviceClock('2026-03-10T02:00:00.000Z') }) };
  }

  it('a new visit takes the newest version; a draft keeps the one it began with through an app update', async () => {
    const name = `versions-${++dbCount}`;
    const before = await phone(name, [checklist]);
    const underV1 = await appendAll(before.store, await before.store.create(visit(), technician), [{ type: 'tick', item: 'dress.clothes' }]);
    expect(underV1.draft.checklist).toEqual({ id: 'onsite-service', version: 1 });

    const after = await phone(name, [checklist, v2]); // the updated app carries v2 as well
    const resumed = await after.store.load(underV1.draft.formId);
    expect(resumed.state.checklist).toBe(checklist);
    expect(resumed.state.events).toEqual(underV1.state.events);
    const fresh = await after.store.create(visit({ id: 'V-2' }), technician);
    expect(fresh.draft.checklist).toEqual({ id: 'onsite-service', version: 2 });
  });

  it('a version the app does not carry but the phone downloaded fills new visits, and its drafts open after a reload', async () => {
    const name = `versions-${++dbCount}`;
    const first = await phone(name, [checklist]);
    expect(await storeDownloadedChecklist(first.db, v2, Date.parse('2026-03-10T01:00:00.000Z'))).toBe(true);
    expect(await storeDownloadedChecklist(first.db, v2, Date.parse('2026-03-10T01:00:00.000Z'))).toBe(false);
    const created = await first.store.create(visit(), technician);
    expect(created.draft.checklist).toEqual({ id: 'onsite-service', version: 2 });
    const v1Ticks = checklist.items.filter((i) => i.phase === 'prepare' && i.kind === 'tick' && i.condition !== 'festival').map((i) => i.id);
    const ticked = await appendAll(first.store, created, v1Ticks.map((item) => ({ type: 'tick', item })));
    const start = await first.store.append(ticked, { type: 'step', step: 'start-visit' });
    expect(start).toMatchObject({ ok: false, refusal: { key: 'refusal.missingPrerequisite', params: { missing: 'kit.torch' } } });

    const reloaded = await phone(name, [checklist]);
    const loaded = await reloaded.store.load(created.draft.formId);
    expect(loaded.state.checklist).toEqual(v2);
  });

  it('a downloaded version that no longer reads as a checklist is left aside: its draft gives a clear error, not a crash', async () => {
    const name = `versions-${++dbCount}`;
    const { db, store } = await phone(name, [checklist]);
    await storeDownloadedChecklist(db, v2, 0);
    const created = await store.create(visit(), technician);
    await db.put('checklists', { id: 'onsite-service', version: 2, checklist: { ...v2, items: 'garbled' }, downloadedAt: '2026-03-10T00:00:00.000Z' });
    expect(await downloadedChecklists(db)).toEqual([]);
    await expect(store.load(created.draft.formId)).rejects.toMatchObject({ name: 'DraftLoadError', reason: 'unknown-checklist' });
    expect((await store.create(visit({ id: 'V-2' }), technician)).draft.checklist.version).toBe(1);
  });
});

describe('sealing', () => {
  it('writes the seal event, the sealed draft, the queued form and the signature bytes; the hash verifies from IndexedDB', async () => {
    const { db, store } = await setup();
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const created = await store.create(visit(), technician);
    const ready = await appendAll(store, created, await allButSeal(created.state.facts));
    const result = await store.seal(ready);
    expect(result.ok).toBe(true);

    const sealCall = transaction.mock.calls.find((call) => [...call[0]].includes('forms') && call[1] === 'readwrite');
    expect(sealCall?.[2]).toEqual({ durability: 'strict' });

    const stored = (await db.get('forms', created.draft.formId))!;
    expect(stored).toMatchObject({ status: 'queued', attempts: 0, nextAttemptAt: 0, visitId: 'V-1' });
    const signature = (await db.get('signatures', created.draft.formId))!;
    expect(signature.mime).toBe('image/png');
    expect(signature.bytes).toBeInstanceOf(ArrayBuffer);
    expect(await verifySeal(stored.form, new Uint8Array(signature.bytes))).toEqual({ ok: true });
    expect(checkFormConsistency(stored.form, checklist)).toEqual({ ok: true });
    expect((await db.get('drafts', created.draft.formId))!.sealed).toBe(true);
    const reloaded = await store.load(created.draft.formId);
    expect(reloaded.state.sealed).toBe(true);
    expect(await store.sealedCopy(created.draft.formId)).toEqual({ stored, signature, checklist });
  });

  it('refuses to seal an incomplete form, naming the rule', async () => {
    const { db, store } = await setup();
    const created = await store.create(visit(), technician);
    const result = await store.seal(created);
    expect(result).toMatchObject({ ok: false, refusal: { key: 'refusal.missingPrerequisite', rule: 'must-form' } });
    expect(await db.count('forms')).toBe(0);
  });

  it('refuses to seal twice, and a second tab holding the old draft cannot write after the seal', async () => {
    const { db, store } = await setup();
    const created = await store.create(visit(), technician);
    const ready = await appendAll(store, created, await allButSeal(created.state.facts));
    const sealed = await store.seal(ready);
    if (!sealed.ok) throw new Error('seal refused');
    expect(await store.seal(sealed.loaded)).toMatchObject({ ok: false, refusal: { key: 'refusal.sealed' } });
    expect(await store.append(sealed.loaded, { type: 'tick', item: 'dress.clothes' })).toMatchObject({ ok: false, refusal: { key: 'refusal.sealed' } });

    const stale = store.seal(ready);
    await expect(stale).rejects.toBeInstanceOf(DraftWriteError);
    await expect(stale).rejects.toMatchObject({ reason: 'conflict' });
    await expect(store.append(ready, { type: 'offer-declined', offer: 'gift', note: '' })).rejects.toMatchObject({ reason: 'conflict' });
    expect(await db.count('forms')).toBe(1);
    expect((await store.load(created.draft.formId)).state.events).toHaveLength(sealed.loaded.state.events.length);
  });
});

describe('a failed write', () => {
  function quotaOn(storeName: string, method: 'add' | 'put') {
    const original = IDBObjectStore.prototype[method];
    return vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args: Parameters<typeof original>) {
      if (this.name === storeName) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.apply(this, args);
    });
  }

  it('surfaces QuotaExceededError as a typed error and leaves the earlier events intact', async () => {
    const { store } = await setup();
    const created = await store.create(visit(), technician);
    const actions = await allButSeal(created.state.facts);
    const saved = await appendAll(store, created, actions.slice(0, 3));
    quotaOn('draftEvents', 'add');
    const failed = store.append(saved, actions[3]!);
    await expect(failed).rejects.toBeInstanceOf(DraftWriteError);
    await expect(failed).rejects.toMatchObject({ reason: 'quota', formId: created.draft.formId });
    vi.restoreAllMocks();

    const reloaded = await store.load(created.draft.formId);
    expect(snapshot(reloaded)).toEqual(snapshot(saved));
    expect(reloaded.draft.updatedAt).toBe(saved.draft.updatedAt);
    // the same action goes through once there is room again
    expect((await store.append(reloaded, actions[3]!)).ok).toBe(true);
  });

  it('a failed seal leaves the draft open, no form queued and no seal event', async () => {
    const { db, store } = await setup();
    const created = await store.create(visit(), technician);
    const ready = await appendAll(store, created, await allButSeal(created.state.facts));
    quotaOn('forms', 'add');
    await expect(store.seal(ready)).rejects.toMatchObject({ name: 'DraftWriteError', reason: 'quota' });
    vi.restoreAllMocks();
    expect(await db.count('forms')).toBe(0);
    const reloaded = await store.load(created.draft.formId);
    expect(reloaded.state.sealed).toBe(false);
    expect(reloaded.draft.sealed).toBe(false);
    expect(reloaded.state.events).toHaveLength(ready.state.events.length);
    expect((await store.seal(reloaded)).ok).toBe(true);
  });
});
