import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldItem, itemById, parseChecklist, prohibitionRules, type Checklist, type FieldName } from '../../src/domain/checklist';
import type { FieldValues, Signature, VisitAction, VisitFacts } from '../../src/domain/form-schema';
import { buildFormBody } from '../../src/domain/service-form';
import {
  ReplayError, apply, createVisit, currentPhase, decide, incidents, itemStatuses, nextRequiredItem, replay, stepDone,
  type Clock, type Refusal, type VisitState,
} from '../../src/domain/visit-workflow';
import {
  checklist, checklistPath, completeVisitActions, fakeClock, firstVisitInFestival, header, ordinaryDay, run, signatureBytes, signatureFor,
} from '../fixtures/visits';
import { valueTypedVersion } from '../fixtures/checklists';

const signature: Signature = await signatureFor(signatureBytes());
const prohibitions = prohibitionRules(checklist).map((r) => r.id);
const keptConduct = Object.fromEntries(prohibitions.map((id) => [id, 'kept'])) as FieldValues['conduct'];

type Match = (a: VisitAction) => boolean;
const isStep = (step: string): Match => (a) => a.type === 'step' && a.step === step;
const isTick = (item: string): Match => (a) => a.type === 'tick' && a.item === item;
/** A set of the v1 field `field`, by its name (format 1) or by its item's id (format 2). */
const isSet = (field: FieldName): Match => (a) => a.type === 'set' && ('item' in a ? a.item === fieldItem(checklist, field).id : a.field === field);
const answer = (state: VisitState, field: FieldName) => state.answers[fieldItem(checklist, field).id];
const isTest = (by: 'technician' | 'customer'): Match => (a) => a.type === 'test' && a.by === by;
const never: Match = () => false;

/** The complete visit's actions before the first `stop`, leaving out those matching `skip`, applied to a new visit. */
function until(facts: VisitFacts, stop: Match, skip: Match = never, clock: Clock = fakeClock()): VisitState {
  const actions = completeVisitActions(facts, signature);
  const end = actions.findIndex(stop);
  return run(createVisit(checklist, facts), actions.slice(0, end === -1 ? actions.length : end).filter((a) => !skip(a)), clock);
}
const sealedVisit = (facts: VisitFacts = ordinaryDay) => until(facts, never);

/** The refusal of an action; decide() and apply() must agree on it. */
function refusalOf(state: VisitState, action: unknown): Refusal {
  const decision = decide(state, action as VisitAction);
  const result = apply(state, action as VisitAction, fakeClock());
  if (decision.ok || result.ok) throw new Error(`accepted: ${JSON.stringify(action)}`);
  expect(result.refusal).toEqual(decision.refusal);
  return result.refusal;
}

function accept(state: VisitState, action: VisitAction, clock: Clock = fakeClock()): VisitState {
  const result = apply(state, action, clock);
  if (!result.ok) throw new Error(`refused ${JSON.stringify(action)}: ${JSON.stringify(result.refusal)}`);
  return result.state;
}

/** A gate's refusal: `all` is every missing item it lists (by default the one it names). */
const missing = (rule: string, item: string, missingId: string, all: string[] = [missingId]): Refusal => ({ key: 'refusal.missingPrerequisite', rule, params: { item, missing: missingId }, missing: all });
const ruleOf = (id: string) => itemById(checklist, id)!.rule;

describe('prepare: dress and the five treasures before the visit starts', () => {
  const required = ['dress.clothes', 'dress.work-id', 'kit.toolbox', 'kit.towel', 'kit.gloves', 'kit.mat'];

  it.each(required)('start-visit is refused while %s is not ticked', (id) => {
    const state = until(ordinaryDay, isStep('start-visit'), isTick(id));
    expect(refusalOf(state, { type: 'step', step: 'start-visit' })).toEqual(missing(ruleOf(id), 'step.start-visit', id));
  });

  it('with nothing ticked, start-visit is refused by the first rule and lists every missing item in checklist order', () => {
    const fresh = createVisit(checklist, ordinaryDay);
    expect(refusalOf(fresh, { type: 'step', step: 'start-visit' })).toEqual(missing('dress', 'step.start-visit', 'dress.clothes', required));
    // in a festival the gift is listed too
    expect(refusalOf(createVisit(checklist, firstVisitInFestival), { type: 'step', step: 'start-visit' }).missing).toEqual([...required, 'kit.gift']);
  });

  it('on an ordinary day the gift is not applicable: ticking it is refused and the visit starts without it', () => {
    const state = until(ordinaryDay, isStep('start-visit'));
    expect(refusalOf(state, { type: 'tick', item: 'kit.gift' })).toEqual({
      key: 'refusal.notApplicable', rule: 'five-treasures', params: { item: 'kit.gift', condition: 'festival' },
    });
    expect(stepDone(accept(state, { type: 'step', step: 'start-visit' }), 'start-visit')).toBe(true);
  });

  it('in a festival the gift is required: start-visit is refused without it, accepted with it', () => {
    const without = until(firstVisitInFestival, isStep('start-visit'), isTick('kit.gift'));
    expect(refusalOf(without, { type: 'step', step: 'start-visit' })).toEqual(missing('five-treasures', 'step.start-visit', 'kit.gift'));
    const withGift = accept(without, { type: 'tick', item: 'kit.gift' });
    expect(stepDone(accept(withGift, { type: 'step', step: 'start-visit' }), 'start-visit')).toBe(true);
  });

  it('a tick is stamped with the clock, can be unticked before the visit starts, and not ticked twice', () => {
    const clock: Clock = { now: () => ({ at: '2026-03-10T08:00:00.000+08:00', elapsedMs: 7 }) };
    const ticked = accept(createVisit(checklist, ordinaryDay), { type: 'tick', item: 'kit.mat' }, clock);
    expect(ticked.doneAt.get('kit.mat')).toBe('2026-03-10T08:00:00.000+08:00');
    expect(ticked.events).toEqual([{ seq: 0, at: '2026-03-10T08:00:00.000+08:00', elapsedMs: 7, action: { type: 'tick', item: 'kit.mat' } }]);
    expect(refusalOf(ticked, { type: 'tick', item: 'kit.mat' })).toEqual({ key: 'refusal.alreadyDone', rule: 'five-treasures', params: { item: 'kit.mat' } });
    expect(accept(ticked, { type: 'untick', item: 'kit.mat' }).doneAt.has('kit.mat')).toBe(false);
  });

  it('start-visit cannot be done twice', () => {
    const started = until(ordinaryDay, isTick('greet.hello'));
    expect(refusalOf(started, { type: 'step', step: 'start-visit' })).toEqual({
      key: 'refusal.alreadyDone', rule: 'five-treasures', params: { item: 'step.start-visit' },
    });
  });
});

