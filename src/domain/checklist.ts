// The on-site rules as data: the schema every file in checklists/ must satisfy, and the
// cross-item checks a schema alone cannot express (unique ids, known references, no cycles).
import { z } from 'zod/mini';
import { formatPath, toFieldErrors, type FieldError } from './validation-issues';

export { LOCALES, type Locale } from './locales';

const nonEmpty = z.string().check(z.trim(), z.minLength(1), z.maxLength(2000));
export const LocalizedTextSchema = z.strictObject({ 'zh-CN': nonEmpty, en: nonEmpty });
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

export const PHASES = ['prepare', 'arrive', 'repair', 'verify', 'sign'] as const;
export type Phase = (typeof PHASES)[number];

export const STEPS = ['start-visit', 'confirm-gloves', 'start-repair', 'technician-test', 'customer-test', 'seal'] as const;
export type StepName = (typeof STEPS)[number];

/**
 * The named fields of checklist files published before field items declared their value type
 * (onsite-service v1): each name stands for a value type, a role and a side (LEGACY_FIELDS).
 * New versions declare `value` (and, where the product must find the answer, `role`) instead.
 */
export const FIELDS = [
  'customerAccount', 'faultFound', 'workDone', 'partsUsed', 'customerOpinion',
  'satisfaction', 'conduct', 'attestation', 'signerName', 'signature',
] as const;
export type FieldName = (typeof FIELDS)[number];

/** Who answers a field: the technician, or the customer (on the hand-over to the customer). */
export const SIDES = ['technician', 'customer'] as const;
export type Side = (typeof SIDES)[number];

/**
 * What the product must find among the answers, whatever a version calls the item: the customer's
 * account, the figures the back office reports on, the equipment history, the customer copy's summary.
 * Nothing else switches on a field. At most one item per role.
 */
export const ROLES = ['customer-account', 'fault-found', 'work-done', 'parts-used', 'customer-opinion', 'satisfaction', 'signer-name'] as const;
export type Role = (typeof ROLES)[number];
/** The roles every version must have: the server files each form's satisfaction and the copy names its signer. */
export const REQUIRED_ROLES: readonly Role[] = ['satisfaction', 'signer-name'];

export const VALUE_TYPES = [
  'short-text', 'long-text', 'number', 'single-choice', 'multiple-choice', 'rating', 'yes-no', 'parts', 'photos',
  'signature', 'conduct', 'attestation',
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];
/** Value types the engine itself needs exactly once: the customer's signature and the two answers on the four prohibitions. */
export const SINGLETON_TYPES = ['signature', 'conduct', 'attestation'] as const;

/** What a customer may offer that the technician declines (四不准 ①–③). */
export const OFFER_KINDS = ['cigarette', 'food-drink', 'gift'] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

export const RULE_GROUPS = ['prepare', 'arrive', 'three-musts', 'four-prohibitions'] as const;
export const CONDITIONS = ['festival', 'firstVisit'] as const;
export type Condition = (typeof CONDITIONS)[number];

const idSchema = z.string().check(z.regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/), z.maxLength(64));
const finiteNumber = z.number().check(z.refine(Number.isFinite, 'expected a finite number'));

const OptionSchema = z.strictObject({ id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/), z.maxLength(64)), text: LocalizedTextSchema });
const options = z.array(OptionSchema).check(z.minLength(2), z.maxLength(50));

/** A field item's value type, with what the type takes. */
export const ValueSpecSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('short-text') }),
  z.strictObject({ type: z.literal('long-text') }),
  z.strictObject({
    type: z.literal('number'),
    unit: z.optional(LocalizedTextSchema),
    min: z.optional(finiteNumber),
    max: z.optional(finiteNumber),
    integer: z.boolean(),
  }),
  z.strictObject({ type: z.literal('single-choice'), options }),
  z.strictObject({ type: z.literal('multiple-choice'), options, min: z.optional(z.int().check(z.gte(0))), max: z.optional(z.int().check(z.gte(1))) }),
  z.strictObject({ type: z.literal('rating'), max: z.int().check(z.gte(2), z.lte(10)) }),
  z.strictObject({ type: z.literal('yes-no') }),
  z.strictObject({ type: z.literal('parts') }),
  z.strictObject({ type: z.literal('photos'), min: z.int().check(z.gte(0), z.lte(20)), max: z.int().check(z.gte(1), z.lte(20)) }),
  z.strictObject({ type: z.literal('signature') }),
  z.strictObject({ type: z.literal('conduct') }),
  z.strictObject({ type: z.literal('attestation') }),
]);
export type ValueSpec = z.infer<typeof ValueSpecSchema>;

