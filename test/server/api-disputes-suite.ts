// The dispute life cycle through the API on one adapter: the list and its filters (mine, unassigned,
// a user, open for more than 24 h, on the harness's clock), one dispute with its thread, assign, note,
// resolve with an outcome, reopen; each refusal with its code; the roles; the audit entries.
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API } from '../../src/domain/api';
import type { SubmittedForm } from '../../src/domain/form-schema';
import { openHarness, type Harness } from './api-harness';
import { ensureUser, makeForm, type StorageFactory, type TestSession } from './helpers';

const HOUR = 60 * 60_000;
/** The CSV export's columns before the dispute's were added: a reader of that layout must read on. */
const FIRST_CSV_LAYOUT = [
  'id', 'visitId', 'visitDate', 'technicianId', 'technicianName', 'customerName', 'customerPhone', 'customerAddress',
  'equipmentType', 'equipmentModel', 'equipmentSerial', 'customerAccount', 'faultFound', 'workDone', 'partsUsed',
  'customerOpinion', 'satisfaction', 'signerName', 'dispute', 'conductBreach', 'disputeResolved', 'resolutionNote',
  'state', 'checklist', 'sealedAt', 'receivedAt', 'clockDriftMs', 'sealHash',
];
const UNKNOWN_FORM = '00000000-0000-4000-8000-000000000000';

