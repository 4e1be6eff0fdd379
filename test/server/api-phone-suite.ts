// The phone's side of the API on one adapter: enrollment, tokens, scoping, and every answer the
// forms endpoint gives, including to bad and hostile input.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API, API_LIMITS } from '../../src/domain/api';
import { LIMITS } from '../../src/domain/form-schema';
import { bodyOf, computeSealHash } from '../../src/domain/seal';
import { rotateAdminToken } from '../../src/server/auth/admin-token';
import { CODE_ALPHABET } from '../../src/server/auth/secrets';
import { openHarness, tampered, type Harness } from './api-harness';
import { HOSTILE, makeForm, makeRival, type StorageFactory } from './helpers';

export function describePhoneApi(name: string, factory: StorageFactory): void {
  describe(`phone API: ${name}`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await openHarness(factory);
    });
    afterEach(async () => {
      await h.close();
    });

    const newCode = async (id = 'tech-1') => {
      await h.call('POST', API.admin.technicians, { json: { id, name: '张师傅' } });
      return (await h.call('POST', `${API.admin.technicians}/${id}/code`)).body as { code: string; expiresAt: string };
    };
    const enrollWith = (code: string) => h.call('POST', API.enroll, { token: null, json: { code } });

    describe('enrollment', () => {
      it('exchanges a one-time code for a token that identifies the technician', async () => {
        const { code, expiresAt } = await newCode();
        expect(code).toHaveLength(10);
        expect([...code].every((ch) => CODE_ALPHABET.includes(ch))).toBe(true);
        expect(expiresAt).toBe('2026-03-11T08:00:00.000Z');
        const enrolled = await enrollWith(`${code.slice(0, 5).toLowerCase()}-${code.slice(5)} `);
        expect(enrolled.status).toBe(200);
        expect(enrolled.body.technician).toEqual({ id: 'tech-1', name: '张师傅' });
        const me = await h.call('GET', API.me, { token: enrolled.body.token });
        expect(me.body).toEqual({ technician: { id: 'tech-1', name: '张师傅' } });
        const listed = await h.call('GET', API.admin.technicians);
        expect(listed.body.technicians[0].enrolledAt).toBe('2026-03-10T08:00:00.000Z');
      });

      it('refuses a code used before', async () => {
        const { code } = await newCode();
        await enrollWith(code);
        const again = await enrollWith(code);
        expect(again.status).toBe(410);
        expect(again.body.error).toMatchObject({ code: 'code-used', message: expect.stringMatching(/already been used/) });
      });

      it('refuses an expired code', async () => {
        const { code } = await newCode();
        h.clock.advance(24 * 60 * 60_000);
        const late = await enrollWith(code);
        expect(late.status).toBe(410);
        expect(late.body.error.code).toBe('code-expired');
      });

      it('locks a code after five wrong attempts, even against the right code', async () => {
        const { code } = await newCode();
        const wrongTail = [...code.slice(4)].map((ch) => (ch === '2' ? '3' : '2')).join('');
        const answers = [];
        for (let i = 0; i < 5; i++) answers.push((await enrollWith(code.slice(0, 4) + wrongTail)).status);
        expect(answers).toEqual([401, 401, 401, 401, 423]);
        const right = await enrollWith(code);
        expect(right.status).toBe(423);
        expect(right.body.error.message).toMatch(/locked/);
      });

      it('answers an unknown or malformed code with 401 and an empty request with 400 naming the field', async () => {
        expect((await enrollWith('ZZZZZZZZZZ')).status).toBe(401);
        expect((await enrollWith('short')).body.error.code).toBe('code-invalid');
        const empty = await h.call('POST', API.enroll, { token: null, json: {} });
        expect(empty.status).toBe(400);
        expect(empty.body.error.errors).toEqual([{ path: 'code', message: expect.stringMatching(/expected string/) }]);
        const extra = await h.call('POST', API.enroll, { token: null, json: { code: 'X', admin: true } });
        expect(extra.body.error.errors[0].message).toMatch(/unknown field "admin"/);
      });

      it('limits attempts per client address, then lets it try again after the window', async () => {
        // its own client address: the count is kept in the database this harness shares
        const limited = await openHarness(async () => h.storage, { enrollRateLimit: { max: 3, windowMs: 60_000 }, clientAddress: () => 'limited-client' });
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await limited.call('POST', API.enroll, { token: null, json: { code: 'ZZZZZZZZZZ' } })));
        expect(statuses.map((s) => s.status)).toEqual([401, 401, 401, 429]);
        expect(statuses[3]!.headers.get('retry-after')).toBe('60');
        expect(statuses[3]!.body.error.message).toMatch(/too many enrollment attempts/);
        limited.clock.advance(60_000);
        expect((await limited.call('POST', API.enroll, { token: null, json: { code: 'ZZZZZZZZZZ' } })).status).toBe(401);
      });

      it('replaces the old token when the technician enrolls again', async () => {
        const first = await h.enroll();
        const second = await h.enroll();
        expect((await h.call('GET', API.me, { token: first })).status).toBe(401);
        expect((await h.call('GET', API.me, { token: second })).status).toBe(200);
      });

      it('refuses a revoked technician\'s token at once, and a new code for them', async () => {
        const token = await h.enroll();
        expect((await h.call('GET', API.visits, { token })).status).toBe(200);
        const revoked = await h.call('POST', `${API.admin.technicians}/tech-1/revoke`);
        expect(revoked.body.technician.revokedAt).toBe('2026-03-10T08:00:00.000Z');
        const refused = await h.call('GET', API.visits, { token });
        expect(refused.status).toBe(401);
        expect(refused.body.error.message).toMatch(/no longer valid/);
        expect((await h.submit(token, [await makeForm()])).status).toBe(401);
        expect((await h.call('POST', `${API.admin.technicians}/tech-1/code`)).status).toBe(409);
      });
    });

    describe('tokens', () => {
      it('refuses the phone endpoints without a token or with a wrong one', async () => {
        for (const token of [null, 'garbage', 'AAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', h.adminToken]) {
          const res = await h.call('GET', API.visits, { token });
          expect(res.status).toBe(401);
          expect(res.body.error.code).toBe('unauthorized');
        }
        expect((await h.call('POST', API.forms, { token: null, json: { forms: [] } })).status).toBe(401);
      });

      it('keeps the back office to the admin token: 401 without, 403 with a technician\'s', async () => {
        const tech = await h.enroll();
        const endpoints: Array<[string, string]> = [
          ['GET', API.admin.technicians], ['POST', API.admin.technicians], ['POST', `${API.admin.technicians}/tech-1/code`],
          ['POST', `${API.admin.technicians}/tech-1/revoke`], ['GET', API.admin.visits], ['POST', API.admin.visits],
          ['POST', API.admin.visitsImport], ['GET', API.admin.forms], ['GET', `${API.admin.forms}/00000000-0000-4000-8000-000000000000`],
          ['GET', `${API.admin.forms}/00000000-0000-4000-8000-000000000000/signature.png`], ['GET', API.admin.disputes],
          ['POST', `${API.admin.disputes}/00000000-0000-4000-8000-000000000000/resolve`], ['GET', API.admin.conflicts],
          ['POST', API.admin.import], ['GET', API.admin.exportCsv], ['GET', API.admin.exportNdjson],
          ['GET', `${API.admin.equipmentHistory}?serial=SN-1`], ['GET', `${API.admin.dashboard}?from=2026-03-01&to=2026-03-31`],
        ];
        for (const [method, path] of endpoints) {
          expect((await h.call(method, path, { token: null })).status, `${method} ${path}`).toBe(401);
          expect((await h.call(method, path, { token: 'not-the-admin-token' })).status, `${method} ${path}`).toBe(401);
          const asTech = await h.call(method, path, { token: tech });
          expect(asTech.status, `${method} ${path}`).toBe(403);
          expect(asTech.body.error.code).toBe('forbidden');
        }
        expect((await h.call('POST', `${API.admin.technicians}/tech-1/revoke`, { token: tech })).status).toBe(403);
        expect((await h.call('GET', API.me, { token: tech })).status).toBe(200);
      });

      it('stops the old admin token as soon as a new one is made', async () => {
        const fresh = await rotateAdminToken(h.storage, h.clock.now());
        const firstAdmin = { name: 'boss', displayName: '主管', role: 'admin', password: 'a long password' };
        expect((await h.call('POST', API.admin.users, { token: h.adminToken, json: firstAdmin })).status).toBe(401);
        // the fresh token is known, and refused only because there is an admin already
        expect((await h.call('POST', API.admin.users, { token: fresh, json: firstAdmin })).body.error.code).toBe('first-admin-exists');
      });
    });

    describe('scoping', () => {
      const visit = (id: string, technicianId: string) => ({
        id, technicianId, scheduledDate: '2026-03-10', firstVisit: false,
        customer: { name: '某市环卫处', phone: '138 0000 0000', address: '某路 1 号' }, equipment: { type: '洗扫车', model: '', serial: '' }, notes: '',
      });

      it('gives each technician only their own open visits', async () => {
        const mine = await h.enroll('tech-1');
        const theirs = await h.enroll('tech-2', '李师傅');
        for (const v of [visit('V-2026-0001', 'tech-1'), visit('V-2', 'tech-1'), visit('V-3', 'tech-2')]) {
          expect((await h.call('POST', API.admin.visits, { json: v })).status).toBe(201);
        }
        expect((await h.call('GET', API.visits, { token: mine })).body.visits.map((v: { id: string }) => v.id)).toEqual(['V-2', 'V-2026-0001']);
        expect((await h.call('GET', API.visits, { token: theirs })).body.visits.map((v: { id: string }) => v.id)).toEqual(['V-3']);
        // the fixture's form is for visit V-2026-0001: once it arrives, the visit leaves the phone's list
        await h.submit(mine, [await makeForm()]);
        expect((await h.call('GET', API.visits, { token: mine })).body.visits.map((v: { id: string }) => v.id)).toEqual(['V-2']);
      });

      it('refuses a form of another technician sent with this technician\'s token; theirs still lands', async () => {
        const mine = await h.enroll('tech-1');
        await h.enroll('tech-2', '李师傅');
        const theirs = await makeForm({ technicianId: 'tech-2' });
        const own = await makeForm();
        const res = await h.submit(mine, [theirs, own]);
        expect(res.body.results[0]).toEqual({
          index: 0, id: theirs.form.id, status: 'rejected',
          errors: [{
            path: 'form.technician.id', message: expect.stringMatching(/technician "tech-2".*technician "tech-1"'s token/),
            reason: { code: 'technician-mismatch', params: { claimed: 'tech-2', sender: 'tech-1' } },
          }],
        });
        expect(res.body.results[1].status).toBe('accepted');
      });
    });

    describe('forms: the four answers', () => {
      it('answers accepted, duplicate, conflict and rejected, in the batch order', async () => {
        const token = await h.enroll();
        const first = await makeForm();
        const rival = await makeRival(first);
        const res = await h.submit(token, [first, first, rival, { form: { id: 'not-a-form' } }]);
        expect(res.status).toBe(200);
        expect(res.body.results).toEqual([
          { index: 0, id: first.form.id, status: 'accepted', receivedAt: '2026-03-10T08:00:00.000Z' },
          { index: 1, id: first.form.id, status: 'duplicate', receivedAt: '2026-03-10T08:00:00.000Z' },
          { index: 2, id: first.form.id, status: 'conflict', receivedAt: '2026-03-10T08:00:00.000Z' },
          { index: 3, id: 'not-a-form', status: 'rejected', errors: expect.arrayContaining([{ path: 'signaturePng', message: 'expected string, got nothing', reason: { code: 'invalid-field', params: {} } }]) },
        ]);
        h.clock.advance(60_000);
        expect((await h.submit(token, [first])).body.results[0]).toMatchObject({ status: 'duplicate', receivedAt: '2026-03-10T08:00:00.000Z' });
        const detail = await h.call('GET', `${API.admin.forms}/${first.form.id}`);
        expect(detail.body.form).toEqual(first.form);
        expect(detail.body.summary.state).toBe('conflict');
        expect(detail.body.conflicts).toEqual([expect.objectContaining({ formId: first.form.id, hash: rival.form.seal.hash, originalHash: first.form.seal.hash })]);
      });

      it('lands a form once when ten identical requests arrive together', async () => {
        const token = await h.enroll();
        const form = await makeForm();
        const replies = await Promise.all(Array.from({ length: 10 }, () => h.submit(token, [form])));
        const statuses = replies.map((r) => r.body.results[0].status).sort();
        expect(statuses).toEqual(['accepted', ...Array(9).fill('duplicate')]);
        expect((await h.call('GET', API.admin.forms)).body.forms).toHaveLength(1);
      });

      it('records the device clock\'s drift from X-Device-Time', async () => {
        const token = await h.enroll();
        const ahead = await makeForm();
        const plain = await makeForm();
        await h.submit(token, [ahead], { 'x-device-time': '2026-03-10T08:10:00.000Z' });
        await h.submit(token, [plain], { 'x-device-time': 'yesterday-ish' });
        const forms = (await h.call('GET', API.admin.forms)).body.forms as Array<{ id: string; clockDriftMs: number | null }>;
        expect(forms.find((f) => f.id === ahead.form.id)?.clockDriftMs).toBe(600_000);
        expect(forms.find((f) => f.id === plain.form.id)?.clockDriftMs).toBeNull();
      });
    });

    describe('forms: bad input', () => {
      it('rejects each bad form with its path and reason while the good form in the batch lands', async () => {
        const token = await h.enroll();
        const good = await makeForm();
        // format 1 (a phone not updated yet) and format 2 (this app) are each checked the whole way
        const v1 = await makeForm({ formatVersion: 1, seed: 3 });
        const base = await makeForm();
        const answers = (f: Record<string, unknown>) => f.answers as Record<string, unknown>;
        const reseal = async (form: typeof base) => {
          (form.form.seal as { hash: string }).hash = await computeSealHash(bodyOf(form.form), Buffer.from(form.signaturePng, 'base64'));
          return form;
        };
        const resealed = await reseal(tampered(base, (f) => void (answers(f)['form.satisfaction'] = 1)));
        const resealedV1 = await reseal(tampered(v1, (f) => void (f.satisfaction = 1)));
        const bad: Array<[unknown, string, RegExp]> = [
          [42, '(root)', /expected object, got number 42/],
          [tampered(v1, (f) => void (f.satisfaction = '5')), 'form.satisfaction', /expected number/],
          [tampered(v1, (f) => void delete f.signerName), 'form.signerName', /expected string, got nothing/],
          [resealedV1, 'form.satisfaction', /does not match what the form's own event log gives/],
          [tampered(base, (f) => void (answers(f)['form.satisfaction'] = '5')), 'form.answers.form.satisfaction', /expected number/],
          [tampered(base, (f) => void (answers(f)['form.signer-name'] = '')), 'form.answers.form.signer-name', /expected non-blank text/],
          [tampered(base, (f) => void delete f.answers), 'form.answers', /^expected/],
          [tampered(base, (f) => void (f.formatVersion = 3)), 'form.formatVersion', /1/],
          [tampered(base, (f) => void (f.surprise = 1)), 'form.surprise', /unknown field "surprise"/],
          [tampered(base, (f) => void (f.checklist = { id: 'onsite-service', version: 9 })), 'form.checklist', /unknown checklist onsite-service v9; this server knows onsite-service v1/],
          [{ ...base, signaturePng: 'A'.repeat(Math.ceil((LIMITS.signatureBytes * 4) / 3) + 8) }, 'signaturePng', /signature image is too large: at most 512 KiB/],
          [tampered(base, (f) => void (answers(f)['form.opinion'] = '不满意')), 'form.seal.hash', /changed after the customer signed/],
          [{ ...base, signaturePng: Buffer.from('another picture').toString('base64') }, 'signaturePng', /not the one the form describes/],
          [resealed, 'form.answers', /does not match what the form's own event log gives/],
          [tampered(base, (f) => void ((f.customer as { name: string }).name = 'lone \ud800 surrogate')), 'form.customer.name', /lone surrogate/],
          [tampered(base, (f) => void ((f.customer as { phone: string }).phone = "'; DROP TABLE forms; --")), 'form.customer.phone', /^expected/],
        ];
        const res = await h.submit(token, [...bad.map(([form]) => form), good]);
        expect(res.status).toBe(200);
        bad.forEach(([, path, message], i) => {
          const result = res.body.results[i];
          expect(result.status, `case ${i}`).toBe('rejected');
          expect(result.errors.some((e: { path: string; message: string }) => e.path === path && message.test(e.message)), `case ${i}: ${JSON.stringify(result.errors)}`).toBe(true);
        });
        expect(res.body.results[bad.length]).toMatchObject({ status: 'accepted', id: good.form.id });
        expect((await h.call('GET', API.admin.forms)).body.forms.map((f: { id: string }) => f.id)).toEqual([good.form.id]);
      });

      it('answers malformed JSON with 400 naming the line and column, and stays up', async () => {
        const token = await h.enroll();
        const res = await h.call('POST', API.forms, { token, body: '{"forms": [\n  {"form": }\n]}', headers: { 'content-type': 'application/json' } });
        expect(res.status).toBe(400);
        expect(res.body.error).toEqual({ code: 'malformed-json', message: 'malformed JSON at line 2, column 12: expected a value after the colon' });
        expect((await h.submit(token, [await makeForm()])).body.results[0].status).toBe('accepted');
      });

      it('answers a body that is not UTF-8 with 400 naming the byte', async () => {
        const token = await h.enroll();
        const body = new Uint8Array([...Buffer.from('{"forms": ["'), 0xc3, 0x28, ...Buffer.from('"]}')]);
        const res = await h.call('POST', API.forms, { token, body });
        expect(res.status).toBe(400);
        expect(res.body.error).toEqual({ code: 'invalid-utf8', message: 'the request body is not valid UTF-8 (first bad byte at offset 12)' });
      });

      it('survives deep nesting and huge strings: the form is rejected, the good one lands', async () => {
        const token = await h.enroll();
        const good = await makeForm();
        const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
        const huge = JSON.stringify({ form: { formatVersion: 1, customerOpinion: 'x'.repeat(3_000_000) }, signaturePng: '' });
        const body = `{"forms": [${deep}, ${huge}, ${JSON.stringify(good)}]}`;
        const res = await h.call('POST', API.forms, { token, body, headers: { 'content-type': 'application/json' } });
        expect(res.status).toBe(200);
        expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'rejected', 'accepted']);
        expect(res.body.results[1].errors).toContainEqual({ path: 'form.customerOpinion', message: expect.stringMatching(/4000/), reason: { code: 'invalid-field', params: {} } });
      });

      it('answers a request that is not {"forms": [...]} with 400 and the path', async () => {
        const token = await h.enroll();
        for (const [json, path] of [[{}, 'forms'], [{ forms: 'x' }, 'forms'], [[], '(root)'], [{ forms: [], more: 1 }, 'more']] as const) {
          const res = await h.call('POST', API.forms, { token, json });
          expect(res.status).toBe(400);
          expect(res.body.error.errors[0].path).toBe(path);
        }
      });

      it('answers too many forms with 413 and a message for the technician', async () => {
        const token = await h.enroll();
        const res = await h.call('POST', API.forms, { token, json: { forms: Array(API_LIMITS.maxBatch + 1).fill(1) } });
        expect(res.status).toBe(413);
        expect(res.body.error).toEqual({ code: 'batch-too-large', message: '51 forms in one request; send at most 50 at a time' });
      });

      it('answers an oversize body with 413, by its Content-Length or as it streams in', async () => {
        const token = await h.enroll();
        const declared = await h.call('POST', API.forms, { token, body: 'x', headers: { 'content-length': String(API_LIMITS.maxBodyBytes + 1) } });
        expect(declared.status).toBe(413);
        expect(declared.body.error.message).toMatch(/larger than the server accepts \(8 MiB\); send fewer forms at a time/);
        let sent = 0;
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            sent += 1024 * 1024;
            controller.enqueue(new Uint8Array(1024 * 1024).fill(0x20));
          },
        });
        const streamed = await h.app.request(new Request('http://local/api/v1/forms', {
          method: 'POST', body: stream, headers: { authorization: `Bearer ${token}` }, duplex: 'half',
        } as RequestInit));
        expect(streamed.status).toBe(413);
        // reading stopped at the limit: the endless body was never buffered whole
        expect(sent).toBeLessThanOrEqual(API_LIMITS.maxBodyBytes + 2 * 1024 * 1024);
      });

      it('stores SQL, HTML and script text in every free-text field exactly as sent', async () => {
        const token = await h.enroll();
        const forms = await Promise.all(HOSTILE.map((text) => makeForm({ text })));
        const res = await h.submit(token, forms);
        expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(HOSTILE.map(() => 'accepted'));
        for (const [i, text] of HOSTILE.entries()) {
          const detail = await h.call('GET', `${API.admin.forms}/${forms[i]!.form.id}`);
          expect(detail.body.form).toEqual(forms[i]!.form);
          expect(detail.body.summary).toMatchObject({ customerName: text, equipmentType: text, visitId: text.slice(0, 64) });
          expect(detail.body.sealCheck).toBe('verified');
        }
      });
    });
  });
}
