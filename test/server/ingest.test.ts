import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checklist } from '../../src/domain/checklist';
import { checklistRegistry } from '../../src/domain/checklist-registry';
import { ingestBatch, type IngestDeps } from '../../src/server/ingest';
import type { Storage } from '../../src/server/storage/storage';
import { REJECTION_CODES } from '../../src/domain/rejection';
import { bodyOf, sealForm } from '../../src/domain/seal';
import type { SubmitResult } from '../../src/domain/api';
import { checklist, firstVisitInFestival, ordinaryDay, signatureBytes, submittedForm } from '../fixtures/visits';
import { makeForm, registry, sqliteFactory } from './helpers';

describe('ingest', () => {
  let storage: Storage;
  let deps: IngestDeps;
  beforeAll(async () => {
    storage = await sqliteFactory()();
    await storage.createTechnician({ id: 'tech-1', name: '张师傅', phone: '', createdAt: '2026-03-10T00:00:00.000Z' });
    deps = { storage, checklists: registry, now: () => new Date('2026-03-10T08:00:00.000Z') };
  });
  afterAll(async () => {
    await storage.close();
  });
  const asPhone = { kind: 'technician', technicianId: 'tech-1', deviceTime: null } as const;

  it('never throws on arbitrary input: every piece of it is rejected with reasons', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.anything(), { maxLength: 5 }), async (inputs) => {
      const results = await ingestBatch(deps, inputs, asPhone);
      expect(results.map((r) => r.status)).toEqual(inputs.map(() => 'rejected'));
      for (const r of results) expect(r.errors!.length).toBeGreaterThan(0);
      for (const e of results.flatMap((r) => r.errors!)) expect(REJECTION_CODES).toContain(e.reason?.code);
    }), { numRuns: 300 });
  });

  it('never accepts a sealed form with any single value changed', async () => {
    const original = await makeForm();
    const paths: string[][] = [];
    const walk = (value: unknown, path: string[]) => {
      if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      else paths.push(path);
    };
    walk(original.form, []);
    await fc.assert(fc.asyncProperty(fc.constantFrom(...paths), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), async (path, replacement) => {
      const copy = structuredClone(original) as unknown as { form: Record<string, unknown> };
      let target: Record<string, unknown> = copy.form;
      for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
      fc.pre(JSON.stringify(target[path.at(-1)!]) !== JSON.stringify(replacement));
      target[path.at(-1)!] = replacement;
      const [result] = await ingestBatch(deps, [copy], asPhone);
      expect(result!.status).toBe('rejected');
    }), { numRuns: 150 });
  });

  it('rejects, rather than failing the batch, a form whose checks throw', async () => {
    const broken = { ...checklist, items: null } as unknown as Checklist;
    const throwing = { ...deps, checklists: checklistRegistry([broken]) };
    const form = await makeForm();
    const [result] = await ingestBatch(throwing, [form], asPhone);
    expect(result).toMatchObject({ status: 'rejected', errors: [{ path: 'form', message: expect.stringMatching(/^the form cannot be checked: /) }] });
  });

  it('caps the errors of one form at 50, saying how many more there were', async () => {
    const form = await makeForm();
    const events = form.form.events.map(() => ({ seq: -1 }));
    const [result] = await ingestBatch(deps, [{ ...form, form: { ...form.form, events: [...events, ...events, ...events] } }], asPhone);
    expect(result!.errors).toHaveLength(51);
    expect(result!.errors![50]!.message).toMatch(/^and \d+ more errors$/);
  });

  it('flags a seal dated in the future as clock drift when no device time came with it', async () => {
    const form = await makeForm();
    const early = { ...deps, now: () => new Date('2026-03-09T00:00:00.000Z') };
    await ingestBatch(early, [form], { kind: 'import' });
    const stored = await storage.getForm(form.form.id);
    expect(stored?.summary.clockDriftMs).toBe(Date.parse(form.form.sealedAt) - Date.parse('2026-03-09T00:00:00.000Z'));
    expect(stored?.source).toBe('import');
  });

  describe('the festival is for the server to say on a listed date (it decides whether the gift was required)', () => {
    it('accepts a form whose festival matches the listed calendar, on a festival day and on an ordinary day', async () => {
      const festive = await submittedForm({ facts: firstVisitInFestival, technicianId: 'tech-1' });
      const ordinary = await submittedForm({ facts: ordinaryDay, technicianId: 'tech-1' });
      const results = await ingestBatch(deps, [festive, ordinary], asPhone);
      expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    });

    it('rejects a form that says "no festival" on a festival day, so skipped the gift', async () => {
      const lying = await submittedForm({ facts: { ...firstVisitInFestival, festival: null }, technicianId: 'tech-1' });
      const [result] = await ingestBatch(deps, [lying], asPhone);
      expect(result).toMatchObject({ status: 'rejected', errors: [{ path: 'form.visit.festival', message: expect.stringContaining('"spring"') }] });
    });

    it('rejects a festival the calendar does not list for that date', async () => {
      const invented = await submittedForm({ facts: { ...ordinaryDay, festival: firstVisitInFestival.festival }, technicianId: 'tech-1' });
      const [result] = await ingestBatch(deps, [invented], asPhone);
      expect(result).toMatchObject({ status: 'rejected', errors: [{ path: 'form.visit.festival', message: expect.stringContaining('is in no festival') }] });
    });

    it('leaves a date the calendar does not list to the phone (computed years may differ between ICU versions)', async () => {
      const later = await submittedForm({ facts: { date: '2031-03-10', firstVisit: false, festival: null }, technicianId: 'tech-1' });
      const [result] = await ingestBatch(deps, [later], asPhone);
      expect(result!.status).toBe('accepted');
    });
  });

  describe('every rejection carries a code and parameters, for the phone to say it in the technician\'s language', () => {
    const codesOf = (result: SubmitResult | undefined) => result!.errors!.map((e) => e.reason?.code);
    /** The form resealed after `alter`, so only the check under test can refuse it. */
    const resealed = async (alter: (form: Record<string, unknown>) => void) => {
      const submitted = await makeForm();
      const body = structuredClone(bodyOf(submitted.form)) as unknown as Record<string, unknown>;
      alter(body);
      const form = await sealForm(body as unknown as ReturnType<typeof bodyOf>, Buffer.from(submitted.signaturePng, 'base64'));
      return { ...submitted, form };
    };

    it('names each check that refused, with what the phone needs to word it', async () => {
      const good = await makeForm();
      const otherPng = Buffer.from(signatureBytes(7)).toString('base64');
      const cases: Array<[string, unknown, object]> = [
        ['invalid-field', { ...good, form: { ...good.form, satisfaction: '5' } }, {}],
        ['signature-mismatch', { ...good, signaturePng: otherPng }, {}],
        ['seal-mismatch', { ...good, form: { ...good.form, seal: { alg: 'SHA-256', hash: '0'.repeat(64) } } }, {}],
        ['unknown-checklist', { ...good, form: { ...good.form, checklist: { id: 'onsite-service', version: 99 } } }, { checklist: 'onsite-service v99' }],
        ['festival-mismatch', await submittedForm({ facts: { ...firstVisitInFestival, festival: null }, technicianId: 'tech-1' }), { expected: 'spring', claimed: '' }],
        ['form-mismatch', await resealed((f) => void ((f.answers as Record<string, unknown>)['form.satisfaction'] = 1)), { field: 'answers' }],
        ['event-refused', await resealed((f) => void (f.events = (f.events as Array<{ action: { type: string; step?: string } }>)
          .filter((e) => !(e.action.type === 'step' && e.action.step === 'confirm-gloves')).map((e, seq) => ({ ...e, seq })))), { rule: 'must-gloves' }],
      ];
      for (const [code, input, params] of cases) {
        const [result] = await ingestBatch(deps, [input], asPhone);
        expect(result!.status, code).toBe('rejected');
        expect(result!.errors![0]!.reason, code).toMatchObject({ code, params });
      }
      const [foreign] = await ingestBatch(deps, [good], { kind: 'technician', technicianId: 'tech-2', deviceTime: null });
      expect(foreign!.errors![0]!.reason).toEqual({ code: 'technician-mismatch', params: { claimed: 'tech-1', sender: 'tech-2' } });
      const [ghost] = await ingestBatch(deps, [await makeForm({ technicianId: 'ghost' })], { kind: 'import' });
      expect(ghost!.errors![0]!.reason).toEqual({ code: 'unknown-technician', params: { claimed: 'ghost' } });
    });

    it('says a too-large signature in KiB, and how many errors were left out', async () => {
      const good = await makeForm();
      const [big] = await ingestBatch(deps, [{ ...good, signaturePng: 'A'.repeat(1024 * 1024) }], asPhone);
      expect(big!.errors!.find((e) => e.path === 'signaturePng')?.reason).toEqual({ code: 'signature-too-large', params: { maxKiB: 512 } });
      const events = good.form.events.map(() => ({ seq: -1 }));
      const [many] = await ingestBatch(deps, [{ ...good, form: { ...good.form, events: [...events, ...events, ...events] } }], asPhone);
      expect(many!.errors!.at(-1)!.reason).toMatchObject({ code: 'more-errors' });
      expect(many!.errors!.slice(0, -1).every((e) => e.reason?.code === 'invalid-field')).toBe(true);
    });

    it('gives only codes the phone knows', async () => {
      const results = await ingestBatch(deps, [null, 'x', { form: {} }], asPhone);
      for (const code of results.flatMap(codesOf)) expect(REJECTION_CODES).toContain(code);
    });
  });
});
