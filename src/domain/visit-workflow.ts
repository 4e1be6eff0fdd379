// The visit workflow engine: given a checklist, the visit's facts and the events so far, it says
// what is done, what may happen next and, for anything refused, which rule refuses it.
// Pure and deterministic: the same events always give the same state, so the event log is what is stored.
import {
  FIELDS, fieldItem, fieldSpec, itemById, namesFields, prohibitionRules, reminderFor, stepItem, typeItem,
  type Checklist, type ChecklistItem, type FieldItem, type Phase, type StepName,
} from './checklist';
import { valueSchema, type ValueOf } from './field-values';
import {
  FieldValueSchemas, VisitActionSchema,
  type Incident, type TestRun, type VisitAction, type VisitEvent, type VisitFacts,
} from './form-schema';
import { declinedOfferDetail } from './incident-detail';
import { toFieldErrors } from './validation-issues';

/** Injected so that tests and replays control time. `elapsedMs` is monotonic time since the visit opened. */
export interface Clock {
  now(): { at: string; elapsedMs: number };
}

export type RefusalKey =
  | 'refusal.sealed'
  | 'refusal.malformed'
  | 'refusal.unknownItem'
  | 'refusal.notAField'
  | 'refusal.notTickable'
  | 'refusal.notApplicable'
  | 'refusal.missingPrerequisite'
  | 'refusal.laterStepDone'
  | 'refusal.alreadyDone'
  | 'refusal.notDone'
  | 'refusal.invalidValue'
  | 'refusal.conductIncomplete'
  | 'refusal.attestationIncomplete'
  | 'refusal.incompleteForm'
  | 'refusal.handedOver';

/**
 * A refusal is an i18n key with parameters, never a sentence; `rule` is the id of the rule that refuses.
 * `params.item` is the item refused; for a declined offer or a dispute, `params.action` (and `params.offer`)
 * say which log was refused, since the reminder item words the prohibition, not the log.
 * `missing` lists every item (or, for the conduct and attestation answers, every prohibition rule) still
 * missing, in checklist order; `params.missing` is the first one the refusing rule names.
 */
export interface Refusal {
  key: RefusalKey;
  rule: string;
  params: Record<string, string | number>;
  missing?: readonly string[];
}

export type VisitPhase = Phase | 'sealed';

export interface VisitState {
  readonly checklist: Checklist;
  readonly facts: VisitFacts;
  readonly events: readonly VisitEvent[];
  /** item id → when it was done (ticks, steps, fields, passed tests) */
  readonly doneAt: ReadonlyMap<string, string>;
  /** field item id → its answer, as the item's value type has it */
  readonly answers: Readonly<Record<string, unknown>>;
  readonly testRuns: readonly TestRun[];
  /** repair round: a customer's failed test run starts a new one, in which the technician tests again */
  readonly round: number;
  /** declined offers and disputes as logged; conduct breaches are derived from the customer's confirmation */
  readonly logged: readonly Incident[];
  readonly sealed: boolean;
}

export type Decision = { ok: true } | { ok: false; refusal: Refusal };
export type ApplyResult = { ok: true; state: VisitState; event: VisitEvent } | { ok: false; refusal: Refusal };

export function createVisit(checklist: Checklist, facts: VisitFacts): VisitState {
  return { checklist, facts, events: [], doneAt: new Map(), answers: {}, testRuns: [], round: 1, logged: [], sealed: false };
}

export function isApplicable(state: VisitState, item: ChecklistItem): boolean {
  if (item.condition === 'festival') return state.facts.festival !== null;
  if (item.condition === 'firstVisit') return state.facts.firstVisit;
  return true;
}

export function isDone(state: VisitState, item: ChecklistItem): boolean {
  if (item.kind === 'step' && item.step === 'technician-test') {
    return state.testRuns.some((r) => r.by === 'technician' && r.passed && r.round === state.round);
  }
  return state.doneAt.has(item.id);
}

/** The prerequisites (`after`) that still have to be done; optional and inapplicable ones do not hold anything up. */
function missingPrerequisites(state: VisitState, item: ChecklistItem): ChecklistItem[] {
  return item.after
    .map((id) => itemById(state.checklist, id))
    .filter((dep): dep is ChecklistItem => dep !== undefined && isApplicable(state, dep) && dep.required && !isDone(state, dep));
}