describe('arrive: the greeting and the customer’s account', () => {
  it('nothing of the greeting before the visit starts', () => {
    const state = until(ordinaryDay, isStep('start-visit'));
    expect(refusalOf(state, { type: 'tick', item: 'greet.hello' })).toEqual(missing('five-treasures', 'greet.hello', 'step.start-visit'));
    expect(refusalOf(state, { type: 'step', step: 'confirm-gloves' })).toEqual(missing('five-treasures', 'must.gloves', 'step.start-visit'));
  });

  it('the introduction is not applicable on a repeat visit', () => {
    const state = until(ordinaryDay, isSet('customerAccount'));
    expect(refusalOf(state, { type: 'tick', item: 'greet.introduce' })).toEqual({
      key: 'refusal.notApplicable', rule: 'greeting', params: { item: 'greet.introduce', condition: 'firstVisit' },
    });
  });

  it('on a first visit the introduction comes after hello and is required before the repair', () => {
    const started = until(firstVisitInFestival, isTick('greet.hello'));
    expect(refusalOf(started, { type: 'tick', item: 'greet.introduce' })).toEqual(missing('greeting', 'greet.introduce', 'greet.hello'));
    const noIntro = until(firstVisitInFestival, isStep('start-repair'), isTick('greet.introduce'));
    expect(refusalOf(noIntro, { type: 'step', step: 'start-repair' })).toEqual(missing('greeting', 'step.start-repair', 'greet.introduce'));
    expect(stepDone(accept(accept(noIntro, { type: 'tick', item: 'greet.introduce' }), { type: 'step', step: 'start-repair' }), 'start-repair')).toBe(true);
  });

  it('the customer’s account comes after hello and must not be blank', () => {
    const started = until(ordinaryDay, isTick('greet.hello'));
    expect(refusalOf(started, { type: 'set', field: 'customerAccount', value: '有异响' })).toEqual(missing('greeting', 'greet.account', 'greet.hello'));
    const greeted = accept(started, { type: 'tick', item: 'greet.hello' });
    expect(refusalOf(greeted, { type: 'set', field: 'customerAccount', value: ' \n ' })).toEqual({
      key: 'refusal.invalidValue', rule: 'greeting', params: { item: 'greet.account', path: 'customerAccount', message: 'expected non-blank text' },
    });
    expect(refusalOf(greeted, { type: 'set', field: 'customerAccount', value: 'x'.repeat(4001) })).toMatchObject({
      key: 'refusal.invalidValue', params: { path: 'customerAccount', message: 'expected at most 4000 characters' },
    });
    expect(answer(accept(greeted, { type: 'set', field: 'customerAccount', value: '有异响' }), 'customerAccount')).toBe('有异响');
  });
});

describe('repair: greeting, account and gloves first (三必须①)', () => {
  const startRepair: VisitAction = { type: 'step', step: 'start-repair' };

  it('refused before hello', () => {
    // hello, the account after it and the gloves: everything the repair still waits for
    expect(refusalOf(until(ordinaryDay, isTick('greet.hello')), startRepair))
      .toEqual(missing('greeting', 'step.start-repair', 'greet.hello', ['greet.hello', 'greet.account', 'must.gloves']));
  });

  it('refused without the customer’s account', () => {
    const state = until(ordinaryDay, isStep('start-repair'), isSet('customerAccount'));
    expect(refusalOf(state, startRepair)).toEqual(missing('greeting', 'step.start-repair', 'greet.account'));
  });

  it('refused until gloves are confirmed, by the gloves rule', () => {
    const state = until(ordinaryDay, isStep('confirm-gloves'));
    expect(refusalOf(state, startRepair)).toEqual(missing('must-gloves', 'step.start-repair', 'must.gloves'));
    expect(itemStatuses(state).get('step.start-repair')).toEqual({ status: 'blocked', refusal: missing('must-gloves', 'step.start-repair', 'must.gloves') });
  });

  it('the gloves confirmation is time-stamped by the injected clock, once', () => {
    const state = until(ordinaryDay, isStep('confirm-gloves'));
    const clock: Clock = { now: () => ({ at: '2026-03-10T09:41:07.123+08:00', elapsedMs: 4242 }) };
    const result = apply(state, { type: 'step', step: 'confirm-gloves' }, clock);
    if (!result.ok) throw new Error('gloves refused');
    expect(result.event).toEqual({ seq: state.events.length, at: '2026-03-10T09:41:07.123+08:00', elapsedMs: 4242, action: { type: 'step', step: 'confirm-gloves' } });
    expect(result.state.doneAt.get('must.gloves')).toBe('2026-03-10T09:41:07.123+08:00');
    expect(itemStatuses(result.state).get('must.gloves')).toEqual({ status: 'done', at: '2026-03-10T09:41:07.123+08:00' });
    expect(refusalOf(result.state, { type: 'step', step: 'confirm-gloves' })).toEqual({ key: 'refusal.alreadyDone', rule: 'must-gloves', params: { item: 'must.gloves' } });
    expect(stepDone(accept(result.state, startRepair), 'start-repair')).toBe(true);
  });

  it('the account cannot change once the repair has started', () => {
    const state = until(ordinaryDay, isSet('faultFound'));
    expect(refusalOf(state, { type: 'set', field: 'customerAccount', value: '别的' })).toEqual({
      key: 'refusal.laterStepDone', rule: 'must-gloves', params: { item: 'greet.account', dependent: 'step.start-repair' },
    });
  });
});

