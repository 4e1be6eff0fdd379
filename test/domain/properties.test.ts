// Random visits: any actions, valid or not, in any order. Whatever the order, the rules hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELDS, fieldItem, OFFER_KINDS, prohibitionRules, type FieldName } from '../../src/domain/checklist';
import { SealedFormSchema, type Signature, type VisitAction, type VisitEvent, type VisitFacts } from '../../src/domain/form-schema';
import { sealForm, verifySeal } from '../../src/domain/seal';
import { buildFormBody, checkFormConsistency } from '../../src/domain/service-form';
import { apply, createVisit, decide, itemStatuses, replay, type VisitState } from '../../src/domain/visit-workflow';
import { checklist, completeVisitActions, fakeClock, firstVisitInFestival, header, ordinaryDay, signatureBytes, signatureFor } from '../fixtures/visits';

const bytes = signatureBytes();
const signature = await signatureFor(bytes);
const prohibitions = prohibitionRules(checklist).map((r) => r.id);
const FORM_ID = '0d6f4c1e-8a2b-4c3d-9e5f-7a8b9c0d1e2f';
const NUM_RUNS = 400;

const allFacts: VisitFacts[] = [
  ordinaryDay, firstVisitInFestival,
  { ...ordinaryDay, firstVisit: true },
  { ...firstVisitInFestival, firstVisit: false },
];

// what a keyboard, a paste or a broken client may send: blanks, padding, emoji, any code point, lone surrogates
const text = fc.oneof(
  fc.constantFrom('清扫车主刷不转', '  前后有空格  ', ' ', '', 'a\uD800', '\uDFFFz', '😀'),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).map((s) => ` ${s}\n`),
);

const fieldValue: Record<(typeof FIELDS)[number], fc.Arbitrary<unknown>> = {
  customerAccount: text, faultFound: text, workDone: text, customerOpinion: text, signerName: text,
  partsUsed: fc.array(fc.record({ name: text, quantity: fc.integer({ min: 0, max: 3 }) }), { maxLength: 3 }),
  satisfaction: fc.oneof(fc.integer({ min: -1, max: 7 }), fc.constantFrom(2.5, Number.NaN, '5')),
  conduct: fc.oneof(
    fc.subarray(prohibitions).chain((ids) => fc.tuple(...ids.map((id) => fc.constantFrom([id, 'kept'], [id, 'not-kept'], [id, 'kept'])))).map((e) => Object.fromEntries(e)),
    fc.constant({ ...Object.fromEntries(prohibitions.map((id) => [id, 'kept'])), 'no-swearing': 'kept' }),
  ),
  attestation: fc.oneof(fc.shuffledSubarray(prohibitions), fc.constant(prohibitions), fc.constant([...prohibitions, 'no-swearing'])),
  signature: fc.constantFrom(signature, signature, { ...signature, points: [] }),
};

const itemIds = [...checklist.items.map((i) => i.id), 'kit.hammer'];

/** The v1 field name a set or clear is about, whether it names the field or its item. */
function nameOf(action: VisitAction & { type: 'set' | 'clear' }): FieldName {
  if ('field' in action) return action.field;
  const item = checklist.items.find((i) => i.id === action.item);
  return (item?.kind === 'field' ? item.field : undefined) ?? (action.item as FieldName);
}
const answerOf = (state: VisitState, field: FieldName) => state.answers[fieldItem(checklist, field).id];

/** Every kind of action, valid and invalid. */
const anyAction: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ type: fc.constantFrom('tick', 'untick'), item: fc.constantFrom(...itemIds) }),
  fc.record({ type: fc.constant('step'), step: fc.constantFrom('start-visit', 'confirm-gloves', 'start-repair', 'seal') }),
  fc.record({ type: fc.constant('test'), by: fc.constantFrom('technician', 'customer'), passed: fc.boolean(), note: fc.constantFrom('', '正常') }),
  fc.constantFrom(...FIELDS).chain((field) => fieldValue[field].map((value) => ({ type: 'set', field, value }))),
  fc.record({ type: fc.constant('clear'), field: fc.constantFrom(...FIELDS) }),
  // what this app writes: by item id
  fc.constantFrom(...FIELDS).chain((field) => fieldValue[field].map((value) => ({ type: 'set', item: fieldItem(checklist, field).id, value }))),
  fc.record({ type: fc.constant('clear'), item: fc.constantFrom(...itemIds) }),
  fc.record({ type: fc.constant('offer-declined'), offer: fc.constantFrom(...OFFER_KINDS), note: fc.constantFrom('', '婉拒') }),
  fc.record({ type: fc.constant('dispute'), description: text }),
  fc.constantFrom(null, { type: 'nope' }, { type: 'tick', item: 3 }, { type: 'set', field: 'satisfaction' }, { type: 'step', step: 'technician-test' }),
);