/** Ids of items in checklist order, each once. */
function inChecklistOrder(state: VisitState, items: readonly ChecklistItem[]): string[] {
  const ids = new Set(items.map((i) => i.id));
  return state.checklist.items.filter((i) => ids.has(i.id)).map((i) => i.id);
}

/** A done item that depends on this one: changing this one now would change what was already built on it. */
function doneDependent(state: VisitState, item: ChecklistItem): ChecklistItem | undefined {
  return state.checklist.items.find((other) => other.after.includes(item.id) && isDone(state, other));
}

const refuse = (key: RefusalKey, rule: string, params: Record<string, string | number> = {}, missing?: readonly string[]): Decision => ({
  ok: false,
  refusal: missing ? { key, rule, params, missing } : { key, rule, params },
});

/**
 * The item's own prerequisites, named by the first missing one's rule; `alsoMissing` (the seal's: every
 * answer the form still lacks) is listed with them, so one refusal says all that is left to do.
 */
function gate(state: VisitState, item: ChecklistItem, alsoMissing: readonly ChecklistItem[] = []): Decision {
  if (!isApplicable(state, item)) return refuse('refusal.notApplicable', item.rule, { item: item.id, condition: item.condition ?? '' });
  const missing = missingPrerequisites(state, item);
  const [first] = missing;
  if (first) return refuse('refusal.missingPrerequisite', first.rule, { item: item.id, missing: first.id }, inChecklistOrder(state, [...missing, ...alsoMissing]));
  return { ok: true };
}

function guardChange(state: VisitState, item: ChecklistItem): Decision {
  const dependent = doneDependent(state, item);
  if (dependent) return refuse('refusal.laterStepDone', dependent.rule, { item: item.id, dependent: dependent.id });
  return { ok: true };
}

const all = (...decisions: Array<() => Decision>): Decision => {
  for (const decide of decisions) {
    const d = decide();
    if (!d.ok) return d;
  }
  return { ok: true };
};

/**
 * `shapeChecked`: the caller has already validated the actions with the wire schema (a received form:
 * VisitActionSchema checks each `set` value with its field's schema), so only the rules are checked.
 */
export interface ShapeOptions {
  shapeChecked?: boolean;
}

/** Would this action be accepted now? If not, which rule refuses it. */
export function decide(state: VisitState, input: VisitAction, options: ShapeOptions = {}): Decision {
  const sealItem = stepItem(state.checklist, 'seal');
  if (state.sealed) return refuse('refusal.sealed', sealItem.rule);
  const parsed = options.shapeChecked ? null : VisitActionSchema.safeParse(input, { reportInput: true });
  // a well-formed `set` whose only fault is its value goes on, so the field's own check names the rule and the path
  if (parsed && !parsed.success && !isSetWithBadValue(input, parsed.error.issues)) {
    const first = toFieldErrors(parsed.error.issues)[0]!;
    return refuse('refusal.malformed', sealItem.rule, { path: first.path, message: first.message });
  }
  const action = input;
  const list = state.checklist;
  switch (action.type) {
    case 'tick':
    case 'untick': {
      const item = itemById(list, action.item);
      if (!item) return refuse('refusal.unknownItem', sealItem.rule, { item: action.item });
      if (item.kind !== 'tick') return refuse('refusal.notTickable', item.rule, { item: item.id });
      if (action.type === 'tick') {
        if (isDone(state, item)) return refuse('refusal.alreadyDone', item.rule, { item: item.id });
        return mayDo(state, item);
      }
      if (!isDone(state, item)) return refuse('refusal.notDone', item.rule, { item: item.id });
      return guardChange(state, item);
    }
    case 'step': {
      const item = stepItem(list, action.step);
      if (isDone(state, item)) return refuse('refusal.alreadyDone', item.rule, { item: item.id });
      return mayDo(state, item);
    }
    case 'test': {
      const item = stepItem(list, action.by === 'technician' ? 'technician-test' : 'customer-test');
      if (isDone(state, item)) return refuse('refusal.alreadyDone', item.rule, { item: item.id });
      return mayDo(state, item);
    }
    case 'set': {
      const target = targetOf(list, action);
      if (!target.ok) return refuse(target.key, sealItem.rule, { item: target.name });
      return all(() => mayDo(state, target.item), () => validValue(state, target.item, action, options));
    }
    case 'clear': {
      const target = targetOf(list, action);
      if (!target.ok) return refuse(target.key, sealItem.rule, { item: target.name });
      if (!isDone(state, target.item)) return refuse('refusal.notDone', target.item.rule, { item: target.item.id });
      return guardChange(state, target.item);
    }
    case 'offer-declined':
    case 'dispute': {
      const decision = mayDo(state, reminderFor(list, action.type === 'dispute' ? 'dispute' : action.offer));
      if (decision.ok) return decision;
      // the reminder words the prohibition; the refusal names the log that was refused
      const logged: Record<string, string> = action.type === 'dispute' ? { action: 'dispute' } : { action: 'offer-declined', offer: action.offer };
      return { ok: false, refusal: { ...decision.refusal, params: { ...decision.refusal.params, ...logged } } };
    }
  }
}

