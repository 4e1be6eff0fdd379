// The sync engine's life: one run at a time, nothing lost to a crash, and the triggers that start runs.
import { describe, expect, it, vi } from 'vitest';
import { getForm } from '../../src/device/outbox';
import { createSyncEngine, SYNC_DEFAULTS } from '../../src/sync/sync-engine';
import { engineRig, manualTimers, queueSealedForm, T0 } from './support';

// the engine's runs go through fake-indexeddb, many event-loop turns each: on a loaded machine that can take
// far longer than vi.waitFor's default 1 s, so each wait gets a generous bound (it returns as soon as the event comes)
const EVENTUALLY = { timeout: 15_000, interval: 20 };

describe('one run at a time', () => {
  it('sends once when syncNow is called twice at once', async () => {
    const { db, server, engine } = await engineRig();
    const form = await queueSealedForm(db);
    const [a, b] = await Promise.all([engine.syncNow('start'), engine.syncNow('online')]);
    expect(server.requests).toHaveLength(1);
    expect(a).toBe(b);
    expect(a).toMatchObject({ sent: 1, synced: 1 });
    expect(server.inserts).toEqual([form.formId]);
  });

  it('picks up a form sealed while a run is under way before the run ends', async () => {
    const { db, server, engine } = await engineRig();
    await queueSealedForm(db);
    let joined: Promise<unknown> | undefined;
    let second: string | undefined;
    const ordinary = server.respond;
    server.script.push(async (request, s) => {
      second = (await queueSealedForm(db, { seed: 2 })).formId;
      joined = engine.notifySealed();
      return ordinary(request, s);
    });
    const report = await engine.syncNow('start');
    expect(await joined).toBe(report);
    expect(server.requests.map((r) => r.formIds.length)).toEqual([1, 1]);
    expect((await getForm(db, second!))?.status).toBe('synced');
    expect(report).toMatchObject({ synced: 2 });
  });

  it('tells the UI when a run starts, when forms change, and when it ends', async () => {
    const { db, engine, states } = await engineRig();
    await queueSealedForm(db);
    const report = await engine.syncNow('test');
    expect(states[0]).toMatchObject({ running: true });
    expect(states.at(-1)).toEqual({ running: false, enrollmentNeeded: false, lastReport: report });
    expect(states.length).toBeGreaterThanOrEqual(3);
  });
});

describe('nothing is lost', () => {
  it('resends a form whose answer was lost after the server stored it; the server has it exactly once', async () => {
    const { db, server, engine, clock } = await engineRig();
    const form = await queueSealedForm(db);
    server.script.push((request, s) => {
      s.answer(request); // the server stores the form…
      throw new TypeError('network connection lost'); // …and the answer never arrives
    });
    expect(await engine.syncNow('first')).toMatchObject({ synced: 0, stopped: 'offline' });
    expect(await getForm(db, form.formId)).toMatchObject({ status: 'queued', attempts: 1 });

    expect(await engine.syncNow('too soon')).toMatchObject({ sent: 0 });
    clock.advance(1_000);
    expect(await engine.syncNow('later')).toMatchObject({ sent: 1, synced: 1 });
    expect(await getForm(db, form.formId)).toMatchObject({ status: 'synced', serverStatus: 'duplicate' });
    expect(server.inserts).toEqual([form.formId]);
  });

  it('resends, on the next start, a form left sending when the page died mid-request', async () => {
    const { db, server, engine } = await engineRig();
    const form = await queueSealedForm(db);
    server.script.push((request, s) => {
      s.answer(request);
      return new Promise<Response>(() => {}); // the page dies before the answer
    });
    void engine.syncNow('before the crash');
    await vi.waitFor(() => expect(server.requests).toHaveLength(1), EVENTUALLY);
    expect((await getForm(db, form.formId))?.status).toBe('sending');

    const reopened = createSyncEngine({
      db, fetch: server.fetch, baseUrl: 'https://onsite.test', getToken: () => 'tok-1', now: () => T0,
      setTimer: manualTimers().setTimer, network: { isOnline: () => true, onOnline: () => () => {} },
    });
    expect(await reopened.start()).toMatchObject({ sent: 1, synced: 1 });
    expect(await getForm(db, form.formId)).toMatchObject({ status: 'synced', serverStatus: 'duplicate' });
    expect(server.inserts).toEqual([form.formId]);
  });
});

