// The back office's side of the API on one adapter: visits and their CSV import, the forms list and
// detail, disputes, conflicts, bundle import, CSV and NDJSON export, headers and logs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API } from '../../src/domain/api';
import { CSV_COLUMNS } from '../../src/server/export/form-export';
import { SECURITY_HEADERS } from '../../src/server/http/security';
import { openHarness, type Harness } from './api-harness';
import { bundleOf, HOSTILE, makeForm, makeRival, type StorageFactory } from './helpers';
import { alterAnswer } from '../fixtures/visits';

const HEADER = 'id,technicianId,scheduledDate,firstVisit,customerName,customerPhone,customerAddress,equipmentType,equipmentModel,equipmentSerial,notes';

export function describeBackOfficeApi(name: string, factory: StorageFactory): void {
  describe(`back-office API: ${name}`, () => {
    let h: Harness;
    let tech: string;
    beforeEach(async () => {
      h = await openHarness(factory);
      tech = await h.enroll();
    });
    afterEach(async () => {
      await h.close();
    });

    const csv = (text: string | Uint8Array<ArrayBuffer>, type = 'text/csv; charset=utf-8') =>
      h.call('POST', API.admin.visitsImport, { body: text, headers: { 'content-type': type } });

    describe('technicians and visits', () => {
      it('creates technicians (a generated id when none is given) and refuses bad ones', async () => {
        const made = await h.call('POST', API.admin.technicians, { json: { name: HOSTILE[1] } });
        expect(made.status).toBe(201);
        expect(made.body.technician).toMatchObject({ id: expect.stringMatching(/^T-[0-9a-f]{8}$/), name: HOSTILE[1], phone: '' });
        expect((await h.call('POST', API.admin.technicians, { json: { id: 'tech-1', name: 'x' } })).status).toBe(409);
        const bad = await h.call('POST', API.admin.technicians, { json: { id: '../x', name: '', phone: 'call me' } });
        expect(bad.status).toBe(400);
        expect(bad.body.error.errors.map((e: { path: string }) => e.path).sort()).toEqual(['id', 'name', 'phone']);
        expect((await h.call('POST', `${API.admin.technicians}/nobody/code`)).status).toBe(404);
        expect((await h.call('POST', `${API.admin.technicians}/no%00body/revoke`)).status).toBe(404);
      });

      it('creates a visit with its text verbatim, and refuses an invalid one field by field', async () => {
        const visit = {
          technicianId: 'tech-1', scheduledDate: '2026-03-12', firstVisit: true,
          customer: { name: HOSTILE[0], phone: '+86 138 0000 0000', address: HOSTILE[2] },
          equipment: { type: '洗扫车', model: HOSTILE[3], serial: 'SN-1' }, notes: HOSTILE[6],
        };
        const made = await h.call('POST', API.admin.visits, { json: visit });
        expect(made.status).toBe(201);
        expect(made.body.visit).toEqual({ ...visit, id: expect.stringMatching(/^V-[0-9A-F]{8}$/) });
        expect((await h.call('GET', API.visits, { token: tech })).body.visits).toEqual([made.body.visit]);
        expect((await h.call('POST', API.admin.visits, { json: { ...visit, id: made.body.visit.id } })).status).toBe(409);
        const bad = await h.call('POST', API.admin.visits, { json: { ...visit, scheduledDate: '12/03/2026', customer: { ...visit.customer, name: '' } } });
        expect(bad.status).toBe(400);
        expect(bad.body.error.errors.map((e: { path: string }) => e.path).sort()).toEqual(['customer.name', 'scheduledDate']);
        const unknown = await h.call('POST', API.admin.visits, { json: { ...visit, technicianId: 'ghost' } });
        expect(unknown.body.error.errors).toEqual([{ path: 'technicianId', message: 'no technician "ghost"' }]);
        expect((await h.call('GET', `${API.admin.visits}?technician=tech-1`)).body.visits).toHaveLength(1);
        expect((await h.call('GET', `${API.admin.visits}?tech=tech-1`)).status).toBe(400);
      });

      it('imports visits from CSV (BOM, CRLF, quotes, Chinese): good rows land, each bad row says where and why', async () => {
        const rows = [
          HEADER,
          'V-1,tech-1,2026-03-12,是,某市环卫处,0571-8888 0001,"某区, 环卫路 1 号",洗扫车,XS-5000,SN-1,"说 ""主刷不转""\n第二行"',
          ',tech-1,2026-03-13,0,"=cmd|\' /C calc\'!A0",,,扫路车,,,',
          'V-3,ghost,2026-03-12,no,客户,,,洗扫车,,,',
          'V-4,tech-1,2026-13-40,no,客户,,,洗扫车,,,',
          'V-5,tech-1,2026-03-12,maybe,客户,,,洗扫车,,,',
          'V-6,tech-1,2026-03-12,no,,,,洗扫车,,,',
          'V-7,tech-1,2026-03-12,no,too,few',
          'V-1,tech-1,2026-03-14,no,重复,,,洗扫车,,,',
          '',
        ];
        const res = await csv(`\uFEFF${rows.join('\r\n')}`);
        expect(res.status).toBe(200);
        expect(res.body.created).toBe(2);
        expect(res.body.errors).toEqual([
          { row: 4, column: 'technicianId', message: 'no technician "ghost"' },
          { row: 5, column: 'scheduledDate', message: expect.stringMatching(/expected a date YYYY-MM-DD/) },
          { row: 6, column: 'firstVisit', message: 'expected true or false (or 1/0, yes/no, 是/否), got "maybe"' },
          { row: 7, column: 'customerName', message: expect.stringMatching(/^expected/) },
          { row: 8, column: '(row)', message: 'expected 11 fields, found 6' },
          { row: 9, column: 'id', message: 'a visit with id "V-1" already exists' },
        ]);
        const visits = (await h.call('GET', API.visits, { token: tech })).body.visits;
        expect(visits[0]).toMatchObject({ id: 'V-1', firstVisit: true, customer: { address: '某区, 环卫路 1 号' }, notes: '说 "主刷不转"\n第二行' });
        expect(visits[1]).toMatchObject({ firstVisit: false, customer: { name: "=cmd|' /C calc'!A0" } });
      });

      it('refuses a CSV file it cannot read, saying why', async () => {
        expect((await csv('id,technicianId\nV-1,tech-1')).body.error.message).toMatch(/header row must name the columns .*missing scheduledDate/);
        expect((await csv(`${HEADER},extra\n`)).body.error.message).toMatch(/unknown "extra"/);
        const unclosed = await csv(`${HEADER}\nV-1,tech-1,2026-03-12,no,"客户,,,洗扫车,,,\n`);
        expect(unclosed.status).toBe(400);
        expect(unclosed.body.error.message).toBe('CSV row 2: a quoted field is never closed');
        // GB18030 (GBK) is read now (see visits-import.test.ts); a byte that is neither it nor UTF-8 is refused
        const undecodable = await csv(new Uint8Array([...Buffer.from(`${HEADER}\nV-1,tech-1,2026-03-12,no,`), 0xc4, 0xb3, 0x81, 0x20, ...Buffer.from(',,,x,,,\n')]));
        expect(undecodable.status).toBe(400);
        expect(undecodable.body.error.message).toMatch(/neither UTF-8 nor GB18030 \(GBK\) text .*save it as "CSV UTF-8"/);
        expect((await csv(HEADER, 'application/json')).status).toBe(415);
        expect((await csv('')).body.error.message).toMatch(/empty/);
      });
    });

    describe('forms', () => {
      it('lists with filters and keyset pages, and refuses a bad query', async () => {
        const tech2 = await h.enroll('tech-2', '李师傅');
        const forms = [
          await makeForm({ seed: 1 }),
          await makeForm({ seed: 2, dispute: '客户对收费有异议' }),
          await makeForm({ seed: 3, technicianId: 'tech-2' }),
        ];
        await h.submit(tech, forms.slice(0, 2));
        await h.submit(tech2, forms.slice(2));
        const ids = async (query: string) => (await h.call('GET', `${API.admin.forms}?${query}`)).body.forms.map((f: { id: string }) => f.id).sort();
        expect(await ids('technician=tech-2')).toEqual([forms[2]!.form.id]);
        expect(await ids('dispute=true')).toEqual([forms[1]!.form.id]);
        expect(await ids('satisfaction=5&from=2026-03-10&to=2026-03-10')).toEqual(forms.map((f) => f.form.id).sort());
        expect(await ids('from=2026-03-11')).toEqual([]);
        const first = await h.call('GET', `${API.admin.forms}?limit=2`);
        expect(first.body.forms).toHaveLength(2);
        const second = await h.call('GET', `${API.admin.forms}?limit=2&cursor=${first.body.nextCursor}`);
        expect(second.body).toEqual({ forms: [expect.any(Object)], nextCursor: null });
        expect(new Set([...first.body.forms, ...second.body.forms].map((f: { id: string }) => f.id)).size).toBe(3);
        for (const [query, path] of [['limit=0', 'limit'], ['limit=abc', 'limit'], ['cursor=nonsense', 'cursor'], ['dispute=maybe', 'dispute'], ['from=yesterday', 'from'], ['sort=name', 'sort']]) {
          const res = await h.call('GET', `${API.admin.forms}?${query}`);
          expect(res.status, query).toBe(400);
          expect(res.body.error.errors[0].path, query).toBe(path);
        }
      });

      it('shows a form with its seal re-checked and serves its signature', async () => {
        const form = await makeForm();
        await h.submit(tech, [form]);
        const detail = await h.call('GET', `${API.admin.forms}/${form.form.id}`);
        expect(detail.body).toMatchObject({ form: form.form, sealCheck: 'verified', conflicts: [], summary: { technicianName: '张师傅', state: 'accepted' } });
        const png = await h.app.request(`${API.admin.forms}/${form.form.id}/signature.png`, { headers: h.admin.headers() });
        expect(png.headers.get('content-type')).toBe('image/png');
        expect(Buffer.from(await png.arrayBuffer()).toString('base64')).toBe(form.signaturePng);
        expect((await h.call('GET', `${API.admin.forms}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
        expect((await h.call('GET', `${API.admin.forms}/'%20OR%201=1`)).status).toBe(404);
      });

      it('works the dispute queue: open, resolved with an outcome and a note, and refusals', async () => {
        const disputed = await makeForm({ dispute: '客户认为收费过高' });
        const breach = await makeForm({ conductBreach: true, seed: 2 });
        const calm = await makeForm({ seed: 3 });
        await h.submit(tech, [disputed, breach, calm]);
        const open = await h.call('GET', `${API.admin.disputes}?status=open`);
        expect(open.body.disputes.map((d: { formId: string }) => d.formId).sort()).toEqual([disputed.form.id, breach.form.id].sort());
        const dispute = open.body.disputes.find((d: { formId: string }) => d.formId === disputed.form.id);
        expect(dispute.incidents).toEqual([expect.objectContaining({ kind: 'dispute', detail: '客户认为收费过高' })]);
        const resolve = (id: string, json: unknown) => h.call('POST', `${API.admin.disputes}/${id}/resolve`, { json });
        expect((await resolve(disputed.form.id, { outcome: 'other', note: '' })).status).toBe(400);
        const resolved = await resolve(disputed.form.id, { outcome: 'resolved-with-customer', note: '已电话回访，客户接受解释' });
        expect(resolved.body.dispute).toMatchObject({ resolvedAt: '2026-03-10T08:00:00.000Z', resolutionNote: '已电话回访，客户接受解释' });
        expect((await resolve(disputed.form.id, { outcome: 'other', note: 'again' })).status).toBe(409);
        expect((await resolve(calm.form.id, { outcome: 'other', note: 'x' })).status).toBe(409);
        expect((await resolve('00000000-0000-4000-8000-000000000000', { outcome: 'other', note: 'x' })).status).toBe(404);
        expect((await h.call('GET', `${API.admin.disputes}?status=resolved`)).body.disputes.map((d: { formId: string }) => d.formId)).toEqual([disputed.form.id]);
        expect((await h.call('GET', `${API.admin.disputes}?status=all`)).status).toBe(400);
      });

      it('lists conflicts and shows the submission kept aside', async () => {
        const first = await makeForm();
        const rival = await makeRival(first);
        await h.submit(tech, [first, rival]);
        const conflicts = await h.call('GET', API.admin.conflicts);
        expect(conflicts.body.conflicts).toEqual([{ formId: first.form.id, receivedAt: '2026-03-10T08:00:00.000Z', hash: rival.form.seal.hash, originalHash: first.form.seal.hash, technicianId: 'tech-1' }]);
        const aside = await h.call('GET', `${API.admin.conflicts}/${first.form.id}/${rival.form.seal.hash}`);
        expect(aside.body).toEqual({ form: rival.form, signaturePng: rival.signaturePng });
        expect((await h.call('GET', `${API.admin.conflicts}/${first.form.id}/${'0'.repeat(64)}`)).status).toBe(404);
      });
    });

    describe('import and export', () => {
      const importBody = (body: string, type = 'application/json') => h.call('POST', API.admin.import, { body, headers: { 'content-type': type } });

      it('imports a device bundle through the same checks as the API', async () => {
        const good = await makeForm();
        const stranger = await makeForm({ technicianId: 'ghost', seed: 2 });
        const broken = await makeForm({ seed: 3 });
        alterAnswer(broken.form, 'customer-opinion', '改过');
        const res = await importBody(bundleOf([good, stranger, broken, good]));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ accepted: 1, duplicate: 1, conflict: 0, rejected: 2 });
        expect(res.body.results[1].errors).toEqual([{
          path: 'form.technician.id', message: 'no technician "ghost" on this server; create the technician first', reason: { code: 'unknown-technician', params: { claimed: 'ghost' } },
        }]);
        expect(res.body.results[2].errors[0].path).toBe('form.seal.hash');
        expect((await h.submit(tech, [good])).body.results[0].status).toBe('duplicate');
      });

      it('imports nothing from a bundle that is not valid JSON or not a bundle', async () => {
        const good = await makeForm();
        const cut = bundleOf([good]).slice(0, -30);
        const res = await importBody(cut);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/^the file is not valid JSON: malformed JSON at line 1, column \d+: the JSON ends too early/);
        const wrong = await importBody(JSON.stringify({ format: 'other', formatVersion: 1, exportedAt: 'x', forms: [good] }));
        expect(wrong.body.error.errors.map((e: { path: string }) => e.path)).toEqual(['format', 'exportedAt']);
        expect((await importBody('[]')).body.error.message).toMatch(/expected a JSON object/);
        expect((await importBody(bundleOf([good]), 'text/plain')).status).toBe(415);
        expect((await h.call('GET', API.admin.forms)).body.forms).toEqual([]);
      });

      it('exports CSV with a BOM, one row per form, Chinese intact, formulas defused', async () => {
        const forms = [await makeForm({ text: '=HYPERLINK("http://evil")' }), await makeForm({ seed: 2 })];
        await h.submit(tech, forms);
        const res = await h.app.request(API.admin.exportCsv, { headers: h.admin.headers() });
        expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(res.headers.get('content-disposition')).toBe('attachment; filename="onsite-forms-2026-03-10.csv"');
        const bytes = new Uint8Array(await res.arrayBuffer());
        expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const text = new TextDecoder().decode(bytes);
        const lines = text.trimEnd().split('\r\n');
        expect(lines[0]).toBe(CSV_COLUMNS.map((c) => `"${c}"`).join(','));
        expect(lines).toHaveLength(3);
        expect(text).toContain('"\'=HYPERLINK(""http://evil"")"');
        expect(text).not.toMatch(/(^|,)"=/m);
        expect(text).toContain('"某市环卫处"');
        expect(text).toContain('"碳刷×2"');
        const filtered = await h.call('GET', `${API.admin.exportCsv}?technician=nobody`);
        expect(filtered.text.trimEnd().split('\r\n')).toHaveLength(1);
        expect((await h.call('GET', `${API.admin.exportCsv}?technican=tech-1`)).status).toBe(400);
      });

      it('exports NDJSON that imports back as the same records: duplicates here, identical forms elsewhere', async () => {
        const forms = [await makeForm({ dispute: '有争议' }), await makeForm({ text: HOSTILE[6], seed: 2 })];
        await h.submit(tech, forms);
        const res = await h.call('GET', API.admin.exportNdjson);
        expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
        const lines = res.text.trimEnd().split('\n').map((l) => JSON.parse(l));
        expect(lines.map((l) => l.form)).toEqual(expect.arrayContaining(forms.map((f) => f.form)));
        expect(lines[0]).toMatchObject({ signaturePng: expect.any(String), server: { source: 'api', technicianName: '张师傅', state: 'accepted' } });
        const again = await importBody(res.text, 'application/x-ndjson');
        expect(again.body).toMatchObject({ accepted: 0, duplicate: 2, conflict: 0, rejected: 0 });

        const elsewhere = await openHarness(() => factory({ isolated: true }));
        await elsewhere.enroll();
        const landed = await elsewhere.call('POST', API.admin.import, { body: res.text, headers: { 'content-type': 'application/x-ndjson' } });
        expect(landed.body).toMatchObject({ accepted: 2, rejected: 0 });
        for (const f of forms) {
          const there = await elsewhere.call('GET', `${API.admin.forms}/${f.form.id}`);
          const here = await h.call('GET', `${API.admin.forms}/${f.form.id}`);
          expect(there.body.form).toEqual(here.body.form);
          expect(there.body.sealCheck).toBe('verified');
        }
        await elsewhere.close();
      });
    });

    describe('headers and logs', () => {
      it('puts the security headers on every kind of answer', async () => {
        const answers = [
          await h.app.request(API.me),
          await h.app.request('/api/v1/nothing'),
          await h.app.request(API.admin.technicians, { headers: h.admin.headers() }),
          await h.app.request(API.forms, { method: 'POST', body: '{', headers: { authorization: `Bearer ${tech}` } }),
        ];
        expect(answers.map((r) => r.status)).toEqual([401, 404, 200, 400]);
        for (const res of answers) {
          for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), name).toBe(value);
          expect(res.headers.get('cache-control')).toBe('no-store');
        }
        expect(SECURITY_HEADERS['Content-Security-Policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
        expect(SECURITY_HEADERS['Content-Security-Policy']).toMatch(/frame-ancestors 'none'/);
      });

      it('logs method, path, status and time only: no token, code, phone number or signature', async () => {
        const code = (await h.call('POST', `${API.admin.technicians}/tech-1/code`)).body.code as string;
        const token = (await h.call('POST', API.enroll, { token: null, json: { code } })).body.token as string;
        const form = await makeForm();
        await h.submit(token, [form]);
        await h.call('GET', `${API.admin.forms}?technician=tech-1&from=2026-03-01`);
        expect(h.logs.length).toBeGreaterThan(5);
        for (const line of h.logs) expect(line).toMatch(/^(GET|POST) \/[^\s?]* \d{3} \d+ms$/);
        const all = h.logs.join('\n');
        for (const secret of [token, tech, h.adminToken, code, '138 0000 0000', form.signaturePng.slice(0, 40), 'tech-1&from']) expect(all).not.toContain(secret);
      });

      it('answers a storage failure with 500 and a plain message, logging no detail of the request', async () => {
        const failing = await openHarness(async () => {
          const storage = await factory({ isolated: true });
          return { ...storage, listTechnicians: async () => { throw new Error('disk on fire'); } };
        });
        const res = await failing.call('GET', API.admin.technicians);
        expect(res.status).toBe(500);
        expect(res.body.error).toEqual({ code: 'internal', message: 'the server could not complete this request; nothing was lost, try again' });
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name)).toBe(value);
        expect(failing.logs).toContain('error GET /api/v1/admin/technicians: Error: disk on fire');
        await failing.close();
      });
    });
  });
}