/** What doing an item now takes, apart from the action's own payload; shared by decide() and itemStatuses() so "open" means allowed. */
function mayDo(state: VisitState, item: ChecklistItem): Decision {
  switch (item.kind) {
    case 'tick':
      return gate(state, item);
    case 'field':
      return all(() => gate(state, item), () => guardChange(state, item));
    case 'reminder': {
      // a declined offer or a dispute is logged from the moment the visit starts
      const start = stepItem(state.checklist, 'start-visit');
      return isDone(state, start) ? { ok: true } : refuse('refusal.missingPrerequisite', start.rule, { item: item.id, missing: start.id }, [start.id]);
    }
    case 'step': {
      if (item.step === 'technician-test' || item.step === 'customer-test') return all(() => gate(state, item), () => guardChange(state, item));
      if (item.step !== 'seal') return gate(state, item);
      const incomplete = incompleteForSeal(state);
      return all(() => gate(state, item, incomplete), () => completeForSeal(state, incomplete));
    }
  }
}

type FieldAction = Extract<VisitAction, { type: 'set' | 'clear' }>;
type Target = { ok: true; item: FieldItem } | { ok: false; key: 'refusal.unknownItem' | 'refusal.notAField'; name: string };

/** The field item a set or clear is about: by id, or by a v1 field name in a version that names its fields so. */
function targetOf(list: Checklist, action: FieldAction): Target {
  if ('field' in action && action.field !== undefined) {
    return namesFields(list) ? { ok: true, item: fieldItem(list, action.field) } : { ok: false, key: 'refusal.unknownItem', name: action.field };
  }
  const id = (action as { item: string }).item;
  const item = itemById(list, id);
  if (!item) return { ok: false, key: 'refusal.unknownItem', name: id };
  return item.kind === 'field' ? { ok: true, item } : { ok: false, key: 'refusal.notAField', name: id };
}

function isSetWithBadValue(input: unknown, issues: ReadonlyArray<{ path: readonly PropertyKey[] }>): boolean {
  if (typeof input !== 'object' || input === null) return false;
  const { type, field, item } = input as Record<string, unknown>;
  const target = (FIELDS as readonly unknown[]).includes(field) !== (typeof item === 'string');
  return type === 'set' && target && issues.every((issue) => issue.path[0] === 'value');
}