describe('triggers', () => {
  it('syncs on start and on every online event until stopped', async () => {
    const { db, server, engine, net } = await engineRig();
    await queueSealedForm(db);
    expect(await engine.start()).toMatchObject({ reason: 'start', synced: 1 });
    expect(net.listeners.size).toBe(1);

    const later = await queueSealedForm(db, { seed: 2 });
    for (const listener of net.listeners) listener();
    // the form is marked synced before its run ends and reports: wait for the report, the end of the run
    await vi.waitFor(() => expect(engine.state()).toMatchObject({ running: false, lastReport: { reason: 'online' } }), EVENTUALLY);
    expect((await getForm(db, later.formId))?.status).toBe('synced');

    engine.stop();
    expect(net.listeners.size).toBe(0);
    expect(server.requests).toHaveLength(2);
  });

  it('after a failed run, looks again at the earliest retry, and waits while offline', async () => {
    const { db, server, engine, timers, clock, net } = await engineRig();
    const form = await queueSealedForm(db);
    server.script.push(() => { throw new TypeError('Failed to fetch'); });
    await engine.start();
    expect(timers.delays()).toEqual([1_000]);

    net.online = false;
    clock.advance(1_000);
    timers.fire(1_000);
    await vi.waitFor(() => expect(timers.delays()).toEqual([SYNC_DEFAULTS.periodMs]), EVENTUALLY);
    expect(server.requests).toHaveLength(1);

    net.online = true;
    timers.fire(SYNC_DEFAULTS.periodMs);
    await vi.waitFor(async () => expect((await getForm(db, form.formId))?.status).toBe('synced'), EVENTUALLY);
    await vi.waitFor(() => expect(engine.state().running).toBe(false), EVENTUALLY);
    expect(timers.delays()).toEqual([]);
  });

  it('looks at the outbox at least once a period while a form waits for a long backoff', async () => {
    const { db, engine, timers } = await engineRig();
    await queueSealedForm(db, { nextAttemptAt: T0 + 10 * 60_000, attempts: 9 });
    await engine.start();
    expect(timers.delays()).toEqual([SYNC_DEFAULTS.periodMs]);
  });

  it('sets no timer when nothing is queued, nor while enrollment is needed', async () => {
    const { db, engine, timers, auth } = await engineRig();
    await engine.start();
    expect(timers.delays()).toEqual([]);
    auth.token = null;
    await queueSealedForm(db);
    await engine.notifySealed();
    expect(timers.delays()).toEqual([]);
  });

  it('stop cancels the pending timer', async () => {
    const { db, server, engine, timers } = await engineRig();
    await queueSealedForm(db);
    server.script.push(() => { throw new TypeError('Failed to fetch'); });
    await engine.start();
    expect(timers.delays()).toHaveLength(1);
    engine.stop();
    expect(timers.delays()).toEqual([]);
  });

  it('asks for a Background Sync wake-up when a run could not reach the server', async () => {
    const requestWakeUp = vi.fn(async () => true);
    const { db, server, engine } = await engineRig({ requestWakeUp });
    await queueSealedForm(db);
    server.script.push(() => { throw new TypeError('Failed to fetch'); });
    await engine.notifySealed();
    expect(requestWakeUp).toHaveBeenCalledTimes(1);
    await queueSealedForm(db, { seed: 2 });
    await engine.notifySealed();
    expect(requestWakeUp).toHaveBeenCalledTimes(1);
  });
});
