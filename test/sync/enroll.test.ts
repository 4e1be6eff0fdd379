import { describe, expect, it } from 'vitest';
import { getTechnician, getToken } from '../../src/device/settings';
import { enroll, EnrollError } from '../../src/sync/enroll';
import { apiError, createFakeServer, json, openTestDb, T0 } from './support';

async function rig(respond: () => Response | Promise<Response>) {
  const db = await openTestDb();
  const server = createFakeServer();
  server.respond = respond;
  const run = (code: string, deviceName?: string) => enroll({ db, fetch: server.fetch, baseUrl: 'https://onsite.test', code, deviceName, now: () => T0 });
  return { db, server, run };
}

async function failure(promise: Promise<unknown>): Promise<EnrollError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EnrollError);
  return error as EnrollError;
}

describe('enroll', () => {
  it('exchanges the code for a token and keeps the token and the technician', async () => {
    const { db, server, run } = await rig(() => json({ token: 'tok-xyz', technician: { id: 'tech-7', name: '李师傅' } }));
    expect(await run(' 4821-9930 ', 'Pixel 7')).toEqual({ id: 'tech-7', name: '李师傅' });
    expect(server.requests[0]).toMatchObject({ url: 'https://onsite.test/api/v1/enroll', method: 'POST', body: { code: '4821-9930', deviceName: 'Pixel 7' } });
    expect(await getToken(db)).toBe('tok-xyz');
    expect(await getTechnician(db)).toEqual({ id: 'tech-7', name: '李师傅' });
  });

  it('refuses an empty or overlong code without asking the server', async () => {
    const { server, run } = await rig(() => json({}));
    for (const code of ['', '   ', 'x'.repeat(65)]) expect((await failure(run(code))).reason).toBe('invalid-code');
    expect(server.requests).toHaveLength(0);
  });

  it('says clearly why the server refused the code', async () => {
    const bad = await failure((await rig(() => apiError(400, 'code: expected 8 digits'))).run('12'));
    expect([bad.reason, bad.message]).toEqual(['invalid-code', 'the server refused the code: code: expected 8 digits']);
    const used = await failure((await rig(() => apiError(401, 'this code was already used'))).run('12345678'));
    expect([used.reason, used.message]).toEqual(['code-not-accepted', 'the code is unknown, expired or already used: this code was already used']);
    const limited = await failure((await rig(() => apiError(429, 'too many attempts', { 'Retry-After': '60' }))).run('12345678'));
    expect([limited.reason, limited.retryAfterMs]).toEqual(['too-many-attempts', 60_000]);
  });

  it('stores nothing when the answer is not a token and a technician, or the server fails', async () => {
    const odd = await rig(() => json({ token: 'tok', technician: { id: 'x' } }));
    expect((await failure(odd.run('12345678'))).reason).toBe('malformed-answer');
    expect(await getToken(odd.db)).toBeUndefined();
    expect((await failure((await rig(() => apiError(500, 'boom'))).run('12345678'))).reason).toBe('server');
    expect((await failure((await rig(() => { throw new TypeError('Failed to fetch'); })).run('12345678'))).reason).toBe('network');
  });
});