function validValue(state: VisitState, item: FieldItem, action: FieldAction & { type: 'set' }, options: ShapeOptions): Decision {
  const legacy = 'field' in action && action.field !== undefined ? action.field : undefined;
  // a received form's v1-named values were checked by the wire schema already; values by item id only the checklist can check
  const schema = legacy !== undefined ? FieldValueSchemas[legacy] : valueSchema(item);
  const parsed = options.shapeChecked && legacy !== undefined ? { success: true as const, data: action.value } : schema.safeParse(action.value, { reportInput: true });
  const name = legacy ?? item.id;
  if (!parsed.success) {
    const first = toFieldErrors(parsed.error.issues, [name])[0]!;
    return refuse('refusal.invalidValue', item.rule, { item: item.id, path: first.path, message: first.message });
  }
  const prohibitions = prohibitionRules(state.checklist).map((r) => r.id);
  const type = fieldSpec(item).value.type;
  if (type === 'conduct') {
    const answers = parsed.data as ValueOf['conduct'];
    const unknown = Object.keys(answers).find((id) => !prohibitions.includes(id));
    if (unknown) return refuse('refusal.invalidValue', item.rule, { item: item.id, path: `${name}.${unknown}`, message: 'not one of the four prohibitions' });
    const unanswered = prohibitions.filter((id) => answers[id] === undefined);
    if (unanswered[0]) return refuse('refusal.conductIncomplete', unanswered[0], { item: item.id, missing: unanswered[0] }, unanswered);
  }
  if (type === 'attestation') {
    const attested = parsed.data as ValueOf['attestation'];
    const unknown = attested.find((id) => !prohibitions.includes(id));
    if (unknown) return refuse('refusal.invalidValue', item.rule, { item: item.id, path: name, message: `"${unknown}" is not one of the four prohibitions` });
    const missing = prohibitions.filter((id) => !attested.includes(id));
    if (missing[0]) return refuse('refusal.attestationIncomplete', missing[0], { item: item.id, missing: missing[0] }, missing);
  }
  return { ok: true };
}

/** The applicable required items, fields and steps not done yet, apart from the seal itself. */
function incompleteForSeal(state: VisitState): ChecklistItem[] {
  return state.checklist.items.filter((item) =>
    !(item.kind === 'step' && item.step === 'seal') && item.required && isApplicable(state, item) && !isDone(state, item));
}

/** 三必须③: every applicable required item, field and step is done before the seal. */
function completeForSeal(state: VisitState, incomplete: readonly ChecklistItem[]): Decision {
  const [first] = incomplete;
  if (!first) return { ok: true };
  return refuse('refusal.incompleteForm', first.rule, { item: first.id, missing: first.id }, incomplete.map((i) => i.id));
}

/** Applies an action if the rules allow it, stamping it with the clock. */
export function apply(state: VisitState, action: VisitAction, clock: Clock): ApplyResult {
  const decision = decide(state, action);
  if (!decision.ok) return decision;
  const { at, elapsedMs } = clock.now();
  const event: VisitEvent = { seq: state.events.length, at, elapsedMs, action };
  return { ok: true, state: reduce(state, event), event };
}

/** State after an accepted event (no checks here: `decide` has made them). */
function reduce(state: VisitState, event: VisitEvent): VisitState {
  const { action, at } = event;
  const list = state.checklist;
  const doneAt = new Map(state.doneAt);
  let { answers, testRuns, round, logged, sealed } = state;
  switch (action.type) {
    case 'tick':
      doneAt.set(action.item, at);
      break;
    case 'untick':
      doneAt.delete(action.item);
      break;
    case 'step':
      doneAt.set(stepItem(list, action.step).id, at);
      if (action.step === 'seal') sealed = true;
      break;
    case 'test': {
      testRuns = [...testRuns, { by: action.by, passed: action.passed, note: action.note, round, at }];
      if (action.by === 'customer') {
        if (action.passed) doneAt.set(stepItem(list, 'customer-test').id, at);
        else round += 1; // back to repair: the technician tests again first
      }
      break;
    }
    case 'set': {
      const { item } = targetOf(list, action) as Target & { ok: true };
      answers = { ...answers, [item.id]: action.value };
      doneAt.set(item.id, at);
      break;
    }
    case 'clear': {
      const { item } = targetOf(list, action) as Target & { ok: true };
      const { [item.id]: _removed, ...rest } = answers;
      answers = rest;
      doneAt.delete(item.id);
      break;
    }
    case 'offer-declined': {
      const reminder = reminderFor(list, action.offer);
      logged = [...logged, { kind: 'declined-offer', rule: reminder.rule, detail: declinedOfferDetail(action.offer, action.note), at, flagged: false }];
      break;
    }
    case 'dispute': {
      const reminder = reminderFor(list, 'dispute');
      logged = [...logged, { kind: 'dispute', rule: reminder.rule, detail: action.description, at, flagged: true }];
      break;
    }
  }
  return { ...state, events: [...state.events, event], doneAt, answers, testRuns, round, logged, sealed };
}