const RuleSchema = z.strictObject({
  id: idSchema,
  group: z.enum(RULE_GROUPS),
  text: LocalizedTextSchema,
});

const itemCommon = {
  id: idSchema,
  rule: idSchema,
  phase: z.enum(PHASES),
  required: z.boolean(),
  condition: z.optional(z.enum(CONDITIONS)),
  after: z.array(idSchema),
  text: LocalizedTextSchema,
};

const ItemSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...itemCommon, kind: z.literal('tick') }),
  z.strictObject({
    ...itemCommon,
    kind: z.literal('reminder'),
    declinedOffer: z.optional(z.enum(OFFER_KINDS)),
    reportsDispute: z.optional(z.literal(true)),
  }),
  z.strictObject({ ...itemCommon, kind: z.literal('step'), step: z.enum(STEPS) }),
  // `field`: a named field of a version published before value types (v1); `value`: what later versions declare
  z.strictObject({
    ...itemCommon,
    kind: z.literal('field'),
    field: z.optional(z.enum(FIELDS)),
    value: z.optional(ValueSpecSchema),
    role: z.optional(z.enum(ROLES)),
    by: z.optional(z.enum(SIDES)),
  }),
]);

export const ChecklistSchema = z.strictObject({
  $comment: z.optional(z.string()),
  id: idSchema,
  version: z.int().check(z.positive()),
  title: LocalizedTextSchema,
  rules: z.array(RuleSchema).check(z.minLength(1)),
  items: z.array(ItemSchema).check(z.minLength(1)),
});

export type Checklist = z.infer<typeof ChecklistSchema>;
export type ChecklistItem = Checklist['items'][number];
export type ChecklistRule = Checklist['rules'][number];
export type ChecklistRef = { id: string; version: number };

export class ChecklistError extends Error {
  constructor(readonly fileName: string, readonly errors: FieldError[]) {
    super(errors.map((e) => `${fileName}: ${e.path}: ${e.message}`).join('\n'));
    this.name = 'ChecklistError';
  }
}

/** Validates a parsed checklist file; throws a ChecklistError naming the file, each JSON path and what was expected. */
export function parseChecklist(json: unknown, fileName: string): Checklist {
  const parsed = ChecklistSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) throw new ChecklistError(fileName, toFieldErrors(parsed.error.issues));
  const errors = crossCheck(parsed.data);
  if (errors.length > 0) throw new ChecklistError(fileName, errors);
  return parsed.data;
}

