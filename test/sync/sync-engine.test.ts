// The sync engine's answers: what each server answer does to each form.
import { describe, expect, it } from 'vitest';
import { API_LIMITS } from '../../src/domain/api';
import { getForm, listForms } from '../../src/device/outbox';
import { apiError, engineRig, json, queueSealedForm, T0 } from './support';

const iso = (t: number) => new Date(t).toISOString();

describe('a server that answers', () => {
  it('sends due forms with the token and the device time, and marks each synced with the server\'s word', async () => {
    const { db, server, engine } = await engineRig();
    const fresh = await queueSealedForm(db);
    const known = await queueSealedForm(db);
    const altered = await queueSealedForm(db);
    server.stored.set(known.formId, known.form.seal.hash);
    server.stored.set(altered.formId, 'f'.repeat(64));

    const report = await engine.syncNow('test');

    expect(report).toEqual({ reason: 'test', sent: 3, synced: 3, rejected: 0, held: 0, retrying: 0, stopped: null, error: null });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.url).toBe('https://onsite.test/api/v1/forms');
    expect(server.requests[0]!.headers.get('Authorization')).toBe('Bearer tok-1');
    expect(server.requests[0]!.headers.get('X-Device-Time')).toBe(iso(T0));
    expect(await getForm(db, fresh.formId)).toMatchObject({ status: 'synced', serverStatus: 'accepted', syncedAt: iso(T0) });
    expect(await getForm(db, known.formId)).toMatchObject({ status: 'synced', serverStatus: 'duplicate' });
    expect(await getForm(db, altered.formId)).toMatchObject({ status: 'synced', serverStatus: 'conflict' });
  });

  it('sends the signature bytes as base64 beside the sealed form', async () => {
    const { db, server, engine } = await engineRig();
    const form = await queueSealedForm(db, { seed: 3 });
    await engine.syncNow('test');
    const sent = (server.requests[0]!.body as { forms: Array<{ form: unknown; signaturePng: string }> }).forms[0]!;
    const signature = await db.get('signatures', form.formId);
    expect(sent.form).toEqual(form.form);
    expect(Buffer.from(sent.signaturePng, 'base64')).toEqual(Buffer.from(signature!.bytes));
  });

  it(`sends at most ${API_LIMITS.maxBatch} forms a request, oldest sealed first`, async () => {
    const { db, server, engine } = await engineRig();
    const forms = [];
    for (let i = 0; i < API_LIMITS.maxBatch + 1; i++) forms.push(await queueSealedForm(db, { sealedAt: iso(T0 - (100 - i) * 60_000) }));
    const report = await engine.syncNow('test');
    expect(server.requests.map((r) => r.formIds.length)).toEqual([API_LIMITS.maxBatch, 1]);
    expect(server.requests[1]!.formIds).toEqual([forms[API_LIMITS.maxBatch]!.formId]);
    expect(report.synced).toBe(API_LIMITS.maxBatch + 1);
  });

  it('keeps a rejected form with the server\'s reasons, and still syncs the others of the batch', async () => {
    const { db, server, engine } = await engineRig();
    const bad = await queueSealedForm(db, { sealedAt: iso(T0 - 2) });
    const good = await queueSealedForm(db, { sealedAt: iso(T0 - 1) });
    const errors = [{ path: 'forms[0].form.seal.hash', message: 'the seal does not match the form' }];
    server.script.push(() => json({ results: [{ index: 0, id: bad.formId, status: 'rejected', errors }, { index: 1, id: good.formId, status: 'accepted' }] }));
    const report = await engine.syncNow('test');
    expect(report).toMatchObject({ synced: 1, rejected: 1 });
    expect(await getForm(db, bad.formId)).toMatchObject({ status: 'rejected', rejection: errors });
    expect((await getForm(db, good.formId))?.status).toBe('synced');
    await engine.syncNow('again');
    expect(server.requests).toHaveLength(1);
  });

  it('leaves a form the server said nothing about in the queue, with a backoff', async () => {
    const { db, server, engine } = await engineRig();
    const answered = await queueSealedForm(db, { sealedAt: iso(T0 - 3) });
    const unanswered = await queueSealedForm(db, { sealedAt: iso(T0 - 2) });
    const misnamed = await queueSealedForm(db, { sealedAt: iso(T0 - 1) });
    server.script.push(() => json({ results: [{ index: 0, id: answered.formId, status: 'accepted' }, { index: 2, id: unanswered.formId, status: 'accepted' }] }));
    const report = await engine.syncNow('test');
    expect(report).toMatchObject({ synced: 1, retrying: 2 });
    for (const f of [unanswered, misnamed]) {
      expect(await getForm(db, f.formId)).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: T0 + 1_000, lastError: 'the server did not answer for this form' });
    }
  });

  it('marks nothing synced on a malformed answer', async () => {
    const { db, server, engine } = await engineRig();
    const form = await queueSealedForm(db);
    server.script.push(() => json({ results: [{ index: 0, id: form.formId, status: 'accepted', extra: true }] }));
    const report = await engine.syncNow('test');
    expect(report).toMatchObject({ synced: 0, retrying: 1, stopped: 'server-unavailable' });
    expect(await getForm(db, form.formId)).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringContaining('could not be read') });
    expect(server.stored.size).toBe(0);
  });
});