describe('verify: the technician’s test run first, then the customer’s (三必须②)', () => {
  const tech = (passed: boolean): VisitAction => ({ type: 'test', by: 'technician', passed, note: passed ? '正常' : '仍有异响' });
  const customer = (passed: boolean): VisitAction => ({ type: 'test', by: 'customer', passed, note: '' });
  const customerRefused = missing('must-test', 'must.customer-test', 'must.technician-test');

  it('no test run before the repair starts', () => {
    expect(refusalOf(until(ordinaryDay, isStep('start-repair')), tech(true))).toEqual(missing('must-gloves', 'must.technician-test', 'step.start-repair'));
  });

  it('no customer test before a passed technician test', () => {
    expect(refusalOf(until(ordinaryDay, isTest('technician')), customer(true))).toEqual(customerRefused);
  });

  it('a failed technician test keeps the visit in repair and allows another technician test', () => {
    const failed = accept(until(ordinaryDay, isTest('technician')), tech(false));
    expect(currentPhase(failed)).toBe('repair');
    expect(refusalOf(failed, customer(true))).toEqual(customerRefused);
    const passed = accept(failed, tech(true));
    expect(currentPhase(passed)).toBe('verify');
    expect(passed.testRuns.map((r) => [r.by, r.passed, r.round])).toEqual([['technician', false, 1], ['technician', true, 1]]);
    expect(refusalOf(passed, tech(true))).toEqual({ key: 'refusal.alreadyDone', rule: 'must-test', params: { item: 'must.technician-test' } });
  });

  it('a failed customer test starts a new round: the technician tests again before the customer may', () => {
    const clock = fakeClock();
    const failed = accept(accept(until(ordinaryDay, isTest('technician'), never, clock), tech(true), clock), customer(false), clock);
    expect(failed.round).toBe(2);
    expect(currentPhase(failed)).toBe('repair');
    expect(refusalOf(failed, customer(true))).toEqual(customerRefused);
    expect(refusalOf(failed, { type: 'set', field: 'customerOpinion', value: '好' })).toEqual(missing('must-test', 'form.opinion', 'must.customer-test'));
    const again = accept(accept(failed, tech(true), clock), customer(true), clock);
    expect(again.testRuns.map((r) => [r.by, r.passed, r.round])).toEqual([
      ['technician', true, 1], ['customer', false, 1], ['technician', true, 2], ['customer', true, 2],
    ]);
    const times = again.testRuns.map((r) => r.at);
    expect(times).toEqual(again.events.slice(-4).map((e) => e.at));
    expect(again.doneAt.get('must.customer-test')).toBe(times[3]);
    expect(itemStatuses(again).get('must.technician-test')).toEqual({ status: 'done', at: times[2] });
    expect(refusalOf(again, customer(true))).toEqual({ key: 'refusal.alreadyDone', rule: 'must-test', params: { item: 'must.customer-test' } });
  });

  it('the technician’s test cannot be repeated once the customer has passed it', () => {
    expect(refusalOf(until(ordinaryDay, isSet('customerOpinion')), tech(true))).toEqual({
      key: 'refusal.alreadyDone', rule: 'must-test', params: { item: 'must.technician-test' },
    });
  });
});

