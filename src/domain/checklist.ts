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

export const FIELDS = [
  'customerAccount', 'faultFound', 'workDone', 'partsUsed', 'customerOpinion',
  'satisfaction', 'conduct', 'attestation', 'signerName', 'signature',
] as const;
export type FieldName = (typeof FIELDS)[number];

/** What a customer may offer that the technician declines (四不准 ①–③). */
export const OFFER_KINDS = ['cigarette', 'food-drink', 'gift'] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

export const RULE_GROUPS = ['prepare', 'arrive', 'three-musts', 'four-prohibitions'] as const;
export const CONDITIONS = ['festival', 'firstVisit'] as const;
export type Condition = (typeof CONDITIONS)[number];

const idSchema = z.string().check(z.regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/), z.maxLength(64));

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
  z.strictObject({ ...itemCommon, kind: z.literal('field'), field: z.enum(FIELDS) }),
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
  for (const field of FIELDS) expectExactlyOnce(list, 'field', field, err);
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

export function fieldItem(list: Checklist, field: FieldName): ChecklistItem & { kind: 'field' } {
  const item = list.items.find((i): i is ChecklistItem & { kind: 'field' } => i.kind === 'field' && i.field === field);
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
