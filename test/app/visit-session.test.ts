import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import festivalsJson from '../../checklists/festivals.json';
import { parseFestivalsFile } from '../../src/domain/festivals';
import { apply, createVisit } from '../../src/domain/visit-workflow';
import type { VisitAction } from '../../src/domain/form-schema';
import { openOnsiteDB, type OnsiteDatabase } from '../../src/device/db';
import { createDraftStore, DraftWriteError, type AppendResult, type DraftStore, type LoadedDraft } from '../../src/device/drafts';
import { createVisitSession, type SessionSnapshot } from '../../src/app/visit-session';
import { pinnedChecklists } from '../fixtures/checklists';
import { isSignatureSet } from '../fixtures/visit-actions';
import { checklist, completeVisitActions, fakeClock, header, ordinaryDay, signatureBytes, signatureFor } from '../fixtures/visits';

function initial(): LoadedDraft {
  const h = header();
  return {
    draft: {
      formId: h.formId, visitId: h.visitId, header: h, facts: ordinaryDay, checklist: { id: checklist.id, version: checklist.version },
      createdAt: '2026-03-10T01:00:00.000Z', elapsedBaseMs: 0, updatedAt: '2026-03-10T01:00:00.000Z', sealed: false,
    },
    state: createVisit(checklist, ordinaryDay),
    clock: fakeClock(),
  };
}

