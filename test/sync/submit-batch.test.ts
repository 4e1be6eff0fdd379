import { describe, expect, it } from 'vitest';
import { matchResults, packBatches, submitBatch, toOutgoing, type OutgoingForm } from '../../src/sync/submit-batch';
import { submittedForm } from '../fixtures/visits';
import { apiError, createFakeServer, json, manualTimers, T0 } from './support';

const form = (formId: string, bytes: number): OutgoingForm => ({ formId, json: '{}', bytes });

describe('packBatches', () => {
  it('keeps the order and puts at most maxCount forms in a batch', () => {
    const forms = ['a', 'b', 'c', 'd', 'e'].map((id) => form(id, 10));
    expect(packBatches(forms, 1_000, 2).map((b) => b.map((f) => f.formId))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('keeps each body within maxBytes, counting the envelope and the commas', () => {
    // envelope {"forms":[]} is 12 bytes: 12 + 40 + 1 + 40 = 93 fits in 93, a third form does not
    const forms = ['a', 'b', 'c'].map((id) => form(id, 40));
    expect(packBatches(forms, 93, 50).map((b) => b.length)).toEqual([2, 1]);
    expect(packBatches(forms, 92, 50).map((b) => b.length)).toEqual([1, 1, 1]);
  });

  it('sends a form too big on its own alone, for the server to judge', () => {
    expect(packBatches([form('a', 10), form('big', 500), form('b', 10)], 100, 50).map((b) => b.map((f) => f.formId))).toEqual([['a'], ['big'], ['b']]);
  });

  it('measures a form in UTF-8 bytes, not characters', async () => {
    const submitted = await submittedForm();
    const out = toOutgoing(submitted);
    expect(out.formId).toBe(submitted.form.id);
    expect(JSON.parse(out.json)).toEqual(submitted);
    expect(out.bytes).toBe(Buffer.byteLength(out.json, 'utf8'));
    expect(out.bytes).toBeGreaterThan(out.json.length); // the form holds Chinese text
  });
});

describe('matchResults', () => {
  const batch = [form('a', 1), form('b', 1), form('c', 1)];
  it('lines results up by index, whatever their order', () => {
    const answers = matchResults(batch, [
      { index: 2, id: 'c', status: 'conflict' }, { index: 0, id: 'a', status: 'accepted' }, { index: 1, id: null, status: 'rejected', errors: [] },
    ]);
    expect(answers.map((a) => a?.status)).toEqual(['accepted', 'rejected', 'conflict']);
  });

  it('treats a missing result, or one naming another form, as no answer; the first of two results for an index wins', () => {
    const answers = matchResults(batch, [
      { index: 0, id: 'b', status: 'accepted' }, { index: 1, id: 'b', status: 'duplicate' }, { index: 1, id: 'b', status: 'accepted' },
    ]);
    expect(answers.map((a) => a?.status)).toEqual([undefined, 'duplicate', undefined]);
  });
});

describe('submitBatch', () => {
  const timers = manualTimers();
  async function send(respond?: (r: unknown) => Response | Promise<Response>) {
    const server = createFakeServer();
    if (respond) server.script.push(respond);
    const submitted = await submittedForm();
    const outcome = await submitBatch({
      fetch: server.fetch, url: 'https://onsite.test/api/v1/forms', token: 'tok-1', now: T0, batch: [toOutgoing(submitted)], timeoutMs: 60_000, setTimer: timers.setTimer,
    });
    return { outcome, server, submitted };
  }

  it('posts the batch as JSON with the bearer token and the device time', async () => {
    const { outcome, server, submitted } = await send();
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://onsite.test/api/v1/forms');
    expect(request.headers.get('Authorization')).toBe('Bearer tok-1');
    expect(request.headers.get('X-Device-Time')).toBe(new Date(T0).toISOString());
    expect(request.headers.get('Content-Type')).toBe('application/json');
    expect(request.body).toEqual({ forms: [submitted] });
    expect(outcome).toMatchObject({ kind: 'answered', answers: [{ index: 0, id: submitted.form.id, status: 'accepted' }] });
  });

  it('classifies the answers that stop or delay a batch', async () => {
    expect((await send(() => apiError(401, 'token revoked'))).outcome).toEqual({ kind: 'unauthorized', error: 'token revoked' });
    expect((await send(() => apiError(413, 'batch too large'))).outcome).toEqual({ kind: 'too-large', error: 'batch too large' });
    for (const status of [500, 503, 408, 400, 403]) {
      expect((await send(() => apiError(status, `status ${status}`))).outcome).toEqual({ kind: 'retry-later', error: `status ${status}`, offline: false, retryAfterMs: null });
    }
    expect((await send(() => apiError(429, 'slow down', { 'Retry-After': '30' }))).outcome).toMatchObject({ kind: 'retry-later', retryAfterMs: 30_000 });
  });

  it('treats a thrown fetch as offline', async () => {
    const { outcome } = await send(() => { throw new TypeError('Failed to fetch'); });
    expect(outcome).toEqual({ kind: 'retry-later', error: 'could not reach the server: Failed to fetch', offline: true, retryAfterMs: null });
  });

  it('does not trust a 2xx answer it cannot read', async () => {
    const notJson = (await send(() => new Response('<html>proxy login</html>', { status: 200 }))).outcome;
    expect(notJson).toMatchObject({ kind: 'retry-later', offline: false, error: expect.stringContaining('not JSON') });
    const wrongShape = (await send(() => json({ results: [{ index: 0, id: 'x', status: 'stored' }] }))).outcome;
    expect(wrongShape).toMatchObject({ kind: 'retry-later', error: expect.stringContaining('results[0].status') });
  });
});