describe('sign: no seal without every required field (三必须③)', () => {
  const requiredBeforeSignature: Array<[keyof FieldValues, string]> = [
    ['faultFound', 'form.fault-found'], ['workDone', 'form.work-done'], ['customerOpinion', 'form.opinion'],
    ['satisfaction', 'form.satisfaction'], ['conduct', 'form.conduct'], ['attestation', 'form.attestation'], ['signerName', 'form.signer-name'],
  ];
  const seal: VisitAction = { type: 'step', step: 'seal' };
  const sign: VisitAction = { type: 'set', field: 'signature', value: signature };

  it.each(requiredBeforeSignature)('without %s the customer cannot sign and the form cannot be sealed', (field, id) => {
    const state = until(ordinaryDay, isSet('signature'), isSet(field));
    expect(refusalOf(state, sign)).toEqual(missing('must-form', 'form.signature', id));
    // the seal's refusal lists the answer and the signature that still wait, not the signature alone
    expect(refusalOf(state, seal)).toEqual(missing('must-form', 'step.seal', 'form.signature', [id, 'form.signature']));
  });

  it('without the signature the form cannot be sealed', () => {
    expect(refusalOf(until(ordinaryDay, isStep('seal'), isSet('signature')), seal)).toEqual(missing('must-form', 'step.seal', 'form.signature'));
  });

  it('parts used are optional', () => {
    expect(until(ordinaryDay, never, isSet('partsUsed')).sealed).toBe(true);
  });

  it('the seal checks every required item itself, even one its order constraints do not reach', () => {
    const raw = JSON.parse(readFileSync(checklistPath, 'utf8')) as Checklist;
    raw.items.find((i) => i.id === 'step.seal')!.after = [];
    const loose = parseChecklist(raw, 'loose.json');
    const fresh = createVisit(loose, ordinaryDay);
    const everyRequired = loose.items.filter((i) => i.required && i.id !== 'step.seal' && i.condition === undefined).map((i) => i.id);
    expect(refusalOf(fresh, seal)).toEqual({
      key: 'refusal.incompleteForm', rule: 'dress', params: { item: 'dress.clothes', missing: 'dress.clothes' }, missing: everyRequired,
    });
    const actions = completeVisitActions(ordinaryDay, signature).filter((a) => !isSet('signature')(a) && !isStep('seal')(a));
    const unsigned = run(fresh, actions, fakeClock());
    expect(refusalOf(unsigned, seal)).toEqual({
      key: 'refusal.incompleteForm', rule: 'must-form', params: { item: 'form.signature', missing: 'form.signature' }, missing: ['form.signature'],
    });
  });

  it.each([0, 6, -1, 2.5, '5', null, Number.NaN])('satisfaction %j is refused as an invalid value', (value) => {
    const state = until(ordinaryDay, isSet('satisfaction'));
    const refusal = refusalOf(state, { type: 'set', field: 'satisfaction', value });
    expect(refusal).toMatchObject({ key: 'refusal.invalidValue', rule: 'must-form', params: { item: 'form.satisfaction', path: 'satisfaction' } });
    expect(refusal.params.message).toMatch(/^expected /);
  });

  it('satisfaction 1 to 5 is accepted', () => {
    const state = until(ordinaryDay, isSet('satisfaction'));
    for (const value of [1, 2, 3, 4, 5]) expect(answer(accept(state, { type: 'set', field: 'satisfaction', value }), 'satisfaction')).toBe(value);
  });

  it('the conduct confirmation must answer each of the four prohibitions', () => {
    const state = until(ordinaryDay, isSet('conduct'));
    const set = (value: unknown) => ({ type: 'set', field: 'conduct', value });
    for (const id of prohibitions) {
      const { [id]: _left, ...rest } = keptConduct;
      expect(refusalOf(state, set(rest))).toEqual({ key: 'refusal.conductIncomplete', rule: id, params: { item: 'form.conduct', missing: id }, missing: [id] });
    }
    expect(refusalOf(state, set({}))).toMatchObject({ key: 'refusal.conductIncomplete', rule: 'no-smoking', missing: prohibitions });
    expect(refusalOf(state, set({ ...keptConduct, 'no-swearing': 'kept' }))).toEqual({
      key: 'refusal.invalidValue', rule: 'must-form', params: { item: 'form.conduct', path: 'conduct.no-swearing', message: 'not one of the four prohibitions' },
    });
    expect(refusalOf(state, set({ ...keptConduct, No_Food: 'kept' }))).toEqual({
      key: 'refusal.invalidValue', rule: 'must-form',
      params: { item: 'form.conduct', path: 'conduct.No_Food', message: 'invalid key: expected text of the expected form, got "No_Food"' },
    });
    expect(refusalOf(state, set({ ...keptConduct, 'no-food': 'maybe' }))).toEqual({
      key: 'refusal.invalidValue', rule: 'must-form', params: { item: 'form.conduct', path: 'conduct.no-food', message: 'expected one of "kept", "not-kept", got "maybe"' },
    });
  });

  it('the technician’s attestation must include all four prohibitions', () => {
    const state = until(ordinaryDay, isSet('attestation'));
    for (const id of prohibitions) {
      expect(refusalOf(state, { type: 'set', field: 'attestation', value: prohibitions.filter((p) => p !== id) })).toEqual({
        key: 'refusal.attestationIncomplete', rule: id, params: { item: 'form.attestation', missing: id }, missing: [id],
      });
    }
    expect(refusalOf(state, { type: 'set', field: 'attestation', value: [] })).toMatchObject({ key: 'refusal.attestationIncomplete', missing: prohibitions });
    expect(refusalOf(state, { type: 'set', field: 'attestation', value: [...prohibitions, 'no-swearing'] })).toEqual({
      key: 'refusal.invalidValue', rule: 'must-form', params: { item: 'form.attestation', path: 'attestation', message: '"no-swearing" is not one of the four prohibitions' },
    });
  });

  it('a signature with no strokes or no bytes is refused with its path', () => {
    const state = until(ordinaryDay, isSet('signature'));
    const sign = (value: unknown) => refusalOf(state, { type: 'set', field: 'signature', value });
    expect(sign({ ...signature, points: [] })).toEqual({
      key: 'refusal.invalidValue', rule: 'must-form', params: { item: 'form.signature', path: 'signature.points', message: 'expected at least 1 entry' },
    });
    expect(sign({ ...signature, byteLength: 0 })).toMatchObject({ key: 'refusal.invalidValue', params: { path: 'signature.byteLength' } });
    expect(sign(null)).toMatchObject({ key: 'refusal.invalidValue', params: { path: 'signature', message: 'expected object, got null' } });
  });

  it('a field cannot change after the signature until the signature is cleared', () => {
    const signed = until(ordinaryDay, isStep('seal'));
    const laterStep = { key: 'refusal.laterStepDone', rule: 'must-form', params: { item: 'form.fault-found', dependent: 'form.signature' } };
    expect(refusalOf(signed, { type: 'set', field: 'faultFound', value: '另一个故障' })).toEqual(laterStep);
    expect(refusalOf(signed, { type: 'clear', field: 'faultFound' })).toEqual(laterStep);
    expect(refusalOf(signed, { type: 'set', field: 'partsUsed', value: [] })).toMatchObject({ key: 'refusal.laterStepDone', params: { dependent: 'form.signature' } });
    const unsigned = accept(signed, { type: 'clear', field: 'signature' });
    expect(answer(unsigned, 'signature')).toBeUndefined();
    expect(refusalOf(unsigned, { type: 'step', step: 'seal' })).toEqual(missing('must-form', 'step.seal', 'form.signature'));
    const changed = accept(unsigned, { type: 'set', field: 'faultFound', value: '另一个故障' });
    const resealed = accept(accept(changed, { type: 'set', field: 'signature', value: signature }), { type: 'step', step: 'seal' });
    expect(resealed.sealed).toBe(true);
    expect(answer(resealed, 'faultFound')).toBe('另一个故障');
  });

  it('clearing a field that was never set is refused', () => {
    expect(refusalOf(until(ordinaryDay, isSet('faultFound')), { type: 'clear', field: 'faultFound' })).toEqual({
      key: 'refusal.notDone', rule: 'must-form', params: { item: 'form.fault-found' },
    });
  });
});