export class ReplayError extends Error {
  constructor(readonly seq: number, readonly refusal: Refusal) {
    super(`event ${seq} is refused on replay: ${refusal.key} (rule ${refusal.rule}) ${JSON.stringify(refusal.params)}`);
    this.name = 'ReplayError';
  }
}

/** Rebuilds the state from a stored event log; a log the rules would not have produced throws a ReplayError. */
export function replay(checklist: Checklist, facts: VisitFacts, events: readonly VisitEvent[], options: ShapeOptions = {}): VisitState {
  let state = createVisit(checklist, facts);
  for (const [i, event] of events.entries()) {
    if (event.seq !== i) throw new ReplayError(i, { key: 'refusal.malformed', rule: stepItem(checklist, 'seal').rule, params: { path: `events[${i}].seq`, message: `expected ${i}` } });
    const decision = decide(state, event.action, options);
    if (!decision.ok) throw new ReplayError(i, decision.refusal);
    state = reduce(state, event);
  }
  return state;
}

/** Incidents for customer service: declined offers, disputes, and every "not kept" in the customer's confirmation. */
export function incidents(state: VisitState): Incident[] {
  const conductItem = typeItem(state.checklist, 'conduct');
  const conduct = state.answers[conductItem.id] as ValueOf['conduct'] | undefined;
  const at = state.doneAt.get(conductItem.id);
  const breaches: Incident[] = conduct && at
    ? prohibitionRules(state.checklist)
        .filter((rule) => conduct[rule.id] === 'not-kept')
        .map((rule) => ({ kind: 'conduct-breach', rule: rule.id, detail: 'not-kept', at, flagged: true }))
    : [];
  return [...state.logged, ...breaches];
}

/** Where the visit stands: the phase of the first applicable required item not yet done. */
export function currentPhase(state: VisitState): VisitPhase {
  if (state.sealed) return 'sealed';
  for (const item of state.checklist.items) {
    if (!item.required || !isApplicable(state, item) || isDone(state, item)) continue;
    // until the technician's own test run passes, the repair is still going on
    if (item.kind === 'step' && item.step === 'technician-test') return 'repair';
    return item.phase;
  }
  return 'sign';
}

/** What the visit waits for next: the first applicable required item not yet done, in checklist order (the seal last); none once sealed. */
export function nextRequiredItem(state: VisitState): ChecklistItem | undefined {
  if (state.sealed) return undefined;
  return state.checklist.items.find((item) => item.required && isApplicable(state, item) && !isDone(state, item));
}

export type ItemStatus =
  | { status: 'done'; at: string }
  | { status: 'not-applicable' }
  | { status: 'open' }
  | { status: 'blocked'; refusal: Refusal };

/** Every item's status, for the screens: done, open (allowed now), blocked (with the rule), or not applicable. */
export function itemStatuses(state: VisitState): Map<string, ItemStatus> {
  const out = new Map<string, ItemStatus>();
  for (const item of state.checklist.items) {
    if (!isApplicable(state, item)) out.set(item.id, { status: 'not-applicable' });
    else if (isDone(state, item)) out.set(item.id, { status: 'done', at: state.doneAt.get(item.id) ?? lastTechnicianPass(state) ?? '' });
    else if (state.sealed) out.set(item.id, { status: 'blocked', refusal: { key: 'refusal.sealed', rule: stepItem(state.checklist, 'seal').rule, params: {} } });
    else {
      const may = mayDo(state, item);
      out.set(item.id, may.ok ? { status: 'open' } : { status: 'blocked', refusal: may.refusal });
    }
  }
  return out;
}

function lastTechnicianPass(state: VisitState): string | undefined {
  return [...state.testRuns].reverse().find((r) => r.by === 'technician' && r.passed && r.round === state.round)?.at;
}

/** The answer to a field item, typed by the caller's knowledge of its value type. */
export function answerOf<T = unknown>(state: VisitState, item: FieldItem | undefined): T | undefined {
  return item ? (state.answers[item.id] as T | undefined) : undefined;
}

export function stepDone(state: VisitState, step: StepName): boolean {
  return isDone(state, stepItem(state.checklist, step));
}
