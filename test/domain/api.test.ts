// The HTTP API's paths and answer shapes, as both ends read them: a well-formed answer of each kind
// passes, one missing any of its keys or carrying an extra one is refused.
import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import {
  AdminAnswerSchemas, API, ChecklistsResponseSchema, DashboardQuerySchema, DispatchedVisitSchema, EnrollRequestSchema, EnrollResponseSchema,
  PastRepairSchema, SUBMIT_STATUSES, SubmitResponseSchema, VISIT_HISTORY_FORMS, VisitsResponseV2Schema,
} from '../../src/domain/api';
import { DISPUTE_EVENT_KINDS, DISPUTE_OUTCOMES } from '../../src/domain/disputes';
import { sealedForm } from '../fixtures/visits';

const { form } = await sealedForm();
const technician = { id: 'tech-1', name: '张师傅', phone: '138 0000 0000', createdAt: '2026-03-01T00:00:00.000Z', enrolledAt: null, revokedAt: null };
const visit = {
  id: 'V-2026-0001', technicianId: 'tech-1', scheduledDate: '2026-03-10', firstVisit: false,
  customer: { name: '某市环卫处', phone: '138 0000 0000', address: '某路 1 号' }, equipment: { type: '洗扫车', model: 'XS-5000', serial: 'SN-1' }, notes: '',
};
const summary = {
  id: form.id, visitId: 'V-2026-0001', visitDate: '2026-03-10', technicianId: 'tech-1', technicianName: '张师傅', customerName: '某市环卫处',
  equipmentType: '洗扫车', satisfaction: 5, dispute: false, conductBreach: false, disputeResolved: false, state: 'accepted',
  sealedAt: form.sealedAt, receivedAt: '2026-03-10T02:00:00.000Z', clockDriftMs: null,
};
const conflict = { formId: form.id, receivedAt: '2026-03-10T02:00:00.000Z', hash: 'ab', originalHash: 'cd', technicianId: 'tech-1' };
const device = {
  check: 'verified', problem: null, keyId: 'ab'.repeat(32), technicianId: 'tech-1', enrolledAt: '2026-03-01T00:00:00.000Z', supersededAt: null, revokedAt: null,
  location: { lat: 31, lon: 121.5, accuracyM: 10 },
};
const assignee = { id: 'u-1', name: '客服小李' };
const dispute = {
  formId: form.id, visitDate: '2026-03-10', technicianName: '张师傅', customerName: '某市环卫处',
  incidents: [{ kind: 'dispute', rule: 'no-arguing', detail: '收费', at: form.sealedAt }], receivedAt: '2026-03-10T02:00:00.000Z', ageMs: 0,
  assignee, resolvedAt: null, outcome: null, resolutionNote: null,
};
const disputeEvent = { id: 1, at: '2026-03-10T03:00:00.000Z', userId: 'u-1', userName: '客服小李', kind: 'assigned', note: null, outcome: null, assignee };
const submitResult = { index: 0, id: form.id, status: 'rejected', errors: [{ path: 'sealedAt', message: 'no', reason: { code: 'form-mismatch', params: { field: 'sealedAt' } } }], receivedAt: '2026-03-10T02:00:00.000Z' };
const historyEntry = {
  formId: form.id, visitDate: '2026-03-10', technicianId: 'tech-1', technicianName: '张师傅', faultFound: '碳刷磨损', workDone: '更换', partsUsed: [{ name: '碳刷', quantity: 2 }],
  satisfaction: 5, dispute: false, conductBreach: false,
};
const week = { week: '2026-W11', forms: 1, meanSatisfaction: 5, disputes: 0, conductBreaches: 0, firstTestsFailed: 0, onSiteMedianMs: 1000, onSiteP90Ms: null };
const dashboardTechnician = { technicianId: 'tech-1', technicianName: '张师傅', forms: 1, conductBreaches: 0, disputes: 0, meanSatisfaction: 5, firstTestsFailed: 0, onSiteMedianMs: null };
const part = { code: 'XS-1001', name: '主刷电机', unit: '台' };

const answers: { [K in keyof typeof AdminAnswerSchemas]: Record<string, unknown> } = {
  technicians: { technicians: [technician] },
  technician: { technician },
  enrollmentCode: { code: '123456', expiresAt: '2026-03-10T03:00:00.000Z' },
  visits: { visits: [visit] },
  visit: { visit },
  visitsImport: { created: 1, errors: [{ row: 2, column: '客户', message: 'expected text' }] },
  forms: { forms: [summary], nextCursor: null },
  form: { summary, form, sealCheck: 'verified', device, conflicts: [conflict] },
  disputes: { disputes: [dispute] },
  disputeDetail: { dispute, events: [disputeEvent] },
  disputeAssignees: { assignees: [assignee] },
  conflicts: { conflicts: [conflict] },
  equipmentHistory: { serial: 'SN-1', forms: [historyEntry], nextCursor: 'c' },
  dashboard: {
    query: { from: '2026-03-01', to: '2026-03-31' }, forms: 1, days: [{ date: '2026-03-10', forms: 1, meanSatisfaction: 5 }], weeks: [week],
    satisfaction: [0, 0, 0, 0, 1], declinedOffers: { cigarette: 0, 'food-drink': 1, gift: 0 }, technicians: [dashboardTechnician],
  },
  checklists: { checklists: [{ any: 'file' }] },
  import: { accepted: 1, duplicate: 0, conflict: 0, rejected: 1, results: [submitResult] },
  parts: { parts: [part] },
  partsImport: { created: 1, updated: 0, errors: [] },
  part: { part },
  partRemoved: { removed: 'XS-1001' },
};