function crossCheck(list: Checklist): FieldError[] {
  const errors: FieldError[] = [];
  const err = (path: PropertyKey[], message: string) => errors.push({ path: formatPath(path), message });

  const ruleIds = new Set<string>();
  list.rules.forEach((rule, i) => {
    if (ruleIds.has(rule.id)) err(['rules', i, 'id'], `duplicate rule id "${rule.id}"`);
    ruleIds.add(rule.id);
  });

  const itemIndex = new Map<string, number>();
  list.items.forEach((item, i) => {
    if (itemIndex.has(item.id)) err(['items', i, 'id'], `duplicate item id "${item.id}" (first at items[${itemIndex.get(item.id)}])`);
    else itemIndex.set(item.id, i);
    if (!ruleIds.has(item.rule)) err(['items', i, 'rule'], `unknown rule "${item.rule}"`);
  });

  list.items.forEach((item, i) => {
    item.after.forEach((dep, j) => {
      const depIndex = itemIndex.get(dep);
      if (depIndex === undefined) return err(['items', i, 'after', j], `names item "${dep}", which does not exist`);
      if (dep === item.id) return err(['items', i, 'after', j], `item "${dep}" cannot come after itself`);
      const depItem = list.items[depIndex]!;
      if (PHASES.indexOf(depItem.phase) > PHASES.indexOf(item.phase)) {
        err(['items', i, 'after', j], `"${dep}" is in the later phase "${depItem.phase}", so "${item.id}" (${item.phase}) could never come after it`);
      }
    });
  });

  for (const step of STEPS) expectExactlyOnce(list, 'step', step, err);
  checkFields(list, err);
  for (const offer of OFFER_KINDS) {
    const n = list.items.filter((i) => i.kind === 'reminder' && i.declinedOffer === offer).length;
    if (n !== 1) err(['items'], `expected exactly one reminder with declinedOffer "${offer}", found ${n}`);
  }
  const disputes = list.items.filter((i) => i.kind === 'reminder' && i.reportsDispute).length;
  if (disputes !== 1) err(['items'], `expected exactly one reminder with reportsDispute, found ${disputes}`);

  const cycle = findCycle(list);
  if (cycle) err(['items', itemIndex.get(cycle[0]!)!, 'after'], `order constraints form a cycle: ${cycle.join(' → ')}`);
  return errors;
}

function expectExactlyOnce(list: Checklist, kind: 'step' | 'field', name: string, err: (p: PropertyKey[], m: string) => void) {
  const found = list.items.flatMap((item, i) =>
    (item.kind === 'step' && kind === 'step' && item.step === name) || (item.kind === 'field' && kind === 'field' && item.field === name) ? [i] : [],
  );
  if (found.length === 0) err(['items'], `no item of kind "${kind}" for the ${kind} "${name}", which the visit needs`);
  for (const i of found.slice(1)) err(['items', i, kind], `the ${kind} "${name}" appears more than once (first at items[${found[0]}])`);
}

/**
 * Field items: a version names its fields the old way (`field`, all ten of them, as v1 does) or
 * declares each one's value type (`value`), never a mix; each role at most once, the signature, the
 * conduct confirmation and the attestation exactly once, and the value types' own bounds consistent.
 */
function checkFields(list: Checklist, err: (p: PropertyKey[], m: string) => void) {
  const fields = list.items.flatMap((item, i) => (item.kind === 'field' ? [{ item, i }] : []));
  const legacy = fields.filter(({ item }) => item.field !== undefined);
  if (legacy.length > 0) {
    for (const { item, i } of fields) {
      if (item.field === undefined) err(['items', i, 'field'], `"${item.id}" has no "field" name, but this version names its fields the old way (items[${legacy[0]!.i}] does): name every field, or declare "value" on every field`);
      else if (item.value !== undefined || item.role !== undefined || item.by !== undefined) err(['items', i], `"${item.id}" names the field "${item.field}", which already fixes its value type, role and side: remove "value", "role" and "by"`);
    }
    for (const field of FIELDS) expectExactlyOnce(list, 'field', field, err);
    return;
  }
  for (const { item, i } of fields) {
    if (item.value === undefined) err(['items', i, 'value'], `the field "${item.id}" declares no value type (one of ${VALUE_TYPES.join(', ')})`);
  }
  for (const role of ROLES) {
    const found = fields.filter(({ item }) => item.role === role);
    for (const { i } of found.slice(1)) err(['items', i, 'role'], `the role "${role}" appears more than once (first at items[${found[0]!.i}])`);
    if (found.length === 0 && REQUIRED_ROLES.includes(role)) err(['items'], `no field has the role "${role}", which the back office needs`);
  }
  for (const type of SINGLETON_TYPES) {
    const found = fields.filter(({ item }) => item.value?.type === type);
    if (found.length === 0) err(['items'], `no field of value type "${type}", which the visit needs`);
    for (const { i } of found.slice(1)) err(['items', i, 'value', 'type'], `the value type "${type}" appears more than once (first at items[${found[0]!.i}])`);
  }
  const roleTypes: Partial<Record<Role, readonly ValueType[]>> = {
    'customer-account': ['short-text', 'long-text'], 'fault-found': ['short-text', 'long-text'], 'work-done': ['short-text', 'long-text'],
    'customer-opinion': ['short-text', 'long-text'], 'signer-name': ['short-text'], 'parts-used': ['parts'], satisfaction: ['rating'],
  };
  for (const { item, i } of fields) {
    const spec = item.value;
    if (!spec) continue;
    const allowed = item.role ? roleTypes[item.role] : undefined;
    if (item.role && allowed && !allowed.includes(spec.type)) err(['items', i, 'role'], `the role "${item.role}" takes a value of type ${allowed.join(' or ')}, not "${spec.type}"`);
    if (spec.type === 'number' && spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) err(['items', i, 'value', 'min'], `min ${spec.min} is above max ${spec.max}`);
    if (spec.type === 'photos' && spec.min > spec.max) err(['items', i, 'value', 'min'], `min ${spec.min} is above max ${spec.max}`);
    if (spec.type === 'multiple-choice' && spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) err(['items', i, 'value', 'min'], `min ${spec.min} is above max ${spec.max}`);
    if (spec.type === 'multiple-choice' && spec.max !== undefined && spec.max > spec.options.length) err(['items', i, 'value', 'max'], `max ${spec.max} is more than the ${spec.options.length} options`);
    if (spec.type === 'single-choice' || spec.type === 'multiple-choice') {
      const seen = new Set<string>();
      spec.options.forEach((option, j) => {
        if (seen.has(option.id)) err(['items', i, 'value', 'options', j, 'id'], `duplicate option id "${option.id}"`);
        seen.add(option.id);
      });
    }
  }
}