describe('the four prohibitions: declined offers, disputes and the customer’s confirmation', () => {
  const offers = [['cigarette', 'no-smoking', 'ban.smoking'], ['food-drink', 'no-food', 'ban.food'], ['gift', 'no-gifts', 'ban.gifts']] as const;

  it.each(offers)('a declined %s is logged under %s, not flagged', (offer, rule) => {
    const clock = fakeClock();
    const state = accept(until(ordinaryDay, isTick('greet.hello'), never, clock), { type: 'offer-declined', offer, note: '婉拒' }, clock);
    expect(incidents(state)).toEqual([{ kind: 'declined-offer', rule, detail: `${offer}: 婉拒`, at: state.events.at(-1)!.at, flagged: false }]);
  });

  it.each(offers)('a declined %s with an empty note is logged by its kind alone', (offer, rule) => {
    const clock = fakeClock();
    const state = accept(until(ordinaryDay, isTick('greet.hello'), never, clock), { type: 'offer-declined', offer, note: '' }, clock);
    expect(incidents(state)).toEqual([{ kind: 'declined-offer', rule, detail: offer, at: state.events.at(-1)!.at, flagged: false }]);
  });

  it('a dispute is logged under no-arguing and flagged for customer service', () => {
    const state = accept(until(ordinaryDay, isTest('technician')), { type: 'dispute', description: '用户对收费有异议' });
    expect(incidents(state).filter((i) => i.kind === 'dispute')).toEqual([
      { kind: 'dispute', rule: 'no-arguing', detail: '用户对收费有异议', at: state.events.at(-1)!.at, flagged: true },
    ]);
    expect(buildFormBody(until(ordinaryDay, never), header()).flags.dispute).toBe(false);
  });

  it('offers and disputes are refused before the visit starts', () => {
    const state = until(ordinaryDay, isStep('start-visit'));
    for (const [offer, , reminder] of offers) {
      // the refusal names the log refused (declining this offer), not only the prohibition's item
      const refused = missing('five-treasures', reminder, 'step.start-visit');
      expect(refusalOf(state, { type: 'offer-declined', offer, note: '' })).toEqual({ ...refused, params: { ...refused.params, action: 'offer-declined', offer } });
    }
    const refused = missing('five-treasures', 'ban.arguing', 'step.start-visit');
    expect(refusalOf(state, { type: 'dispute', description: '争议' })).toEqual({ ...refused, params: { ...refused.params, action: 'dispute' } });
  });

  it('a "not kept" in the customer’s confirmation becomes a flagged conduct-breach incident on the form', async () => {
    const actions = completeVisitActions(ordinaryDay, signature).map((a) =>
      isSet('conduct')(a) ? { ...a, value: { ...keptConduct, 'no-food': 'not-kept' } } as VisitAction : a);
    const state = run(createVisit(checklist, ordinaryDay), actions, fakeClock());
    const conductAt = state.doneAt.get('form.conduct')!;
    expect(incidents(state)).toContainEqual({ kind: 'conduct-breach', rule: 'no-food', detail: 'not-kept', at: conductAt, flagged: true });
    expect(incidents(state).filter((i) => i.kind === 'conduct-breach')).toHaveLength(1);
    const form = buildFormBody(state, header());
    expect(form.flags).toEqual({ dispute: false, conductBreach: true });
  });
});

describe('ticks and unticks', () => {
  it('an untick is refused once a later step is done', () => {
    const started = until(ordinaryDay, isTick('greet.hello'));
    expect(refusalOf(started, { type: 'untick', item: 'kit.towel' })).toEqual({
      key: 'refusal.laterStepDone', rule: 'five-treasures', params: { item: 'kit.towel', dependent: 'step.start-visit' },
    });
    const accounted = until(ordinaryDay, isStep('confirm-gloves'));
    expect(refusalOf(accounted, { type: 'untick', item: 'greet.hello' })).toEqual({
      key: 'refusal.laterStepDone', rule: 'greeting', params: { item: 'greet.hello', dependent: 'greet.account' },
    });
  });

  it('unknown items, items that are not ticks, and unticks of what is not ticked are refused', () => {
    const state = until(ordinaryDay, isStep('start-visit'));
    expect(refusalOf(state, { type: 'tick', item: 'kit.hammer' })).toEqual({ key: 'refusal.unknownItem', rule: 'must-form', params: { item: 'kit.hammer' } });
    expect(refusalOf(state, { type: 'tick', item: 'form.opinion' })).toEqual({ key: 'refusal.notTickable', rule: 'must-form', params: { item: 'form.opinion' } });
    expect(refusalOf(state, { type: 'untick', item: 'must.gloves' })).toEqual({ key: 'refusal.notTickable', rule: 'must-gloves', params: { item: 'must.gloves' } });
    expect(refusalOf(state, { type: 'untick', item: 'kit.gift' })).toEqual({ key: 'refusal.notDone', rule: 'five-treasures', params: { item: 'kit.gift' } });
  });
});