/** Every object of a sample, as a path and the object, so each of its keys can be taken away. */
function objectsOf(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((v, i) => objectsOf(v, [...path, i]));
  if (typeof value !== 'object' || value === null) return [];
  return [path, ...Object.entries(value).flatMap(([k, v]) => objectsOf(v, [...path, k]))];
}
const at = (root: unknown, path: Array<string | number>) => path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);

function holdsItsShape(schema: z.ZodMiniType, sample: Record<string, unknown>, optional: readonly string[] = [], opaque: readonly string[] = []) {
  expect(schema.safeParse(sample).error?.issues ?? []).toEqual([]);
  for (const path of objectsOf(sample)) {
    if (opaque.some((o) => path.join('.') === o || path.join('.').startsWith(`${o}.`))) continue;
    const keys = Object.keys(at(sample, path) as object);
    const extra = structuredClone(sample);
    (at(extra, path) as Record<string, unknown>).unexpected = 1;
    expect(schema.safeParse(extra).success, `${path.join('.')}.unexpected`).toBe(false);
    for (const key of keys) {
      const name = [...path, key].join('.');
      if (optional.includes(name)) continue;
      const without = structuredClone(sample);
      delete (at(without, path) as Record<string, unknown>)[key];
      expect(schema.safeParse(without).success, `without ${name}`).toBe(false);
    }
  }
}