// Other values a genuine visit may hold, now and then one the rules refuse (a lone surrogate).
const plausibleText = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).map((s) => ` ${s}\n`), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== ''), weight: 3 },
  { arbitrary: fc.constantFrom('a\uD800', '\uDFFF'), weight: 1 },
);
const plausibleValue: Record<(typeof FIELDS)[number], fc.Arbitrary<unknown>> = {
  customerAccount: plausibleText, faultFound: plausibleText, workDone: plausibleText, customerOpinion: plausibleText, signerName: plausibleText,
  partsUsed: fc.array(fc.record({ name: plausibleText, quantity: fc.integer({ min: 1, max: 3 }) }), { maxLength: 2 }),
  satisfaction: fc.integer({ min: 1, max: 5 }),
  conduct: fc.tuple(...prohibitions.map((id) => fc.constantFrom([id, 'kept'], [id, 'not-kept']))).map((e) => Object.fromEntries(e)),
  attestation: fc.shuffledSubarray(prohibitions, { minLength: prohibitions.length }),
  signature: fc.constant(signature),
};

/** Some fields of a visit given other values (null: keep the usual one). */
const otherValues = fc.record(Object.fromEntries(FIELDS.map((f) => [f, fc.option(plausibleValue[f], { freq: 3 })])) as Record<(typeof FIELDS)[number], fc.Arbitrary<unknown>>);

/** A rule-abiding visit, edited: other values, actions inserted, dropped and swapped. Many still reach the seal. */
const editedVisit = fc.record({
  facts: fc.constantFrom(...allFacts),
  values: otherValues,
  edits: fc.array(fc.record({ at: fc.nat(), op: fc.constantFrom('insert', 'delete', 'swap'), action: anyAction }), { maxLength: 6 }),
}).map(({ facts, values, edits }) => {
  const base = completeVisitActions(facts, signature).map((a) => (a.type === 'set' && values[nameOf(a)] !== null ? { ...a, value: values[nameOf(a)] } as VisitAction : a));
  return { facts, actions: edit(base, edits) };
});

const randomVisit = fc.record({ facts: fc.constantFrom(...allFacts), actions: fc.array(anyAction, { maxLength: 80 }) });

type Edit = { at: number; op: 'insert' | 'delete' | 'swap'; action: unknown };

function edit(base: unknown[], edits: Edit[]): unknown[] {
  const actions = [...base];
  for (const { at, op, action } of edits) {
    const i = at % (actions.length + 1);
    if (op === 'insert') actions.splice(i, 0, action);
    else if (op === 'delete') actions.splice(i, 1);
    else if (i + 1 < actions.length) [actions[i], actions[i + 1]] = [actions[i + 1], actions[i]];
  }
  return actions;
}

/** Applies every action; a refusal must leave the state untouched and agree with decide(). */
function play(facts: VisitFacts, actions: unknown[]): VisitState {
  const clock = fakeClock();
  let state = createVisit(checklist, facts);
  for (const action of actions) {
    const decision = decide(state, action as VisitAction);
    const result = apply(state, action as VisitAction, clock);
    expect(result.ok).toBe(decision.ok);
    if (result.ok) state = result.state;
  }
  return state;
}

// ---- an oracle that reads the stored events, not the engine's state ----

const isStep = (e: VisitEvent, step: string) => e.action.type === 'step' && e.action.step === step;
function lastIndex(events: readonly VisitEvent[], match: (e: VisitEvent) => boolean): number {
  for (let i = events.length - 1; i >= 0; i--) if (match(events[i]!)) return i;
  return -1;
}

/** Was the item ticked at event `upTo` (the last tick/untick before it was a tick)? */
function tickedBefore(events: readonly VisitEvent[], item: string, upTo: number): boolean {
  const last = lastIndex(events.slice(0, upTo), (e) => (e.action.type === 'tick' || e.action.type === 'untick') && e.action.item === item);
  return last !== -1 && events[last]!.action.type === 'tick';
}

function setBefore(events: readonly VisitEvent[], field: string, upTo: number): boolean {
  const last = lastIndex(events.slice(0, upTo), (e) => (e.action.type === 'set' || e.action.type === 'clear') && nameOf(e.action) === field);
  return last !== -1 && events[last]!.action.type === 'set';
}