/** Depth-first search over the `after` edges; returns the ids of one cycle, or null. */
function findCycle(list: Checklist): string[] | null {
  const byId = new Map(list.items.map((item) => [item.id, item]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    const seen = state.get(id);
    if (seen === 'done') return null;
    if (seen === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of byId.get(id)?.after ?? []) {
      if (!byId.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const item of list.items) {
    const cycle = visit(item.id);
    if (cycle) return cycle.reverse();
  }
  return null;
}

export function itemById(list: Checklist, id: string): ChecklistItem | undefined {
  return list.items.find((item) => item.id === id);
}

export function ruleById(list: Checklist, id: string): ChecklistRule | undefined {
  return list.rules.find((rule) => rule.id === id);
}

export function stepItem(list: Checklist, step: StepName): ChecklistItem & { kind: 'step' } {
  const item = list.items.find((i): i is ChecklistItem & { kind: 'step' } => i.kind === 'step' && i.step === step);
  if (!item) throw new Error(`checklist ${list.id} v${list.version} has no step "${step}"`);
  return item;
}

export type FieldItem = ChecklistItem & { kind: 'field' };
export { fieldItems, fieldSpec, LEGACY_FIELDS, namesFields, roleItem, typeItem, type FieldSpec } from './field-spec';

/** The field item a version-1 field name stands for (only versions that name their fields have them). */
export function fieldItem(list: Checklist, field: FieldName): FieldItem {
  const item = list.items.find((i): i is FieldItem => i.kind === 'field' && i.field === field);
  if (!item) throw new Error(`checklist ${list.id} v${list.version} has no field "${field}"`);
  return item;
}

export type ReminderItem = ChecklistItem & { kind: 'reminder' };

export function reminderFor(list: Checklist, what: OfferKind | 'dispute'): ReminderItem {
  const item = list.items.find((i): i is ReminderItem => i.kind === 'reminder' && (what === 'dispute' ? i.reportsDispute === true : i.declinedOffer === what));
  if (!item) throw new Error(`checklist ${list.id} v${list.version} has no reminder for "${what}"`);
  return item;
}

/** The four prohibitions: the rules the technician attests and the customer confirms. */
export function prohibitionRules(list: Checklist): ChecklistRule[] {
  return list.rules.filter((rule) => rule.group === 'four-prohibitions');
}