describe('after the seal nothing changes', () => {
  const sealed = sealedVisit(firstVisitInFestival);
  const everyKind: unknown[] = [
    { type: 'tick', item: 'kit.gift' }, { type: 'untick', item: 'kit.mat' },
    ...['start-visit', 'confirm-gloves', 'start-repair', 'seal'].map((step) => ({ type: 'step', step })),
    { type: 'test', by: 'technician', passed: true, note: '' }, { type: 'test', by: 'customer', passed: false, note: '' },
    { type: 'set', field: 'satisfaction', value: 1 }, { type: 'set', field: 'signature', value: signature }, { type: 'clear', field: 'signature' },
    { type: 'offer-declined', offer: 'gift', note: '' }, { type: 'dispute', description: '争议' },
    null, { type: 'nope' },
  ];

  it.each(everyKind)('%j is refused as sealed', (action) => {
    expect(refusalOf(sealed, action)).toEqual({ key: 'refusal.sealed', rule: 'must-form', params: {} });
  });

  it('every item is done, not applicable, or blocked by the seal', () => {
    for (const [id, status] of itemStatuses(sealed)) {
      if (status.status === 'blocked') expect(status.refusal.key, id).toBe('refusal.sealed');
      else expect(['done', 'not-applicable'], id).toContain(status.status);
    }
  });
});

describe('malformed actions are refused, never thrown', () => {
  const state = until(ordinaryDay, isTick('greet.hello'));
  const cases: Array<[unknown, string, string]> = [
    [null, '(root)', 'expected object, got null'],
    [undefined, '(root)', 'expected object, got nothing'],
    [42, '(root)', 'expected object, got number 42'],
    [[], '(root)', 'expected object, got an array'],
    [{}, 'type', 'expected one of "tick", "untick", "step", "test", "set", "clear", "offer-declined", "dispute", got nothing'],
    [{ type: 'nope' }, 'type', 'expected one of "tick", "untick", "step", "test", "set", "clear", "offer-declined", "dispute", got "nope"'],
    [{ type: 'tick', item: 3 }, 'item', 'expected string, got number 3'],
    [{ type: 'tick', item: 'kit.mat', extra: true }, 'extra', 'unknown field "extra"'],
    [{ type: 'step', step: 'technician-test' }, 'step', 'expected one of "start-visit", "confirm-gloves", "start-repair", "seal", got "technician-test"'],
    [{ type: 'test', by: 'technician', passed: 'yes', note: '' }, 'passed', 'expected boolean, got "yes"'],
    [{ type: 'test', by: 'technician', passed: true }, 'note', 'expected string, got nothing'],
    [{ type: 'set', field: 'colour', value: 'red' }, 'field', expect.stringMatching(/^expected one of "customerAccount", .*"signature", got "colour"$/) as unknown as string],
    [{ type: 'set', field: 'satisfaction', value: 3, by: 'me' }, 'by', 'unknown field "by"'],
    [{ type: 'clear', field: 7 }, 'field', expect.stringMatching(/, got number 7$/) as unknown as string],
    [{ type: 'offer-declined', offer: 'money', note: '' }, 'offer', 'expected one of "cigarette", "food-drink", "gift", got "money"'],
    [{ type: 'dispute', description: '   ' }, 'description', 'expected non-blank text'],
    [{ type: 'dispute', description: 'a\uD800b' }, 'description', 'expected well-formed Unicode text, found a lone surrogate'],
  ];

  it.each(cases)('%j → refusal.malformed at %s', (action, path, message) => {
    expect(refusalOf(state, action)).toEqual({ key: 'refusal.malformed', rule: 'must-form', params: { path, message } });
  });

  it('a refused action leaves the state as it was', () => {
    const before = structuredClone([...state.events]);
    refusalOf(state, { type: 'nope' });
    expect(state.events).toEqual(before);
  });
});