/** Throws with the first broken rule of a sealed visit, read off its events. */
function assertMustsHeld(state: VisitState): void {
  const { events, facts } = state;
  const seal = events.length - 1;
  expect(isStep(events[seal]!, 'seal')).toBe(true);
  const start = events.findIndex((e) => isStep(e, 'start-visit'));
  const gloves = events.findIndex((e) => isStep(e, 'confirm-gloves'));
  const repair = events.findIndex((e) => isStep(e, 'start-repair'));
  expect(start).toBeGreaterThanOrEqual(0);
  // dress and the five treasures before setting out; the gift only at a festival
  const kit = ['dress.clothes', 'dress.work-id', 'kit.toolbox', 'kit.towel', 'kit.gloves', 'kit.mat', ...(facts.festival ? ['kit.gift'] : [])];
  for (const item of kit) expect(tickedBefore(events, item, start), `${item} before start-visit`).toBe(true);
  if (!facts.festival) expect(events.some((e) => e.action.type === 'tick' && e.action.item === 'kit.gift')).toBe(false);
  // 三必须①: gloves before the repair, after the greeting and the customer's account
  expect(gloves, 'gloves confirmed').toBeGreaterThanOrEqual(0);
  expect(gloves).toBeLessThan(repair);
  for (const item of ['greet.hello', ...(facts.firstVisit ? ['greet.introduce'] : [])]) expect(tickedBefore(events, item, repair), item).toBe(true);
  if (!facts.firstVisit) expect(events.some((e) => e.action.type === 'tick' && e.action.item === 'greet.introduce')).toBe(false);
  expect(setBefore(events, 'customerAccount', repair)).toBe(true);
  // 三必须②: in the final round (a failed customer test opens a new one) the technician passed before the customer did
  let round = 1;
  let techPassed = false;
  let customerPassed = false;
  for (const e of events) {
    if (e.action.type !== 'test') continue;
    expect(e.seq, 'a test run after the repair started').toBeGreaterThan(repair);
    if (e.action.by === 'technician') techPassed ||= e.action.passed;
    else {
      expect(techPassed, `customer test at event ${e.seq} after a technician pass in round ${round}`).toBe(true);
      customerPassed = e.action.passed;
      if (!e.action.passed) { round += 1; techPassed = false; }
    }
  }
  expect(customerPassed && techPassed).toBe(true);
  expect(state.round).toBe(round);
  // 三必须③: every required field, and a signature, standing at the seal
  for (const field of ['customerAccount', 'faultFound', 'workDone', 'customerOpinion', 'satisfaction', 'conduct', 'attestation', 'signerName', 'signature']) {
    expect(setBefore(events, field, seal), field).toBe(true);
    expect(answerOf(state, field as FieldName), field).toBeDefined();
  }
  expect(Object.keys(answerOf(state, 'conduct') as object).sort()).toEqual([...prohibitions].sort());
  expect([...(answerOf(state, 'attestation') as string[])].sort()).toEqual([...prohibitions].sort());
  expect((answerOf(state, 'signature') as Signature).points.length).toBeGreaterThan(0);
}

async function assertSealedFormSound(state: VisitState): Promise<void> {
  const form = await sealForm(buildFormBody(state, header(FORM_ID)), bytes);
  const parsed = SealedFormSchema.safeParse(JSON.parse(JSON.stringify(form)));
  expect(parsed.success, parsed.error?.message).toBe(true);
  expect(parsed.data).toEqual(form);
  expect(await verifySeal(parsed.data!, bytes)).toEqual({ ok: true });
  expect(checkFormConsistency(parsed.data!, checklist)).toEqual({ ok: true });
}

const validValues = new Map(completeVisitActions(ordinaryDay, signature).flatMap((a) => (a.type === 'set' ? [[nameOf(a), a.value] as const] : [])));

/** What an "open" item promises: the action that does it is accepted now. */
function assertOpenMeansAllowed(state: VisitState): void {
  if (state.sealed) return;
  for (const [id, status] of itemStatuses(state)) {
    if (status.status !== 'open') continue;
    const item = checklist.items.find((i) => i.id === id)!;
    const action: unknown =
      item.kind === 'tick' ? { type: 'tick', item: id }
      : item.kind === 'reminder' ? (item.reportsDispute ? { type: 'dispute', description: '争议' } : { type: 'offer-declined', offer: item.declinedOffer, note: '' })
      : item.kind === 'field' ? { type: 'set', item: item.id, value: validValues.get(item.field!) }
      : item.step === 'technician-test' || item.step === 'customer-test' ? { type: 'test', by: item.step.split('-')[0], passed: true, note: '' }
      : { type: 'step', step: item.step };
    expect(decide(state, action as VisitAction), `${id} is open`).toEqual({ ok: true });
  }
}

describe('random visits', () => {
  it('never reach the seal without the three musts and every required item; every sealed form validates, verifies and is consistent', async () => {
    let sealedCount = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: editedVisit, weight: 3 }, { arbitrary: randomVisit, weight: 1 }), async ({ facts, actions }) => {
        const state = play(facts, actions);
        if (!state.sealed) return;
        sealedCount += 1;
        assertMustsHeld(state);
        await assertSealedFormSound(state);
      }),
      { numRuns: NUM_RUNS },
    );
    // the property means little unless many runs got as far as the seal
    expect(sealedCount).toBeGreaterThan(NUM_RUNS / 10);
  });

  it('replaying the stored events always gives the live state', () => {
    fc.assert(
      fc.property(fc.oneof(editedVisit, randomVisit), ({ facts, actions }) => {
        const state = play(facts, actions);
        expect(replay(checklist, facts, state.events)).toEqual(state);
        expect(replay(checklist, facts, JSON.parse(JSON.stringify(state.events)) as VisitEvent[])).toEqual(state);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('an item shown as open can be done now', () => {
    fc.assert(
      fc.property(editedVisit, fc.nat(), ({ facts, actions }, cut) => {
        assertOpenMeansAllowed(play(facts, actions.slice(0, cut % (actions.length + 1))));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