describe('the paths', () => {
  const paths = (node: object): string[] => Object.values(node).flatMap((v) => (typeof v === 'string' ? [v] : paths(v as object)));

  it('every path is under /api/v1, the back office\'s under /api/v1/admin, each once', () => {
    const all = paths(API);
    expect(new Set(all).size).toBe(all.length);
    for (const path of all) expect(path).toMatch(/^\/api\/v1\/[a-z][a-z0-9./-]*$/);
    for (const path of paths(API.admin)) expect(path).toMatch(/^\/api\/v1\/admin\//);
    expect(paths(API).filter((p) => !p.startsWith('/api/v1/admin/'))).toEqual(
      ['/api/v1/enroll', '/api/v1/me', '/api/v1/visits', '/api/v1/checklists', '/api/v1/parts', '/api/v1/forms', '/api/v1/session'],
    );
  });

  it('each admin path is named after what it serves', () => {
    for (const [name, path] of Object.entries(API.admin)) {
      const words = name.replace(/([A-Z])/g, ' $1').toLowerCase().split(' ');
      for (const word of words) expect(path, name).toContain(word === 'ndjson' || word === 'csv' || word === 'xlsx' ? `.${word}` : word);
    }
  });
});

describe('the phone\'s requests and answers', () => {
  it('an enrollment: the code trimmed, bounded, the device fields optional and bounded', () => {
    expect(EnrollRequestSchema.parse({ code: ' 123456 ' })).toEqual({ code: '123456' });
    expect(EnrollRequestSchema.safeParse({ code: '   ' }).success).toBe(false);
    expect(EnrollRequestSchema.safeParse({ code: 'x'.repeat(65) }).success).toBe(false);
    expect(EnrollRequestSchema.safeParse({ code: '1', deviceName: 'x'.repeat(101) }).success).toBe(false);
    expect(EnrollRequestSchema.safeParse({ code: '1', devicePublicKey: 'x'.repeat(401) }).success).toBe(false);
    expect(EnrollRequestSchema.safeParse({ code: '1', deviceName: 'x'.repeat(100), devicePublicKey: 'x'.repeat(400) }).success).toBe(true);
    holdsItsShape(EnrollResponseSchema, { token: 't', technician: { id: 'tech-1', name: '张师傅' } });
  });

  it('a dispatched visit: its id trimmed and bounded, a real date, notes bounded', () => {
    holdsItsShape(DispatchedVisitSchema, visit);
    expect(DispatchedVisitSchema.parse({ ...visit, id: ' V-1 ' }).id).toBe('V-1');
    expect(DispatchedVisitSchema.safeParse({ ...visit, id: ' ' }).success).toBe(false);
    expect(DispatchedVisitSchema.safeParse({ ...visit, id: 'x'.repeat(65) }).success).toBe(false);
    expect(DispatchedVisitSchema.safeParse({ ...visit, scheduledDate: '2026-02-30' }).success).toBe(false);
    expect(DispatchedVisitSchema.safeParse({ ...visit, notes: 'x'.repeat(2001) }).success).toBe(false);
  });

  it('visits with their history: at most three past repairs, format 2 named', () => {
    const past = { visitDate: '2026-01-05', faultFound: '漏油', workDone: '换密封圈', partsUsed: [{ name: '密封圈', quantity: 1 }] };
    holdsItsShape(PastRepairSchema, past);
    const answer = { format: 2, visits: [{ ...visit, history: Array.from({ length: VISIT_HISTORY_FORMS }, () => past) }] };
    holdsItsShape(VisitsResponseV2Schema, answer);
    expect(VisitsResponseV2Schema.safeParse({ ...answer, visits: [{ ...visit, history: Array.from({ length: VISIT_HISTORY_FORMS + 1 }, () => past) }] }).success).toBe(false);
    expect(VisitsResponseV2Schema.safeParse({ ...answer, format: 1 }).success).toBe(false);
  });

  it('the published versions: ids and positive versions', () => {
    holdsItsShape(ChecklistsResponseSchema, { checklists: [{ id: 'onsite-service', version: 1 }] });
    expect(ChecklistsResponseSchema.safeParse({ checklists: [{ id: 'onsite-service', version: 0 }] }).success).toBe(false);
    expect(ChecklistsResponseSchema.safeParse({ checklists: [{ id: '', version: 1 }] }).success).toBe(false);
    expect(ChecklistsResponseSchema.safeParse({ checklists: [{ id: 'x'.repeat(65), version: 1 }] }).success).toBe(false);
  });

  it.each(SUBMIT_STATUSES)('a submission answer with the status %s', (status) => {
    holdsItsShape(SubmitResponseSchema, { results: [{ ...submitResult, status }] }, ['results.0.errors', 'results.0.receivedAt', 'results.0.errors.0.reason'], ['results.0.errors.0.reason.params']);
    expect(SubmitResponseSchema.safeParse({ results: [{ ...submitResult, status: 'lost' }] }).success).toBe(false);
    expect(SubmitResponseSchema.safeParse({ results: [{ index: 0, id: null, status }] }).success).toBe(true);
  });
});

describe('the back office\'s answers', () => {
  it.each(Object.keys(answers) as Array<keyof typeof answers>)('%s', (name) => {
    const optional = ['form.device.location', 'import.results.0.errors', 'import.results.0.receivedAt', 'import.results.0.errors.0.reason', 'dashboard.query.technician'];
    holdsItsShape(AdminAnswerSchemas[name], answers[name], optional.filter((o) => o.startsWith(`${name}.`)).map((o) => o.slice(name.length + 1)), ['form', 'checklists.0', 'results.0.errors.0.reason.params']);
  });

  it('the enums each answer takes', () => {
    for (const outcome of DISPUTE_OUTCOMES) {
      expect(AdminAnswerSchemas.disputeDetail.safeParse({ dispute: { ...dispute, outcome }, events: [{ ...disputeEvent, kind: 'resolved', outcome }] }).success).toBe(true);
    }
    for (const kind of DISPUTE_EVENT_KINDS) expect(AdminAnswerSchemas.disputeDetail.safeParse({ dispute, events: [{ ...disputeEvent, kind }] }).success).toBe(true);
    expect(AdminAnswerSchemas.disputeDetail.safeParse({ dispute, events: [{ ...disputeEvent, kind: 'deleted' }] }).success).toBe(false);
    expect(AdminAnswerSchemas.forms.safeParse({ forms: [{ ...summary, state: 'conflict' }], nextCursor: null }).success).toBe(true);
    expect(AdminAnswerSchemas.forms.safeParse({ forms: [{ ...summary, state: 'rejected' }], nextCursor: null }).success).toBe(false);
    const detail = answers.form as { device: typeof device };
    for (const check of ['verified', 'failed']) {
      expect(AdminAnswerSchemas.form.safeParse({ ...detail, sealCheck: check, device: { ...device, check, location: null } }).success).toBe(true);
    }
    expect(AdminAnswerSchemas.form.safeParse({ ...detail, sealCheck: 'unknown' }).success).toBe(false);
    expect(AdminAnswerSchemas.form.safeParse({ ...detail, device: { ...device, check: 'unknown' } }).success).toBe(false);
    expect(AdminAnswerSchemas.form.safeParse({ ...detail, device: null }).success).toBe(true);
    expect(AdminAnswerSchemas.disputes.safeParse({ disputes: [{ ...dispute, ageMs: -1 }] }).success).toBe(false);
    expect(AdminAnswerSchemas.checklists.safeParse({ checklists: Array.from({ length: 1001 }, () => ({})) }).success).toBe(false);
    expect(DashboardQuerySchema.safeParse({ from: '2026-03-01', to: '2026-03-31', technician: 'tech-1' }).success).toBe(true);
    expect(AdminAnswerSchemas.dashboard.safeParse({ ...answers.dashboard, satisfaction: [0, 0, 0, 1] }).success).toBe(false);
  });
});
