import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseChecklist, type Checklist } from '../../src/domain/checklist';
import { FORM_FORMAT, FormBodySchema, SealedFormSchema, type SealedForm, type SealedFormV1, type SealedFormV2, type VisitAction, type VisitEvent } from '../../src/domain/form-schema';
import { bodyOf, verifySeal } from '../../src/domain/seal';
import { FormNotReadyError, buildFormBody, checkFormConsistency } from '../../src/domain/service-form';
import { apply, createVisit } from '../../src/domain/visit-workflow';
import {
  checklist, checklistPath, completeVisitActions, fakeClock, firstVisitInFestival, header, ordinaryDay, run, sealedForm, signatureBytes, signatureFor,
} from '../fixtures/visits';
import { valueTypedVersion } from '../fixtures/checklists';
import { atLoad } from '../fixtures/load';

// v1's items declaring their value types, under v1's own id and version: what format 1 cannot be filled under
const valueTyped = atLoad('v1 with value types parses', () => parseChecklist(valueTypedVersion(1), 'onsite-service/v1.json'), () => valueTypedVersion(1));
const signature = await signatureFor(signatureBytes());

describe('buildFormBody', () => {
  it('refuses a visit that is not sealed', () => {
    const actions = completeVisitActions(ordinaryDay, signature).slice(0, -1);
    const unsealed = run(createVisit(checklist, ordinaryDay), actions, fakeClock());
    expect(() => buildFormBody(unsealed, header())).toThrow(FormNotReadyError);
    expect(() => buildFormBody(createVisit(checklist, ordinaryDay), header())).toThrow('the visit is not sealed yet');
  });

  it('builds a form that passes the wire schema, holding what the visit recorded', async () => {
    const { form, bytes } = await sealedForm({ facts: firstVisitInFestival });
    expect(SealedFormSchema.safeParse(form).success).toBe(true);
    expect(FormBodySchema.safeParse(bodyOf(form)).success).toBe(true);
    expect(await verifySeal(form, bytes)).toEqual({ ok: true });
    expect(form).toMatchObject({
      format: FORM_FORMAT, formatVersion: 2,
      visit: { id: 'V-2026-0001', ...firstVisitInFestival },
      checklist: { id: 'onsite-service', version: 1 },
      answers: {
        'greet.account': '清扫车主刷不转，有异响。', 'form.fault-found': '主刷电机碳刷磨损', 'form.work-done': '更换碳刷，清理刷盘',
        'form.parts-used': [{ name: '碳刷', quantity: 2 }], 'form.satisfaction': 5, 'form.signer-name': '王先生',
      },
      flags: { dispute: false, conductBreach: false },
    });
    // the signature once: its points are in the event that set it, not in the form's signature
    expect(Object.keys(form.signature).sort()).toEqual(['byteLength', 'height', 'mime', 'sha256', 'width']);
    expect(form.formatVersion === 2 && Object.keys(form.answers)).not.toContain('form.signature');
    expect(JSON.stringify(form).split('"pressure"').length - 1).toBe(JSON.stringify(signature.points).split('"pressure"').length - 1);
    const v1 = (await sealedForm({ facts: firstVisitInFestival, formatVersion: 1 })).form;
    expect(v1).toMatchObject({
      formatVersion: 1, customerAccount: '清扫车主刷不转，有异响。', faultFound: '主刷电机碳刷磨损', workDone: '更换碳刷，清理刷盘',
      partsUsed: [{ name: '碳刷', quantity: 2 }], satisfaction: 5, signerName: '王先生',
    });
    expect(SealedFormSchema.safeParse(v1).success).toBe(true);
    expect(form.sealedAt).toBe(form.events.at(-1)!.at);
    expect(form.sealedElapsedMs).toBe(form.events.at(-1)!.elapsedMs);
    expect(form.testRuns.map((r) => [r.by, r.passed, r.round])).toEqual([['technician', true, 1], ['customer', true, 1]]);
    expect(form.incidents).toEqual([expect.objectContaining({ kind: 'declined-offer', rule: 'no-smoking', flagged: false })]);
  });

  it('lists every item but the reminders with its outcome: done with its time, or not applicable', async () => {
    const { form: ordinary } = await sealedForm();
    const outcome = (form: SealedForm, id: string) => form.items.find((i) => i.id === id);
    expect(ordinary.items.map((i) => i.id)).toEqual(checklist.items.filter((i) => i.kind !== 'reminder').map((i) => i.id));
    expect(outcome(ordinary, 'kit.gift')).toEqual({ id: 'kit.gift', outcome: 'not-applicable', at: null });
    expect(outcome(ordinary, 'greet.introduce')).toEqual({ id: 'greet.introduce', outcome: 'not-applicable', at: null });
    const glovesEvent = ordinary.events.find((e) => e.action.type === 'step' && e.action.step === 'confirm-gloves')!;
    expect(outcome(ordinary, 'must.gloves')).toEqual({ id: 'must.gloves', outcome: 'done', at: glovesEvent.at });
    const techPass = ordinary.testRuns.find((r) => r.by === 'technician')!;
    expect(outcome(ordinary, 'must.technician-test')).toEqual({ id: 'must.technician-test', outcome: 'done', at: techPass.at });
    const { form: festival } = await sealedForm({ facts: firstVisitInFestival });
    expect(outcome(festival, 'kit.gift')).toMatchObject({ outcome: 'done' });
    expect(outcome(festival, 'greet.introduce')).toMatchObject({ outcome: 'done' });
  });

  it('an optional field left empty is "not-done": no answer in format 2, no parts in format 1', () => {
    const actions = completeVisitActions(ordinaryDay, signature).filter((a) => !(a.type === 'set' && 'item' in a && a.item === 'form.parts-used'));
    const form = buildFormBody(run(createVisit(checklist, ordinaryDay), actions, fakeClock()), header());
    expect(form.formatVersion === 2 && Object.keys(form.answers)).not.toContain('form.parts-used');
    const v1 = buildFormBody(run(createVisit(checklist, ordinaryDay), actions, fakeClock()), header(), 1);
    expect(v1.formatVersion === 1 && v1.partsUsed).toEqual([]);
    expect(form.items.find((i) => i.id === 'form.parts-used')).toEqual({ id: 'form.parts-used', outcome: 'not-done', at: null });
    expect(FormBodySchema.safeParse(form).success).toBe(true);
  });

  it('refuses a sealed visit missing a required answer or the signature, naming which, and format 1 under a version with value types', () => {
    const sealed = run(createVisit(checklist, ordinaryDay), completeVisitActions(ordinaryDay, signature), fakeClock());
    const without = (id: string) => {
      const { [id]: _gone, ...answers } = sealed.answers;
      return { ...sealed, answers };
    };
    expect(() => buildFormBody(without('form.satisfaction'), header())).toThrow('the required field "form.satisfaction" is missing although the visit is sealed');
    expect(() => buildFormBody(without('form.signature'), header())).toThrow('the required field "form.signature" is missing although the visit is sealed');
    const optionalSignature = { ...without('form.signature'), checklist: { ...checklist, items: checklist.items.map((i) => (i.id === 'form.signature' ? { ...i, required: false } : i)) } };
    expect(() => buildFormBody(optionalSignature, header())).toThrow('the signature is missing although the visit is sealed');
    // an optional answer missing is no fault
    expect(() => buildFormBody(without('form.parts-used'), header())).not.toThrow();
    const error = (() => {
      try {
        buildFormBody(without('form.satisfaction'), header());
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(FormNotReadyError);
    expect(error!.name).toBe('FormNotReadyError');
    const typedState = { ...sealed, checklist: valueTyped };
    expect(() => buildFormBody(typedState, header(), 1)).toThrow('onsite-service v1 declares value types: its forms have format 2, not 1');
  });

  it('format 1 keeps the key order it has always had, and format 2 carries the signature without its points', () => {
    const sealed = run(createVisit(checklist, ordinaryDay), completeVisitActions(ordinaryDay, signature), fakeClock());
    expect(Object.keys(buildFormBody(sealed, header(), 1))).toEqual([
      'format', 'formatVersion', 'id', 'visit', 'customer', 'equipment', 'technician', 'checklist', 'items', 'customerAccount', 'faultFound', 'workDone',
      'partsUsed', 'testRuns', 'incidents', 'customerOpinion', 'satisfaction', 'conduct', 'attestation', 'signerName', 'signature', 'flags', 'events',
      'sealedAt', 'sealedElapsedMs',
    ]);
    const two = buildFormBody(sealed, header());
    const { points: _points, ...ref } = signature;
    expect(two.signature).toEqual(ref);
    expect(two.formatVersion === 2 && Object.keys(two.answers)).not.toContain('form.signature');
    expect(two.sealedAt).toBe(sealed.events.at(-1)!.at);
    expect(two.sealedElapsedMs).toBe(sealed.events.at(-1)!.elapsedMs);
  });

  it('the technician\'s test is done by its pass in the last round: a failed test, or a pass before the customer\'s failed one, does not count', () => {
    const actions = completeVisitActions(ordinaryDay, signature);
    const techPass = actions.findIndex((a) => a.type === 'test' && a.by === 'technician');
    const retried: VisitAction[] = [
      ...actions.slice(0, techPass),
      { type: 'test', by: 'technician', passed: false, note: '还有异响' },
      actions[techPass]!,
      { type: 'test', by: 'customer', passed: false, note: '仍不转' },
      { type: 'test', by: 'technician', passed: false, note: '再修' },
      { type: 'test', by: 'technician', passed: true, note: '正常' },
      ...actions.slice(techPass + 1),
    ];
    const state = run(createVisit(checklist, ordinaryDay), retried, fakeClock());
    const form = buildFormBody(state, header());
    const lastPass = form.testRuns.filter((r) => r.by === 'technician' && r.passed).at(-1)!;
    expect(form.testRuns.filter((r) => r.by === 'technician' && r.passed)).toHaveLength(2);
    expect(lastPass.round).toBe(2);
    expect(form.items.find((i) => i.id === 'must.technician-test')).toEqual({ id: 'must.technician-test', outcome: 'done', at: lastPass.at });
    expect(checkFormConsistency(form, checklist)).toEqual({ ok: true });
  });

  it('sets the dispute flag when a dispute was reported', () => {
    const actions = completeVisitActions(ordinaryDay, signature);
    actions.splice(actions.length - 1, 0, { type: 'dispute', description: '用户认为收费过高' });
    const form = buildFormBody(run(createVisit(checklist, ordinaryDay), actions, fakeClock()), header());
    expect(form.flags).toEqual({ dispute: true, conductBreach: false });
    expect(form.incidents.at(-1)).toMatchObject({ kind: 'dispute', rule: 'no-arguing', flagged: true, detail: '用户认为收费过高' });
  });
});

describe('checkFormConsistency: the form is what its own event log gives', () => {
  const renumber = (events: VisitEvent[]) => events.map((e, seq) => ({ ...e, seq }));

  it('accepts genuine forms, also after a JSON round trip', async () => {
    for (const facts of [ordinaryDay, firstVisitInFestival]) {
      const { form } = await sealedForm({ facts });
      expect(checkFormConsistency(form, checklist)).toEqual({ ok: true });
      expect(checkFormConsistency(bodyOf(form), checklist)).toEqual({ ok: true });
      expect(checkFormConsistency(JSON.parse(JSON.stringify(form)) as SealedForm, checklist)).toEqual({ ok: true });
    }
  });

  it.each([
    ['answers', (f: SealedForm) => ({ ...f, answers: { ...(f as SealedFormV2).answers, 'form.satisfaction': 1 } })],
    ['answers', (f: SealedForm) => ({ ...f, answers: { ...(f as SealedFormV2).answers, 'form.opinion': '很差' } })],
    ['answers', (f: SealedForm) => {
      const { 'form.parts-used': _parts, ...rest } = (f as SealedFormV2).answers;
      return { ...f, answers: rest };
    }],
    // a nested object with a key added, an array with an element appended, a primitive swapped for another kind
    ['answers', (f: SealedForm) => ({ ...f, answers: { ...(f as SealedFormV2).answers, 'form.parts-used': [{ name: '碳刷', quantity: 2 }, { name: '碳刷', quantity: 2 }] } })],
    ['signature', (f: SealedForm) => ({ ...f, signature: { ...f.signature, width: f.signature.width + 1 } })],
    ['flags', (f: SealedForm) => ({ ...f, flags: { ...f.flags, dispute: null } })],
    ['flags', (f: SealedForm) => ({ ...f, flags: { ...f.flags, dispute: {} } })],
    ['flags', (f: SealedForm) => ({ ...f, flags: { ...f.flags, dispute: [] } })],
    ['items', (f: SealedForm) => ({ ...f, items: [...f.items, f.items[0]!] })],
    ['testRuns', (f: SealedForm) => ({ ...f, testRuns: f.testRuns.map((r, i) => (i === 0 ? { ...r, extra: 1 } : r)) })],
    ['incidents', (f: SealedForm) => ({ ...f, incidents: [] })],
    ['flags', (f: SealedForm) => ({ ...f, flags: { dispute: true, conductBreach: false } })],
    ['items', (f: SealedForm) => ({ ...f, items: f.items.map((i) => (i.id === 'must.gloves' ? { ...i, at: '2026-03-10T00:00:00.000Z' } : i)) })],
    ['testRuns', (f: SealedForm) => ({ ...f, testRuns: f.testRuns.slice(1) })],
    ['sealedAt', (f: SealedForm) => ({ ...f, sealedAt: '2026-03-10T23:59:59.000Z' })],
    // a primitive swapped for an object, an array or null, and an array or object swapped for a look-alike
    ['sealedAt', (f: SealedForm) => ({ ...f, sealedAt: {} })],
    ['sealedElapsedMs', (f: SealedForm) => ({ ...f, sealedElapsedMs: [] })],
    ['sealedElapsedMs', (f: SealedForm) => ({ ...f, sealedElapsedMs: {} })],
    ['flags', (f: SealedForm) => ({ ...f, flags: null })],
    ['items', (f: SealedForm) => ({ ...f, items: f.items.map((i) => (i.at === null ? { ...i, at: {} } : i)) })],
    ['sealedElapsedMs', (f: SealedForm) => ({ ...f, sealedElapsedMs: null })],
    ['sealedElapsedMs', (f: SealedForm) => ({ ...f, sealedElapsedMs: String(f.sealedElapsedMs) })],
    ['items', (f: SealedForm) => ({ ...f, items: { ...f.items, length: f.items.length } })],
    ['items', (f: SealedForm) => ({ ...f, items: null })],
    ['flags', (f: SealedForm) => ({ ...f, flags: [f.flags.dispute, f.flags.conductBreach] })],
    ['flags', (f: SealedForm) => ({ ...f, flags: { dispute: f.flags.dispute, breach: f.flags.conductBreach } })],
    ['flags', (f: SealedForm) => ({ ...f, flags: { dispute: f.flags.dispute } })],
    ['testRuns', (f: SealedForm) => ({ ...f, testRuns: f.testRuns.map((r, i) => (i === 0 ? { ...r, note: `${r.note}!` } : r)) })],
  ])('refuses a format-2 form whose %s was altered in the body but not in the events', async (path, alter) => {
    const { form } = await sealedForm();
    expect(checkFormConsistency(alter(form) as SealedForm, checklist)).toEqual({
      ok: false, path, message: 'does not match what the form\'s own event log gives', reason: { code: 'form-mismatch', params: { field: path } },
    });
  });

  it('a key whose value is undefined is no key, as in JSON: the form is still what its events give', async () => {
    const { form } = await sealedForm();
    const withUndefined = { ...form, flags: { ...form.flags, extra: undefined }, signature: { ...form.signature, note: undefined } };
    expect(checkFormConsistency(withUndefined as SealedForm, checklist)).toEqual({ ok: true });
    // on both sides: the visit's facts go into the rebuilt form as they came
    expect(checkFormConsistency({ ...form, visit: { ...form.visit, extra: undefined } } as unknown as SealedForm, checklist)).toEqual({ ok: true });
    // a shared copy compared with a fresh one, key order aside
    const reordered = JSON.parse(JSON.stringify({ ...form, flags: { conductBreach: form.flags.conductBreach, dispute: form.flags.dispute } })) as SealedForm;
    expect(checkFormConsistency(reordered, checklist)).toEqual({ ok: true });
  });

  it('a format-2 form is checked under a version with value types; a wrong answer is named with what arrived', async () => {
    const { form } = await sealedForm();
    expect(checkFormConsistency(form, valueTyped)).toEqual({ ok: true });
    const answers = (form as SealedFormV2).answers;
    expect(checkFormConsistency({ ...form, answers: { ...answers, 'form.satisfaction': 'five' } } as SealedForm, checklist)).toEqual({
      ok: false, path: 'answers.form.satisfaction', message: 'expected number, got "five"', reason: { code: 'form-mismatch', params: { field: 'answers' } },
    });
  });

  it('an error of the engine itself is thrown, not taken for a refused event', async () => {
    const { form } = await sealedForm();
    const events = [...form.events];
    events.splice(1, 0, { ...events[0]!, action: { type: 'set', field: 'colour', value: 'red' } as unknown as VisitAction });
    const renumbered = events.map((e, seq) => ({ ...e, seq }));
    expect(() => checkFormConsistency({ ...form, events: renumbered }, checklist, { shapeChecked: true })).toThrow('has no field "colour"');
  });

  it('names a format-2 answer of the wrong value type, or for no item of the version, at its own path', async () => {
    const { form } = await sealedForm();
    const answers = (form as SealedFormV2).answers;
    expect(checkFormConsistency({ ...form, answers: { ...answers, 'form.satisfaction': 6 } } as SealedForm, checklist)).toEqual({
      ok: false, path: 'answers.form.satisfaction', message: 'expected a number ≤ 5', reason: { code: 'form-mismatch', params: { field: 'answers' } },
    });
    expect(checkFormConsistency({ ...form, answers: { ...answers, 'meter.hours': 12 } } as SealedForm, checklist)).toMatchObject({
      ok: false, path: 'answers.meter.hours', reason: { code: 'form-mismatch', params: { field: 'answers' } },
    });
  });

  it('accepts a format-1 form, whose events set fields by their v1 names, and refuses format 1 under a version with value types', async () => {
    const { form } = await sealedForm({ formatVersion: 1 });
    expect(form.formatVersion).toBe(1);
    expect(form.events.some((e) => e.action.type === 'set' && 'field' in e.action)).toBe(true);
    expect(checkFormConsistency(form, checklist)).toEqual({ ok: true });
    expect(checkFormConsistency(form, valueTyped)).toEqual({
      ok: false, path: 'formatVersion', message: 'onsite-service v1 declares value types: its forms have format 2', reason: { code: 'form-mismatch', params: { field: 'formatVersion' } },
    });
  });

  it.each([
    ['satisfaction', (f: SealedForm) => ({ ...f, satisfaction: 1 })],
    ['customerOpinion', (f: SealedForm) => ({ ...f, customerOpinion: '很差' })],
    ['partsUsed', (f: SealedForm) => ({ ...f, partsUsed: [] })],
    ['incidents', (f: SealedForm) => ({ ...f, incidents: [] })],
    ['flags', (f: SealedForm) => ({ ...f, flags: { dispute: true, conductBreach: false } })],
    ['items', (f: SealedForm) => ({ ...f, items: f.items.map((i) => (i.id === 'must.gloves' ? { ...i, at: '2026-03-10T00:00:00.000Z' } : i)) })],
    ['testRuns', (f: SealedForm) => ({ ...f, testRuns: f.testRuns.slice(1) })],
    ['sealedAt', (f: SealedForm) => ({ ...f, sealedAt: '2026-03-10T23:59:59.000Z' })],
    ['conduct', (f: SealedForm) => ({ ...f, conduct: { ...(f as SealedFormV1).conduct, 'no-gifts': 'not-kept' as const } })],
  ])('refuses a format-1 form whose %s was altered in the body but not in the events', async (path, alter) => {
    const { form } = await sealedForm({ formatVersion: 1 });
    expect(checkFormConsistency(alter(form), checklist)).toEqual({
      ok: false, path, message: 'does not match what the form\'s own event log gives', reason: { code: 'form-mismatch', params: { field: path } },
    });
  });

  it('refuses a log that breaks a rule: the customer’s test moved before the technician’s', async () => {
    const { form } = await sealedForm();
    const t = form.events.findIndex((e) => e.action.type === 'test' && e.action.by === 'technician');
    const events = renumber([...form.events.slice(0, t), form.events[t + 1]!, form.events[t]!, ...form.events.slice(t + 2)]);
    expect(checkFormConsistency({ ...form, events }, checklist)).toEqual({
      ok: false, path: `events[${t}]`, message: 'the rules refuse this event (refusal.missingPrerequisite, rule must-test)',
      reason: { code: 'event-refused', params: { seq: t, rule: 'must-test', refusal: 'refusal.missingPrerequisite' } },
    });
  });

  it('refuses a log without the gloves, and a log that claims a festival the visit did not keep', async () => {
    const { form } = await sealedForm();
    const events = renumber(form.events.filter((e) => !(e.action.type === 'step' && e.action.step === 'confirm-gloves')));
    const repair = events.findIndex((e) => e.action.type === 'step' && e.action.step === 'start-repair');
    expect(checkFormConsistency({ ...form, events }, checklist)).toMatchObject({ ok: false, path: `events[${repair}]` });
    const start = form.events.findIndex((e) => e.action.type === 'step' && e.action.step === 'start-visit');
    const festive = { ...form, visit: { ...form.visit, festival: firstVisitInFestival.festival } };
    expect(checkFormConsistency(festive, checklist)).toEqual({
      ok: false, path: `events[${start}]`, message: 'the rules refuse this event (refusal.missingPrerequisite, rule five-treasures)',
      reason: { code: 'event-refused', params: { seq: start, rule: 'five-treasures', refusal: 'refusal.missingPrerequisite' } },
    });
  });

  it('refuses a log that does not end with the seal', async () => {
    const { form } = await sealedForm();
    expect(checkFormConsistency({ ...form, events: form.events.slice(0, -1) }, checklist)).toEqual({
      ok: false, path: 'events', message: 'the event log does not end with the seal (step.seal)', reason: { code: 'form-mismatch', params: { field: 'events' } },
    });
  });

  it('refuses events after the seal', async () => {
    const { form } = await sealedForm();
    const events = [...form.events, { ...form.events[0]!, seq: form.events.length }];
    expect(checkFormConsistency({ ...form, events }, checklist)).toEqual({
      ok: false, path: `events[${form.events.length}]`, message: 'the rules refuse this event (refusal.sealed, rule must-form)',
      reason: { code: 'event-refused', params: { seq: form.events.length, rule: 'must-form', refusal: 'refusal.sealed' } },
    });
  });

  it('refuses a form filled against another checklist version', async () => {
    const { form } = await sealedForm();
    const v2 = parseChecklist({ ...(JSON.parse(readFileSync(checklistPath, 'utf8')) as Checklist), version: 2 }, 'onsite-service/v2.json');
    expect(checkFormConsistency(form, v2)).toEqual({
      ok: false, path: 'checklist', message: 'form was filled against onsite-service v1, not onsite-service v2',
      reason: { code: 'unknown-checklist', params: { checklist: 'onsite-service v1', known: 'onsite-service v2' } },
    });
    expect(checkFormConsistency({ ...form, checklist: { id: 'other', version: 1 } }, checklist)).toEqual({
      ok: false, path: 'checklist', message: 'form was filled against other v1, not onsite-service v1',
      reason: { code: 'unknown-checklist', params: { checklist: 'other v1', known: 'onsite-service v1' } },
    });
  });

  it('a form rebuilt from a replayed, re-signed visit is consistent too', async () => {
    const actions = completeVisitActions(ordinaryDay, signature);
    const clock = fakeClock();
    let state = run(createVisit(checklist, ordinaryDay), actions.slice(0, -1), clock);
    for (const action of [{ type: 'clear', field: 'signature' }, { type: 'set', field: 'signature', value: signature }, { type: 'step', step: 'seal' }] as const) {
      const result = apply(state, action, clock);
      if (!result.ok) throw new Error(JSON.stringify(result.refusal));
      state = result.state;
    }
    expect(checkFormConsistency(buildFormBody(state, header()), checklist)).toEqual({ ok: true });
  });
});