describe('a server that does not answer for the forms', () => {
  it('backs off after a network error and stops the run, leaving later batches untouched', async () => {
    const { db, server, engine } = await engineRig();
    for (let i = 0; i <= API_LIMITS.maxBatch; i++) await queueSealedForm(db, { sealedAt: iso(T0 - (100 - i)) });
    server.script.push(() => { throw new TypeError('Failed to fetch'); });
    const report = await engine.syncNow('test');
    expect(report).toMatchObject({ sent: API_LIMITS.maxBatch, retrying: API_LIMITS.maxBatch, stopped: 'offline', error: 'could not reach the server: Failed to fetch' });
    expect(server.requests).toHaveLength(1);
    const queued = await listForms(db, 'queued');
    expect(queued.filter((f) => f.attempts === 1 && f.nextAttemptAt === T0 + 1_000)).toHaveLength(API_LIMITS.maxBatch);
    expect(queued.filter((f) => f.attempts === 0)).toHaveLength(1);
  });

  it('backs off on 5xx, 408 and 429, and honours Retry-After', async () => {
    for (const [status, headers, next] of [[500, {}, T0 + 1_000], [503, { 'Retry-After': '120' }, T0 + 120_000], [408, {}, T0 + 1_000], [429, { 'Retry-After': '30' }, T0 + 30_000]] as const) {
      const { db, server, engine } = await engineRig();
      const form = await queueSealedForm(db);
      server.script.push(() => apiError(status, `status ${status}`, headers));
      expect(await engine.syncNow('test')).toMatchObject({ stopped: 'server-unavailable', error: `status ${status}` });
      expect(await getForm(db, form.formId)).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: next, lastError: `status ${status}` });
    }
  });

  it('stops on 401: forms stay queued, enrollment is needed, and the refused token is not sent again', async () => {
    const { db, server, engine, auth } = await engineRig();
    const form = await queueSealedForm(db);
    server.script.push(() => apiError(401, 'this token was revoked'));
    expect(await engine.syncNow('test')).toMatchObject({ stopped: 'enrollment-needed', error: 'this token was revoked', synced: 0 });
    expect(await getForm(db, form.formId)).toMatchObject({ status: 'queued', attempts: 0, nextAttemptAt: 0 });
    expect(engine.state().enrollmentNeeded).toBe(true);

    expect(await engine.syncNow('again')).toMatchObject({ stopped: 'enrollment-needed', sent: 0 });
    expect(server.requests).toHaveLength(1);

    auth.token = 'tok-2';
    expect(await engine.syncNow('enrolled')).toMatchObject({ stopped: null, synced: 1 });
    expect(server.requests[1]!.headers.get('Authorization')).toBe('Bearer tok-2');
    expect(engine.state().enrollmentNeeded).toBe(false);
  });

  it('asks for enrollment without a request when the phone has no token', async () => {
    const { db, server, engine, auth } = await engineRig();
    auth.token = null;
    await queueSealedForm(db);
    expect(await engine.syncNow('test')).toMatchObject({ stopped: 'enrollment-needed', error: 'this phone is not enrolled' });
    expect(server.requests).toHaveLength(0);
  });

  it('splits a batch the server finds too large, and holds a form still too large alone', async () => {
    const { db, server, engine } = await engineRig();
    const forms = [];
    for (let i = 0; i < 4; i++) forms.push(await queueSealedForm(db, { sealedAt: iso(T0 - 10 + i) }));
    const big = forms[2]!.formId;
    const ordinary = server.respond;
    server.respond = (request, s) => (request.formIds.includes(big) || request.formIds.length > 2 ? apiError(413, 'the signature is larger than 512 KB') : ordinary(request, s));

    const report = await engine.syncNow('test');

    expect(server.requests.map((r) => r.formIds.length)).toEqual([4, 2, 2, 1, 1]);
    expect(report).toMatchObject({ sent: 4, synced: 3, held: 1, error: 'the signature is larger than 512 KB', stopped: null });
    expect(await getForm(db, big)).toMatchObject({ status: 'held', lastError: 'the signature is larger than 512 KB' });
    for (const f of [forms[0]!, forms[1]!, forms[3]!]) expect((await getForm(db, f.formId))?.status).toBe('synced');
  });

  it('returns the untried half of a split batch to the queue when the first half finds the network gone', async () => {
    const { db, server, engine } = await engineRig();
    const forms = [];
    for (let i = 0; i < 4; i++) forms.push(await queueSealedForm(db, { sealedAt: iso(T0 - 10 + i) }));
    server.script.push(() => apiError(413, 'too large'), () => { throw new TypeError('Failed to fetch'); });
    expect(await engine.syncNow('test')).toMatchObject({ stopped: 'offline' });
    expect((await listForms(db, 'queued')).map((f) => [f.formId, f.attempts])).toEqual(forms.map((f, i) => [f.formId, i < 2 ? 1 : 0]));
  });

  it('holds a form whose signature bytes are missing on the phone, and sends the rest', async () => {
    const { db, server, engine } = await engineRig();
    const orphan = await queueSealedForm(db);
    const fine = await queueSealedForm(db);
    await db.delete('signatures', orphan.formId);
    expect(await engine.syncNow('test')).toMatchObject({ synced: 1, held: 1 });
    expect(server.requests[0]!.formIds).toEqual([fine.formId]);
    expect(await getForm(db, orphan.formId)).toMatchObject({ status: 'held', lastError: 'the signature of this form is missing on this phone' });
  });

  it('abandons a request that hangs and retries the forms later', async () => {
    const { db, server, engine, timers } = await engineRig({ requestTimeoutMs: 90_000 });
    const form = await queueSealedForm(db);
    let started!: () => void;
    const requestStarted = new Promise<void>((resolve) => { started = resolve; });
    server.script.push(() => {
      started();
      return new Promise<Response>(() => {});
    });
    const running = engine.syncNow('test');
    await requestStarted;
    timers.fire(90_000);
    expect(await running).toMatchObject({ stopped: 'offline', error: 'could not reach the server: no answer from the server within 90 s' });
    expect(await getForm(db, form.formId)).toMatchObject({ status: 'queued', attempts: 1 });
  });

  it('reports a failure of the phone\'s storage instead of throwing', async () => {
    const { db, engine } = await engineRig();
    await queueSealedForm(db);
    db.close();
    expect(await engine.syncNow('test')).toMatchObject({ stopped: 'device-error', error: expect.stringContaining('the phone\'s storage failed') });
    expect(engine.state().running).toBe(false);
  });

  it('puts a form back in the queue when storage fails while the answer is applied; the resend lands once', async () => {
    const { db: real, server } = await engineRig();
    let failNext = false;
    // the same database, except that the next transaction fails once, as a full disk does
    const db = new Proxy(real, {
      get(target, prop) {
        if (prop === 'transaction' && failNext) {
          failNext = false;
          return () => { throw new DOMException('the disk is full', 'QuotaExceededError'); };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const { engine } = await engineRig({ db, fetch: server.fetch });
    const form = await queueSealedForm(real);
    const ordinary = server.respond;
    server.script.push((request, s) => {
      failNext = true;
      return ordinary(request, s);
    });
    expect(await engine.syncNow('test')).toMatchObject({ stopped: 'device-error', error: 'the phone\'s storage failed: the disk is full' });
    expect((await getForm(real, form.formId))?.status).toBe('queued');
    expect(await engine.syncNow('again')).toMatchObject({ synced: 1 });
    expect(await getForm(real, form.formId)).toMatchObject({ status: 'synced', serverStatus: 'duplicate' });
    expect(server.inserts).toEqual([form.formId]);
  });
});
