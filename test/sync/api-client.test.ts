import { describe, expect, it } from 'vitest';
import { apiUrl, callApi, MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/sync/api-client';
import { apiError, json, manualTimers } from './support';

const NOW = Date.parse('2026-03-10T02:00:00.000Z');

describe('apiUrl', () => {
  it('joins the server and the path without doubling the slash', () => {
    expect(apiUrl('https://onsite.test', '/api/v1/forms')).toBe('https://onsite.test/api/v1/forms');
    expect(apiUrl('https://onsite.test/x//', '/api/v1/forms')).toBe('https://onsite.test/x/api/v1/forms');
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW - 30_000).toUTCString(), NOW)).toBe(0);
    for (const bad of [null, '', 'soon', '-5', '1.5']) expect(parseRetryAfter(bad, NOW)).toBeNull();
  });

  it('honours at most an hour', () => {
    expect(parseRetryAfter('86400', NOW)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('callApi', () => {
  const timers = manualTimers();
  const call = (fetch: (u: string, i?: RequestInit) => Promise<Response>) => callApi(fetch, 'https://onsite.test/x', { method: 'GET' }, 5_000, timers.setTimer);

  it('gives the JSON of a 2xx, and undefined when it is not JSON', async () => {
    expect(await call(async () => json({ ok: 1 }))).toMatchObject({ ok: true, status: 200, json: { ok: 1 } });
    expect(await call(async () => new Response('<html>', { status: 200 }))).toMatchObject({ ok: true, json: undefined });
  });

  it('gives the ApiError\'s sentence of a non-2xx, or the status when the body is not one', async () => {
    expect(await call(async () => apiError(429, 'slow down', { 'Retry-After': '9' }))).toMatchObject({ ok: false, status: 429, message: 'slow down', retryAfter: '9' });
    expect((await call(async () => new Response('oops', { status: 502, statusText: 'Bad Gateway' }))).message).toBe('the server answered 502 Bad Gateway');
  });

  it('abandons a request that hangs past its deadline, and aborts the fetch', async () => {
    let signal: AbortSignal | undefined;
    const pending = call((_, init) => {
      signal = init?.signal ?? undefined;
      return new Promise<Response>(() => {});
    });
    expect(timers.delays()).toEqual([5_000]);
    timers.fire(5_000);
    await expect(pending).rejects.toThrow('no answer from the server within 5 s');
    expect(signal?.aborted).toBe(true);
  });

  it('cancels its deadline once answered', async () => {
    await call(async () => json({}));
    expect(timers.delays()).toEqual([]);
  });
});