describe('fields by name and by item id, and shapeChecked (a received form the wire schema has checked)', () => {
  const state = until(ordinaryDay, isSet('satisfaction'));

  it('a v1 field name the checklist does not know is refused as malformed, naming the field', () => {
    expect(refusalOf(state, { type: 'set', field: 'hourMeter', value: 12 })).toMatchObject({ key: 'refusal.malformed', rule: 'must-form', params: { path: 'field' } });
    expect(refusalOf(state, { type: 'clear', field: 'hourMeter' })).toMatchObject({ key: 'refusal.malformed', params: { path: 'field' } });
  });

  it('under a version that declares value types, a v1 field name is an unknown item, and a set of a tick is not a field', () => {
    const typed = parseChecklist(valueTypedVersion(2), 'onsite-service/v2.json');
    const typedState = createVisit(typed, ordinaryDay);
    for (const action of [{ type: 'set', field: 'satisfaction', value: 5 }, { type: 'clear', field: 'satisfaction' }]) {
      expect(refusalOf(typedState, action)).toEqual({ key: 'refusal.unknownItem', rule: 'must-form', params: { item: 'satisfaction' } });
    }
    expect(refusalOf(state, { type: 'set', item: 'kit.mat', value: 'x' })).toEqual({ key: 'refusal.notAField', rule: 'must-form', params: { item: 'kit.mat' } });
    expect(refusalOf(state, { type: 'clear', item: 'kit.mat' })).toEqual({ key: 'refusal.notAField', rule: 'must-form', params: { item: 'kit.mat' } });
    expect(refusalOf(state, { type: 'set', item: 'kit.hammer', value: 'x' })).toEqual({ key: 'refusal.unknownItem', rule: 'must-form', params: { item: 'kit.hammer' } });
  });

  it('shapeChecked trusts the wire schema for a value set by v1 name, but still checks a value set by item id against its item', () => {
    const byName = { type: 'set', field: 'satisfaction', value: 9 } as unknown as VisitAction;
    expect(decide(state, byName)).toMatchObject({ ok: false, refusal: { key: 'refusal.invalidValue', params: { item: 'form.satisfaction', path: 'satisfaction' } } });
    expect(decide(state, byName, { shapeChecked: true })).toEqual({ ok: true });
    const byId = { type: 'set', item: 'form.satisfaction', value: 9 } as unknown as VisitAction;
    for (const options of [{}, { shapeChecked: true }]) {
      expect(decide(state, byId, options)).toMatchObject({ ok: false, refusal: { key: 'refusal.invalidValue', rule: ruleOf('form.satisfaction'), params: { item: 'form.satisfaction', path: 'form.satisfaction' } } });
    }
  });

  it('shapeChecked skips the action schema: an extra key is no longer malformed, the rules still apply', () => {
    const extra = { type: 'tick', item: 'kit.gift', extra: true } as unknown as VisitAction;
    expect(decide(state, extra)).toMatchObject({ ok: false, refusal: { key: 'refusal.malformed', params: { path: 'extra' } } });
    expect(decide(state, extra, { shapeChecked: true })).toEqual(decide(state, { type: 'tick', item: 'kit.gift' }));
    const sealed = sealedVisit();
    expect(decide(sealed, extra, { shapeChecked: true })).toEqual({ ok: false, refusal: { key: 'refusal.sealed', rule: 'must-form', params: {} } });
  });

  it('replay passes shapeChecked on: a log whose v1-named value only the wire schema would refuse replays', () => {
    const clock = fakeClock();
    const events = [...state.events, { seq: state.events.length, ...clock.now(), action: { type: 'set', field: 'satisfaction', value: 9 } as unknown as VisitAction }];
    expect(() => replay(checklist, ordinaryDay, events)).toThrow(ReplayError);
    expect(replay(checklist, ordinaryDay, events, { shapeChecked: true }).answers['form.satisfaction']).toBe(9);
  });
});

describe('replay', () => {
  /** A visit with detours: unticks, a failed test of each kind, offers, a dispute, a re-signed form. */
  function detouredVisit(): VisitState {
    const clock = fakeClock();
    let state = createVisit(checklist, firstVisitInFestival);
    const step = (action: VisitAction) => { state = accept(state, action, clock); };
    for (const action of completeVisitActions(firstVisitInFestival, signature)) {
      if (isTick('kit.mat')(action)) { step(action); step({ type: 'untick', item: 'kit.mat' }); }
      if (isTest('technician')(action)) step({ type: 'test', by: 'technician', passed: false, note: '' });
      if (isTest('customer')(action)) {
        step({ type: 'test', by: 'customer', passed: false, note: '仍有异响' });
        step({ type: 'dispute', description: '争议' });
        step({ type: 'test', by: 'technician', passed: true, note: '' });
      }
      if (isStep('seal')(action)) { step({ type: 'clear', field: 'signature' }); step({ type: 'set', field: 'signature', value: signature }); }
      step(action);
    }
    return state;
  }

  it('the stored events give the same state, at every point of the visit', () => {
    const live = detouredVisit();
    expect(live.sealed).toBe(true);
    expect(live.round).toBe(2);
    for (let n = 0; n <= live.events.length; n += 1) {
      const prefix = live.events.slice(0, n);
      const replayed = replay(checklist, firstVisitInFestival, prefix);
      expect(replayed.events).toEqual(prefix);
    }
    expect(replay(checklist, firstVisitInFestival, live.events)).toEqual(live);
    expect(replay(checklist, firstVisitInFestival, JSON.parse(JSON.stringify(live.events)))).toEqual(live);
  });

  function replayError(events: VisitState['events'], facts: VisitFacts = ordinaryDay): ReplayError {
    try {
      replay(checklist, facts, events);
    } catch (error) {
      if (error instanceof ReplayError) return error;
      throw error;
    }
    throw new Error('replay accepted a tampered log');
  }
  const renumber = (events: VisitState['events']) => events.map((e, seq) => ({ ...e, seq }));

  it('a customer test moved before the technician’s is refused at its seq', () => {
    const events = [...sealedVisit().events];
    const t = events.findIndex((e) => isTest('technician')(e.action));
    const swapped = renumber([...events.slice(0, t), events[t + 1]!, events[t]!, ...events.slice(t + 2)]);
    const error = replayError(swapped);
    expect(error.seq).toBe(t);
    expect(error.refusal).toEqual(missing('must-test', 'must.customer-test', 'must.technician-test'));
    expect(error.message).toContain(`event ${t} is refused on replay: refusal.missingPrerequisite (rule must-test)`);
  });

  it('a log without the gloves is refused where the repair starts', () => {
    const events = renumber(sealedVisit().events.filter((e) => !isStep('confirm-gloves')(e.action)));
    const error = replayError(events);
    expect(error.seq).toBe(events.findIndex((e) => isStep('start-repair')(e.action)));
    expect(error.refusal.rule).toBe('must-gloves');
  });

  it('a gap in the seq numbers, a malformed action, an event after the seal and other facts are refused', () => {
    const events = sealedVisit().events;
    expect(replayError(events.filter((_, i) => i !== 3)).seq).toBe(3);
    const malformed = events.map((e, i) => (i === 2 ? { ...e, action: { type: 'tick', item: 42 } as unknown as VisitAction } : e));
    expect(replayError(malformed).refusal).toMatchObject({ key: 'refusal.malformed', params: { path: 'item' } });
    const after = [...events, { ...events[0]!, seq: events.length }];
    expect(replayError(after)).toMatchObject({ seq: events.length, refusal: { key: 'refusal.sealed' } });
    // the same log on a festival day lacks the gift
    expect(replayError(events, { ...ordinaryDay, festival: firstVisitInFestival.festival }).refusal).toEqual(missing('five-treasures', 'step.start-visit', 'kit.gift'));
  });
});