export function describeDisputesApi(name: string, factory: StorageFactory): void {
  describe(`disputes API: ${name}`, () => {
    let h: Harness;
    let tech: string;
    let disputed: SubmittedForm;
    let breach: SubmittedForm;
    let calm: SubmittedForm;
    let service: TestSession;
    const path = (form: SubmittedForm | string, action = '') => `${API.admin.disputes}/${typeof form === 'string' ? form : form.form.id}${action ? `/${action}` : ''}`;
    const post = (form: SubmittedForm | string, action: string, json: unknown, as?: TestSession) =>
      h.call('POST', path(form, action), { json, ...(as ? { as } : {}) });
    const list = async (query: string, as?: TestSession) => {
      const answer = await h.call('GET', `${API.admin.disputes}?${query}`, as ? { as } : {});
      expect(answer.status, answer.text).toBe(200);
      return answer.body.disputes.map((d: { formId: string }) => d.formId);
    };

    beforeEach(async () => {
      h = await openHarness(factory);
      tech = await h.enroll();
      service = await h.signIn('customer-service');
      [disputed, breach, calm] = [await makeForm({ dispute: '客户认为收费过高' }), await makeForm({ conductBreach: true, seed: 2 }), await makeForm({ seed: 3 })];
      await h.submit(tech, [disputed, calm]);
      h.clock.advance(HOUR);
      await h.submit(tech, [breach]);
    });
    afterEach(async () => {
      await h.close();
    });

    it('works a dispute to the end: assign, note, resolve with an outcome, reopen, resolve again — thread, age and audit', async () => {
      const assigned = await post(disputed, 'assign', { userId: service.user.id });
      expect(assigned.status, assigned.text).toBe(200);
      expect(assigned.body.dispute).toMatchObject({ formId: disputed.form.id, assignee: { id: service.user.id, name: 'customer-service 测试' }, ageMs: HOUR });
      h.clock.advance(HOUR);
      // sessions end after two idle hours: each step signs in again
      expect((await post(disputed, 'notes', { text: '  已电话联系客户  ' }, await h.signIn('customer-service'))).body.events.map((e: { kind: string }) => e.kind)).toEqual(['assigned', 'noted']);
      h.clock.advance(HOUR);
      const resolved = await post(disputed, 'resolve', { outcome: 'resolved-with-customer', note: '客户接受解释' }, await h.signIn('customer-service'));
      expect(resolved.status, resolved.text).toBe(200);
      expect(resolved.body.dispute).toMatchObject({ resolvedAt: '2026-03-10T11:00:00.000Z', outcome: 'resolved-with-customer', resolutionNote: '客户接受解释', ageMs: 3 * HOUR });
      // a resolved dispute's age stops at its resolution
      h.clock.advance(10 * HOUR);
      expect((await h.call('GET', path(disputed), { as: await h.signIn('viewer') })).body.dispute.ageMs).toBe(3 * HOUR);
      expect(await list('status=resolved', await h.signIn('customer-service'))).toEqual([disputed.form.id]);

      const reopened = await post(disputed, 'reopen', { note: '客户再次来电' }, await h.signIn('customer-service'));
      expect(reopened.body.dispute).toMatchObject({ resolvedAt: null, outcome: null, resolutionNote: null, ageMs: 13 * HOUR });
      const again = await post(disputed, 'resolve', { outcome: 'compensated', note: '补偿一次保养' }, await h.signIn('customer-service'));
      expect(again.body.dispute.outcome).toBe('compensated');

      const detail = await h.call('GET', path(disputed), { as: await h.signIn('admin') });
      expect(detail.status).toBe(200);
      expect(detail.body.events.map((e: { kind: string; userName: string; note: string | null; outcome: string | null }) => [e.kind, e.userName, e.note, e.outcome])).toEqual([
        ['assigned', 'admin-user', null, null],
        ['noted', 'customer-service-user', '已电话联系客户', null],
        ['resolved', 'customer-service-user', '客户接受解释', 'resolved-with-customer'],
        ['reopened', 'customer-service-user', '客户再次来电', null],
        ['resolved', 'customer-service-user', '补偿一次保养', 'compensated'],
      ]);

      const audit = (await h.call('GET', `${API.admin.audit}?limit=500`, { as: await h.signIn('admin') })).body.entries as Array<Record<string, unknown>>;
      const disputeEntries = audit.filter((e) => String(e.action).startsWith('dispute.')).reverse();
      expect(disputeEntries.map((e) => [e.action, e.userName, e.target])).toEqual([
        ['dispute.assigned', 'admin-user', disputed.form.id],
        ['dispute.noted', 'customer-service-user', disputed.form.id],
        ['dispute.resolved', 'customer-service-user', disputed.form.id],
        ['dispute.reopened', 'customer-service-user', disputed.form.id],
        ['dispute.resolved', 'customer-service-user', disputed.form.id],
      ]);
      expect(disputeEntries[0]!.details).toEqual({ userId: service.user.id });
      expect(disputeEntries[2]!.details).toEqual({ outcome: 'resolved-with-customer', note: '客户接受解释' });
    });

    it('filters: status, mine, unassigned, a given user, open for more than 24 h — newest received first', async () => {
      expect(await list('status=open')).toEqual([breach.form.id, disputed.form.id]);
      await post(breach, 'assign', { userId: service.user.id });
      expect(await list('status=open&assignee=mine', service)).toEqual([breach.form.id]);
      expect(await list('status=open&assignee=mine')).toEqual([]);
      expect(await list('status=open&assignee=unassigned')).toEqual([disputed.form.id]);
      expect(await list(`status=open&assignee=${service.user.id}`)).toEqual([breach.form.id]);
      expect(await list('status=open&overdue=true')).toEqual([]);
      // 24 h after the first form: it is overdue, the second (received an hour later) is not yet
      h.clock.advance(23 * HOUR + 1);
      const admin = await h.signIn('admin');
      expect(await list('status=open&overdue=true', admin)).toEqual([disputed.form.id]);
      h.clock.advance(HOUR);
      expect(await list('overdue=true', admin)).toEqual([breach.form.id, disputed.form.id]);
      expect(await list('overdue=true&assignee=unassigned', admin)).toEqual([disputed.form.id]);
      const rows = (await h.call('GET', `${API.admin.disputes}?status=open`, { as: admin })).body.disputes;
      expect(rows.map((d: { ageMs: number }) => d.ageMs)).toEqual([24 * HOUR + 1, 25 * HOUR + 1]);
      // a resolved dispute is never overdue, and asking for both is refused
      const refused = await h.call('GET', `${API.admin.disputes}?status=resolved&overdue=true`, { as: admin });
      expect([refused.status, refused.body.error.code, refused.body.error.errors[0].path]).toEqual([400, 'bad-request', 'overdue']);
      for (const query of ['status=all', 'overdue=yes', 'assignee=', 'sort=age']) {
        expect((await h.call('GET', `${API.admin.disputes}?${query}`, { as: admin })).status, query).toBe(400);
      }
    });

    it('refuses clearly: unknown form, not flagged, already resolved, not resolved, unknown or disabled assignee, empty note, unknown outcome', async () => {
      const refusal = async (form: SubmittedForm | string, action: string, json: unknown) => {
        const answer = await post(form, action, json);
        return [answer.status, answer.body?.error?.code, (answer.body?.error?.errors ?? []).map((e: { path: string }) => e.path).join(',')];
      };
      expect(await refusal(UNKNOWN_FORM, 'notes', { text: 'x' })).toEqual([404, 'not-found', '']);
      expect(await refusal('not-a-uuid', 'notes', { text: 'x' })).toEqual([404, 'not-found', '']);
      expect(await refusal(calm, 'notes', { text: 'x' })).toEqual([409, 'not-flagged', '']);
      expect(await refusal(disputed, 'reopen', { note: 'x' })).toEqual([409, 'not-resolved', '']);
      expect(await refusal(disputed, 'assign', { userId: 'U-nobody' })).toEqual([422, 'assignee-unknown', 'userId']);
      const gone = await ensureUser(h.storage, 'customer-service', 'gone-user');
      await h.storage.updateUser(gone.id, { disabledAt: '2026-03-10T00:00:00.000Z' }, []);
      expect(await refusal(disputed, 'assign', { userId: gone.id })).toEqual([409, 'assignee-disabled', 'userId']);
      expect(await refusal(disputed, 'assign', {})).toEqual([400, 'bad-request', 'userId']);
      expect(await refusal(disputed, 'notes', { text: '   ' })).toEqual([400, 'bad-request', 'text']);
      expect(await refusal(disputed, 'resolve', { outcome: 'resolved-with-customer', note: '' })).toEqual([400, 'bad-request', 'note']);
      expect(await refusal(disputed, 'resolve', { outcome: 'lost-interest', note: 'x' })).toEqual([400, 'bad-request', 'outcome']);
      expect(await refusal(disputed, 'resolve', { note: 'x' })).toEqual([400, 'bad-request', 'outcome']);
      expect(await refusal(disputed, 'reopen', { note: '' })).toEqual([400, 'bad-request', 'note']);
      expect(await refusal(disputed, 'resolve', { outcome: 'duplicate', note: '同一争议已在另一单处理' })).toEqual([200, undefined, '']);
      expect(await refusal(disputed, 'resolve', { outcome: 'other', note: 'again' })).toEqual([409, 'already-resolved', '']);
      const notFlagged = await h.call('GET', path(calm));
      expect([notFlagged.status, notFlagged.body.error.code]).toEqual([409, 'not-flagged']);
      expect((await h.call('GET', path(UNKNOWN_FORM))).status).toBe(404);
      // nothing refused reached the thread or the audit log
      expect((await h.call('GET', path(disputed))).body.events.map((e: { kind: string }) => e.kind)).toEqual(['resolved']);
      const audit = (await h.call('GET', `${API.admin.audit}?limit=500`)).body.entries.filter((e: { action: string }) => e.action.startsWith('dispute.'));
      expect(audit).toHaveLength(1);
    });

    it('lands once when the same dispute is resolved twice at the same moment', async () => {
      const other = await h.signIn('customer-service');
      const answers = await Promise.all([
        post(disputed, 'resolve', { outcome: 'compensated', note: 'first' }, service),
        post(disputed, 'resolve', { outcome: 'no-fault', note: 'second' }, other),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expect((await h.call('GET', path(disputed))).body.events).toHaveLength(1);
      const audit = (await h.call('GET', `${API.admin.audit}?action=dispute.resolved&limit=500`)).body.entries;
      expect(audit).toHaveLength(1);
    });

    it('lets a viewer and a dispatcher read the queue but not work it; customer service works it', async () => {
      for (const role of ['viewer', 'dispatcher'] as const) {
        const who = await h.signIn(role);
        expect(await list('status=open', who)).toHaveLength(2);
        expect((await h.call('GET', path(disputed), { as: who })).status).toBe(200);
        expect((await h.call('GET', `${API.admin.disputes}/assignees`, { as: who })).status).toBe(200);
        for (const [action, json] of [['assign', { userId: who.user.id }], ['notes', { text: 'x' }], ['resolve', { outcome: 'other', note: 'x' }], ['reopen', { note: 'x' }]] as const) {
          const refused = await post(disputed, action, json, who);
          expect([refused.status, refused.body.error.code], `${role} ${action}`).toEqual([403, 'forbidden-role']);
        }
      }
      expect((await post(disputed, 'assign', { userId: service.user.id }, service)).status).toBe(200);
      expect((await post(disputed, 'notes', { text: '跟进中' }, service)).status).toBe(200);
      expect((await post(disputed, 'resolve', { outcome: 'other', note: '已处理' }, service)).status).toBe(200);
      expect((await post(disputed, 'reopen', { note: '再跟进' }, service)).status).toBe(200);
      expect((await h.call('GET', path(disputed))).body.events).toHaveLength(4);
    });

    it('exports each form\'s dispute state after the columns of the first layout (CSV) and beside the fields there were (NDJSON)', async () => {
      // a clerk whose display name would be a formula in a spreadsheet
      const hostile = await h.storage.createUser(
        { id: 'U-hostile', name: 'hostile-user', displayName: '=HYPERLINK("http://evil")', role: 'customer-service', passwordHash: 'x', createdAt: '2026-03-10T00:00:00.000Z' },
        { at: '2026-03-10T00:00:00.000Z', userId: null, userName: '(test setup)', address: 'test', action: 'user.created', target: 'hostile-user', details: {} },
      );
      await post(disputed, 'assign', { userId: service.user.id });
      await post(disputed, 'notes', { text: '已电话联系客户' }, service);
      await post(disputed, 'notes', { text: '客户要求补偿' }, service);
      h.clock.advance(HOUR);
      await post(disputed, 'resolve', { outcome: 'compensated', note: '补偿一次保养' }, service);
      await post(breach, 'assign', { userId: hostile!.id });
      await post(breach, 'notes', { text: '待核实' });

      const csv = await h.call('GET', API.admin.exportCsv, { as: service });
      expect(csv.status).toBe(200);
      const [header, ...rows] = parse(csv.text.replace(/^\uFEFF/, ''), { relax_column_count: false }) as string[][];
      // the first layout's columns stay where they were; the dispute's come after them
      expect(header!.slice(0, FIRST_CSV_LAYOUT.length)).toEqual(FIRST_CSV_LAYOUT);
      expect(header!.slice(FIRST_CSV_LAYOUT.length)).toEqual(['disputeStatus', 'disputeAssignee', 'disputeOutcome', 'disputeResolvedBy', 'disputeResolvedAt', 'disputeNotes']);
      const byId = new Map(rows.map((r) => [r[0], r.slice(FIRST_CSV_LAYOUT.length)]));
      expect(byId.get(disputed.form.id)).toEqual(['resolved', 'customer-service 测试', 'compensated', 'customer-service-user', '2026-03-10T10:00:00.000Z', '2']);
      expect(byId.get(breach.form.id)).toEqual(['open', '\'=HYPERLINK("http://evil")', '', '', '', '1']);
      expect(byId.get(calm.form.id)).toEqual(['none', '', '', '', '', '0']);
      expect(csv.text).not.toMatch(/(^|,)"=/m);
      // the old columns of a disputed form still say what they said
      const old = rows.find((r) => r[0] === disputed.form.id)!;
      expect([old[FIRST_CSV_LAYOUT.indexOf('disputeResolved')], old[FIRST_CSV_LAYOUT.indexOf('resolutionNote')]]).toEqual(['true', '补偿一次保养']);

      const ndjson = await h.call('GET', API.admin.exportNdjson, { as: service });
      const lines = new Map(ndjson.text.trimEnd().split('\n').map((l) => JSON.parse(l)).map((l) => [l.form.id, l.server]));
      expect(lines.get(disputed.form.id)).toMatchObject({
        disputeResolvedAt: '2026-03-10T10:00:00.000Z', disputeResolutionNote: '补偿一次保养',
        dispute: { status: 'resolved', assignee: { id: service.user.id, name: 'customer-service 测试' }, outcome: 'compensated', resolvedBy: 'customer-service-user', resolvedAt: '2026-03-10T10:00:00.000Z', notes: 2 },
      });
      expect(lines.get(breach.form.id).dispute).toEqual({ status: 'open', assignee: { id: 'U-hostile', name: '=HYPERLINK("http://evil")' }, outcome: null, resolvedBy: null, resolvedAt: null, notes: 1 });
      expect(lines.get(calm.form.id).dispute).toEqual({ status: 'none', assignee: null, outcome: null, resolvedBy: null, resolvedAt: null, notes: 0 });
      // reopened, it is open again, its thread's notes still counted
      await post(disputed, 'reopen', { note: '客户再次来电' }, service);
      const again = await h.call('GET', `${API.admin.exportCsv}`, { as: service });
      const reopened = (parse(again.text.replace(/^\uFEFF/, '')) as string[][]).find((r) => r[0] === disputed.form.id)!;
      expect(reopened.slice(FIRST_CSV_LAYOUT.length)).toEqual(['open', 'customer-service 测试', '', '', '', '2']);
      // the export imports back as before: every form a duplicate
      const imported = await h.call('POST', API.admin.import, { body: ndjson.text, headers: { 'content-type': 'application/x-ndjson' } });
      expect(imported.body).toMatchObject({ accepted: 0, duplicate: 3, rejected: 0 });
    });

    it('offers the enabled users as assignees', async () => {
      const gone = await ensureUser(h.storage, 'viewer', 'gone-user');
      await h.storage.updateUser(gone.id, { disabledAt: '2026-03-10T00:00:00.000Z' }, []);
      const answer = await h.call('GET', `${API.admin.disputes}/assignees`, { as: service });
      expect(answer.status).toBe(200);
      const names = answer.body.assignees.map((a: { name: string }) => a.name);
      expect(names).toEqual(expect.arrayContaining(['admin 测试', 'customer-service 测试']));
      expect(answer.body.assignees.map((a: { id: string }) => a.id)).not.toContain(gone.id);
    });
  });
}