/** A store whose writes finish only when the test says so. */
function manualStore(real: Pick<DraftStore, 'append' | 'seal'>) {
  const pending: Array<{ finish: () => void; fail: (e: Error) => void }> = [];
  const store: Pick<DraftStore, 'append' | 'seal'> = {
    append: (loaded, action, png) =>
      new Promise<AppendResult>((resolve, reject) => {
        pending.push({ finish: () => resolve(real.append(loaded, action, png)), fail: reject });
      }),
    seal: real.seal,
  };
  return { store, pending };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

const open: OnsiteDatabase[] = [];
afterEach(() => open.splice(0).forEach((db) => db.close()));
let n = 0;
async function realStore(): Promise<DraftStore> {
  const db = await openOnsiteDB(`session-${++n}`);
  open.push(db);
  return createDraftStore({ db, loadChecklists: async () => pinnedChecklists, loadFestivals: async () => parseFestivalsFile(festivalsJson, 'festivals.json') });
}

const newDraft = (store: DraftStore) => store.create(
  { id: 'V-1', technicianId: 't', scheduledDate: '2026-03-10', firstVisit: false, notes: '', source: 'device', createdAt: '2026-03-10T00:00:00Z', customer: header().customer, equipment: header().equipment },
  header().technician,
);

describe('the visit session', () => {
  it('publishes a new state only after its event is saved', async () => {
    // an in-memory "store" that accepts everything the rules accept
    const memory: Pick<DraftStore, 'append' | 'seal'> = {
      append: async (loaded, action) => {
        const result = apply(loaded.state, action, loaded.clock);
        return result.ok ? { ok: true, loaded: { ...loaded, state: result.state }, event: result.event } : result;
      },
      seal: async () => { throw new Error('not used'); },
    };
    const { store, pending } = manualStore(memory);
    const session = createVisitSession(store, initial());
    const seen: SessionSnapshot[] = [];
    session.subscribe((s) => seen.push(s));

    const done = session.dispatch('dress.clothes', { type: 'tick', item: 'dress.clothes' });
    await flush();
    expect(session.get().saving).toBe(true);
    expect(session.get().loaded.state.events).toHaveLength(0);
    expect(seen.every((s) => s.loaded.state.events.length === 0)).toBe(true);

    pending[0]!.finish();
    expect(await done).toBe(true);
    expect(session.get()).toMatchObject({ saving: false, refusal: null, failure: null });
    expect(session.get().loaded.state.doneAt.has('dress.clothes')).toBe(true);
    // every published snapshot with the tick is one where the save had finished
    expect(seen.filter((s) => s.loaded.state.events.length === 1).every((s) => !s.saving)).toBe(true);
  });

  it('runs writes one after another, each on the state the previous one saved', async () => {
    const store = await realStore();
    const session = createVisitSession(store, await newDraft(store));
    const ticks = ['dress.clothes', 'dress.work-id', 'kit.toolbox'].map((item) => session.dispatch(item, { type: 'tick', item }));
    expect(await Promise.all(ticks)).toEqual([true, true, true]);
    expect(session.get().loaded.state.events.map((e) => e.seq)).toEqual([0, 1, 2]);
  });

  it('publishes a refusal next to its control and keeps the saved state', async () => {
    const store = await realStore();
    const loaded = await newDraft(store);
    const session = createVisitSession(store, loaded);
    expect(await session.dispatch('start', { type: 'step', step: 'start-visit' })).toBe(false);
    expect(session.get().refusal).toMatchObject({ target: 'start', refusal: { key: 'refusal.missingPrerequisite', rule: 'dress' } });
    expect(session.get().loaded).toBe(loaded);
    expect(await session.dispatch('dress.clothes', { type: 'tick', item: 'dress.clothes' })).toBe(true);
    expect(session.get().refusal).toBeNull();
  });

  it('publishes a failed write as a failure and does not show the unsaved state', async () => {
    const failing: Pick<DraftStore, 'append' | 'seal'> = {
      append: async () => { throw new DraftWriteError('quota', 'f', new DOMException('full', 'QuotaExceededError')); },
      seal: async () => { throw new Error('not used'); },
    };
    const start = initial();
    const session = createVisitSession(failing, start);
    expect(await session.dispatch('dress.clothes', { type: 'tick', item: 'dress.clothes' })).toBe(false);
    expect(session.get().failure).toMatchObject({ target: 'dress.clothes', error: { reason: 'quota' } });
    expect(session.get().loaded).toBe(start);
    session.dismiss();
    expect(session.get().failure).toBeNull();
  });

  it('seals, reports the queued form once the strict write is done, and idles', async () => {
    const store = await realStore();
    let loaded = await newDraft(store);
    const actions: VisitAction[] = completeVisitActions(loaded.state.facts, await signatureFor(signatureBytes())).slice(0, -1);
    const sealedForms: string[] = [];
    const session = createVisitSession(store, loaded, (stored) => sealedForms.push(stored.status));
    for (const action of actions) {
      const png = isSignatureSet(checklist, action) ? signatureBytes() : undefined;
      void session.dispatch('x', action, png);
    }
    await session.idle();
    loaded = session.get().loaded;
    expect(loaded.state.events).toHaveLength(actions.length);
    expect(session.get().sealed).toBeNull();
    expect(await session.seal('seal')).toBe(true);
    expect(session.get().sealed).toMatchObject({ status: 'queued' });
    expect(session.get().loaded.state.sealed).toBe(true);
    expect(sealedForms).toEqual(['queued']);
    expect(await session.seal('seal')).toBe(false);
    expect(session.get().refusal).toMatchObject({ target: 'seal', refusal: { key: 'refusal.sealed' } });
  });
});

describe('the visit session handed to the customer', () => {
  /** A draft at the sign phase: everything up to the customer's answers done. */
  async function atSign() {
    const store = await realStore();
    const loaded = await newDraft(store);
    const actions = completeVisitActions(loaded.state.facts, await signatureFor(signatureBytes()));
    const session = createVisitSession(store, loaded);
    const upTo = actions.findIndex((a) => a.type === 'test' && a.by === 'customer') + 1;
    for (const action of actions.slice(0, upTo)) expect(await session.dispatch('x', action)).toBe(true);
    expect(await session.dispatch('form.fault-found', { type: 'set', item: 'form.fault-found', value: '碳刷磨损' })).toBe(true);
    return { session, store };
  }

  it('refuses every technician-side action and the seal, saving nothing, and takes the customer\'s answers', async () => {
    const { session } = await atSign();
    expect(session.get().holder).toBe('technician');
    await session.handTo('customer');
    expect(session.get().holder).toBe('customer');
    const before = session.get().loaded;
    for (const [target, action] of [
      ['form.fault-found', { type: 'set', item: 'form.fault-found', value: '改过' }],
      ['form.fault-found', { type: 'clear', item: 'form.fault-found' }],
      ['form.attestation', { type: 'set', item: 'form.attestation', value: [] }],
      ['ban.smoking', { type: 'offer-declined', offer: 'cigarette', note: '' }],
    ] as Array<[string, VisitAction]>) {
      expect(await session.dispatch(target, action)).toBe(false);
      expect(session.get().refusal).toMatchObject({ target, refusal: { key: 'refusal.handedOver', params: { item: target } } });
      expect(session.get().loaded).toBe(before);
    }
    expect(await session.seal('step.seal')).toBe(false);
    expect(session.get().refusal).toMatchObject({ target: 'step.seal', refusal: { key: 'refusal.handedOver' } });
    expect(await session.dispatch('form.opinion', { type: 'set', item: 'form.opinion', value: '很好' })).toBe(true);
    expect(session.get().loaded.state.answers['form.opinion']).toBe('很好');
    expect(session.get().loaded.state.answers['form.fault-found']).toBe('碳刷磨损');
  });

  it('hands over after the writes before it, and back: the technician may act again', async () => {
    const { session } = await atSign();
    // typed just before the hand-over: saved as the technician's, not refused
    const typed = session.dispatch('form.work-done', { type: 'set', item: 'form.work-done', value: '更换碳刷' });
    const handed = session.handTo('customer');
    expect(await typed).toBe(true);
    await handed;
    expect(await session.dispatch('form.work-done', { type: 'set', item: 'form.work-done', value: '改过' })).toBe(false);
    await session.handTo('technician');
    expect(session.get()).toMatchObject({ holder: 'technician', refusal: null });
    expect(await session.dispatch('form.work-done', { type: 'set', item: 'form.work-done', value: '更换碳刷，清理刷盘' })).toBe(true);
    expect(session.get().loaded.state.answers['form.work-done']).toBe('更换碳刷，清理刷盘');
  });
});