describe('where the visit stands: currentPhase and itemStatuses', () => {
  it('moves prepare → arrive → repair → verify → sign → sealed', () => {
    const phases: string[] = [];
    let state = createVisit(checklist, ordinaryDay);
    const clock = fakeClock();
    phases.push(currentPhase(state));
    for (const action of completeVisitActions(ordinaryDay, signature)) {
      state = accept(state, action, clock);
      const phase = currentPhase(state);
      if (phase !== phases.at(-1)) phases.push(phase);
    }
    expect(phases).toEqual(['prepare', 'arrive', 'repair', 'verify', 'sign', 'sealed']);
    expect(currentPhase(until(ordinaryDay, isTick('greet.hello')))).toBe('arrive');
    expect(currentPhase(until(ordinaryDay, isStep('confirm-gloves')))).toBe('repair');
    expect(currentPhase(until(ordinaryDay, isTest('technician')))).toBe('repair');
    expect(currentPhase(until(ordinaryDay, isTest('customer')))).toBe('verify');
    expect(currentPhase(until(ordinaryDay, isSet('customerOpinion')))).toBe('sign');
    expect(currentPhase(until(ordinaryDay, isStep('seal')))).toBe('sign');
  });

  it('at the start: dress and kit open, the gift not applicable, everything after blocked by the rule that holds it up', () => {
    const statuses = itemStatuses(createVisit(checklist, ordinaryDay));
    expect(statuses.get('dress.clothes')).toEqual({ status: 'open' });
    expect(statuses.get('kit.gift')).toEqual({ status: 'not-applicable' });
    expect(statuses.get('greet.introduce')).toEqual({ status: 'not-applicable' });
    expect(statuses.get('step.start-visit')).toEqual({
      status: 'blocked', refusal: missing('dress', 'step.start-visit', 'dress.clothes', ['dress.clothes', 'dress.work-id', 'kit.toolbox', 'kit.towel', 'kit.gloves', 'kit.mat']),
    });
    expect(statuses.get('greet.hello')).toEqual({ status: 'blocked', refusal: missing('five-treasures', 'greet.hello', 'step.start-visit') });
    expect(statuses.get('must.customer-test')).toEqual({ status: 'blocked', refusal: missing('must-test', 'must.customer-test', 'must.technician-test') });
    expect(statuses.size).toBe(checklist.items.length);
  });

  it('the one-tap logs of the four prohibitions open when the visit starts, as logging them does', () => {
    const before = itemStatuses(until(ordinaryDay, isStep('start-visit')));
    const after = itemStatuses(until(ordinaryDay, isTick('greet.hello')));
    for (const id of ['ban.smoking', 'ban.food', 'ban.gifts', 'ban.arguing']) {
      expect(before.get(id)).toEqual({ status: 'blocked', refusal: missing('five-treasures', id, 'step.start-visit') });
      expect(after.get(id)).toEqual({ status: 'open' });
    }
  });

  it('an optional field left empty is blocked once the customer has signed, as setting it is', () => {
    const signed = until(ordinaryDay, isStep('seal'), isSet('partsUsed'));
    const blocked = { key: 'refusal.laterStepDone', rule: 'must-form', params: { item: 'form.parts-used', dependent: 'form.signature' } };
    expect(itemStatuses(signed).get('form.parts-used')).toEqual({ status: 'blocked', refusal: blocked });
    expect(refusalOf(signed, { type: 'set', field: 'partsUsed', value: [] })).toEqual(blocked);
    expect(itemStatuses(until(ordinaryDay, isSet('signature'), isSet('partsUsed'))).get('form.parts-used')).toEqual({ status: 'open' });
  });

  it('a done item carries the time it was done', () => {
    const state = until(ordinaryDay, isStep('start-repair'));
    for (const [id, at] of state.doneAt) expect(itemStatuses(state).get(id)).toEqual({ status: 'done', at });
    expect(itemStatuses(state).get('step.start-repair')).toEqual({ status: 'open' });
  });
});

describe('what the visit waits for next', () => {
  it('is the first required item not done, the technician\'s test run right after the repair starts, nothing once sealed', () => {
    expect(nextRequiredItem(createVisit(checklist, ordinaryDay))?.id).toBe('dress.clothes');
    expect(nextRequiredItem(until(ordinaryDay, isStep('start-visit')))?.id).toBe('step.start-visit');
    expect(nextRequiredItem(until(ordinaryDay, isTest('technician')))?.id).toBe('must.technician-test');
    expect(nextRequiredItem(until(ordinaryDay, isStep('seal')))?.id).toBe('step.seal');
    expect(nextRequiredItem(until(ordinaryDay, never))).toBeUndefined();
  });
});
