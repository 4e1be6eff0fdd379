// The public verify endpoint on one adapter: a customer copy's form id and seal, asked without any
// sign-in. A genuine copy, an altered seal, a rival submission's seal, an unknown form and a malformed
// code each get their own answer; nothing personal is ever in one; the rate limit is per address and
// shared by every server process on the database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SubmittedForm } from '../../src/domain/form-schema';
import { PUBLIC_VERIFY_API, parseVerifyAnswer } from '../../src/domain/verify-link';
import type { Storage } from '../../src/server/storage/storage';
import { openHarness, type Harness } from './api-harness';
import { makeForm, makeRival, type StorageFactory } from './helpers';
import { answerOf } from '../fixtures/visits';

/** A seal with one hex digit changed: what an altered (or forged) copy carries. */
const alteredSeal = (seal: string) => `${seal.slice(0, 10)}${seal[10] === '0' ? '1' : '0'}${seal.slice(11)}`;

export function describeVerifyApi(name: string, factory: StorageFactory): void {
  describe(`public verify API: ${name}`, () => {
    let h: Harness;
    let submitted: SubmittedForm;
    beforeEach(async () => {
      h = await openHarness(factory, { clientAddress: (c) => c.req.header('x-test-client') ?? 'one-client' });
      const token = await h.enroll('tech-1', '张师傅');
      submitted = await makeForm();
      expect((await h.submit(token, [submitted])).body.results[0].status).toBe('accepted');
    });
    afterEach(async () => {
      await h.close();
    });

    const ask = (json: unknown, harness = h, client = 'one-client') =>
      harness.call('POST', PUBLIC_VERIFY_API, { token: null, json, headers: { 'x-test-client': client } });

    it('says a genuine copy is held and its seal verifies: the date, the equipment, the technician, no device signature recorded', async () => {
      const { form } = submitted;
      const answer = await ask({ form: form.id, seal: form.seal.hash });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        result: 'held',
        formId: form.id,
        seal: 'verified',
        visitDate: form.visit.date,
        sealedAt: form.sealedAt,
        equipment: { type: '洗扫车', model: 'XS-5000' },
        technicianName: '张师傅',
        deviceSignature: 'not-recorded',
      });
      expect(parseVerifyAnswer(answer.body)).toEqual(answer.body);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('set-cookie')).toBeNull();
    });

    it('carries nothing personal: no customer name, phone or address, no answers, no signer, no signature', async () => {
      const { form } = submitted;
      const answer = await ask({ form: form.id, seal: form.seal.hash });
      expect(answer.body.result).toBe('held');
      const personal = [
        form.customer.name, form.customer.phone, form.customer.address, form.equipment.serial, form.visit.id,
        ...(['customer-account', 'fault-found', 'work-done', 'customer-opinion', 'signer-name'] as const).map((role) => answerOf<string>(form, role)!),
        form.signature.sha256, form.technician.id,
      ];
      for (const text of personal) expect(text.length, 'the fixture gives each field some text').toBeGreaterThan(0);
      for (const text of personal) expect(answer.text, `the answer must not hold ${text}`).not.toContain(text);
      expect(Object.keys(answer.body).sort()).toEqual(['deviceSignature', 'equipment', 'formId', 'result', 'seal', 'sealedAt', 'technicianName', 'visitDate']);
      expect(Object.keys(answer.body.equipment).sort()).toEqual(['model', 'type']);
    });

    it('says a seal that differs from the held form\'s is not that form, and gives none of its facts', async () => {
      const { form } = submitted;
      const answer = await ask({ form: form.id, seal: alteredSeal(form.seal.hash) });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ result: 'seal-differs', formId: form.id });
      expect(answer.text).not.toContain('张师傅');
      expect(answer.text).not.toContain(form.visit.date);
    });

    it('says the seal of a second, different submission of the same form is a conflict kept aside', async () => {
      const token = await h.enroll('tech-1', '张师傅');
      const rival = await makeRival(submitted);
      expect((await h.submit(token, [rival])).body.results[0].status).toBe('conflict');
      const answer = await ask({ form: rival.form.id, seal: rival.form.seal.hash });
      expect(answer.body).toEqual({ result: 'conflict', formId: rival.form.id });
      // the first one is still the form held
      expect((await ask({ form: submitted.form.id, seal: submitted.form.seal.hash })).body).toMatchObject({ result: 'held', seal: 'verified' });
    });

    it('says an unknown form is not held', async () => {
      const other = await makeForm({ seed: 2 });
      const answer = await ask({ form: other.form.id, seal: other.form.seal.hash });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ result: 'unknown', formId: other.form.id });
    });

    it('refuses a malformed code with 400 malformed-code, naming each part that is wrong', async () => {
      const { form } = submitted;
      const cases: Array<[unknown, string[]]> = [
        [{ form: form.id, seal: form.seal.hash.slice(0, 63) }, ['seal']],
        [{ form: form.id, seal: form.seal.hash.toUpperCase() }, ['seal']],
        [{ form: form.id.slice(1), seal: form.seal.hash }, ['form']],
        [{ form: `${form.id}' OR 1=1 --`, seal: form.seal.hash }, ['form']],
        [{ seal: form.seal.hash }, ['form']],
        [{ form: 42, seal: null }, ['form', 'seal']],
        [{ form: form.id, seal: form.seal.hash, customer: 'x' }, ['customer']],
        [[form.id, form.seal.hash], ['form', 'seal']],
      ];
      for (const [json, paths] of cases) {
        const answer = await ask(json);
        expect(answer.status, JSON.stringify(json)).toBe(400);
        expect(answer.body.error.code).toBe('malformed-code');
        expect(answer.body.error.message).toMatch(/altered or cut/);
        expect(answer.body.error.errors.map((e: { path: string }) => e.path), JSON.stringify(json)).toEqual(paths);
      }
      const notJson = await h.call('POST', PUBLIC_VERIFY_API, { token: null, body: 'f=1&s=2', headers: { 'content-type': 'application/json' } });
      expect(notJson.status).toBe(400);
      expect(notJson.body.error.code).toBe('malformed-json');
      const huge = await ask({ form: form.id, seal: 'a'.repeat(5000) });
      expect(huge.status).toBe(413);
    });

    it('says a held form whose stored copy no longer matches its seal does not verify', async () => {
      // the same database, read through a storage whose form row was changed behind the server's back
      const changed: Storage = Object.create(h.storage, {
        getForm: {
          value: async (id: string) => {
            const stored = await h.storage.getForm(id);
            return stored && { ...stored, formJson: stored.formJson.replace(answerOf<string>(submitted.form, 'work-done')!, '改过的维修内容') };
          },
        },
      });
      const behind = await openHarness(async () => changed);
      const answer = await ask({ form: submitted.form.id, seal: submitted.form.seal.hash }, behind);
      expect(answer.body).toMatchObject({ result: 'held', seal: 'failed', deviceSignature: 'not-recorded' });
    });

    it('keeps the code out of the request log', async () => {
      const { form } = submitted;
      await ask({ form: form.id, seal: form.seal.hash });
      const lines = h.logs.filter((line) => line.includes(PUBLIC_VERIFY_API));
      expect(lines).toEqual([`POST ${PUBLIC_VERIFY_API} 200 ${lines[0]?.split(' ').pop()}`]);
      expect(h.logs.join('\n')).not.toContain(form.seal.hash);
    });

    it('limits each client address, with 429 and Retry-After, counted in the database for every server process', async () => {
      const limits = { clientAddress: (c: { req: { header(name: string): string | undefined } }) => c.req.header('x-test-client') ?? '?', verifyRateLimit: { max: 3, windowMs: 60_000 } };
      const first = await openHarness(async () => h.storage, limits);
      const second = await openHarness(async () => h.storage, limits);
      const code = { form: submitted.form.id, seal: submitted.form.seal.hash };
      const statuses = [];
      for (const harness of [first, second, first]) statuses.push((await ask(code, harness, 'busy-client')).status);
      expect(statuses).toEqual([200, 200, 200]);
      const limited = await ask(code, second, 'busy-client');
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('rate-limited');
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // a malformed code counts too: guessing is what the limit is for
      expect((await ask({ form: 'x' }, first, 'busy-client')).status).toBe(429);
      // another address is not held back
      expect((await ask(code, first, 'other-client')).body.result).toBe('held');
      // and the window ends
      first.clock.advance(60_000);
      second.clock.advance(60_000);
      expect((await ask(code, second, 'busy-client')).status).toBe(200);
    });
  });
}
