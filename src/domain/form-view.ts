// A sealed form's answers as its own checklist version lays them out, whatever its format: format 1
// names ten fields, format 2 keys answers by item id. What the customer copy, the back office, the
// exports and the server's filing read, so none of them names a field.
import type { Checklist, FieldItem, LocalizedText, Role, ValueSpec } from './checklist';
import { fieldItems, fieldSpec, roleItem, typeItem, type FieldSpec } from './field-spec';
import type { CatalogPart, PhotoRef } from './field-values';
import type { FormBody, PointGroup, Signature, SignatureRef } from './form-schema';

/** Every answer of the form by item id (the signature's as the form holds it). */
export function formAnswers(form: FormBody, checklist: Checklist): Record<string, unknown> {
  if (form.formatVersion === 2) return { ...form.answers, [typeItem(checklist, 'signature').id]: form.signature };
  const named = form as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const item of fieldItems(checklist)) {
    if (item.field !== undefined && named[item.field] !== undefined) out[item.id] = named[item.field];
  }
  return out;
}

export interface AnswerRow {
  item: FieldItem;
  spec: FieldSpec;
  /** undefined: not answered (an optional field left empty, or one that did not apply) */
  value: unknown;
}

/** The field items of the form's version in checklist order, each with its answer. */
export function answerRows(form: FormBody, checklist: Checklist): AnswerRow[] {
  const answers = formAnswers(form, checklist);
  return fieldItems(checklist).map((item) => ({ item, spec: fieldSpec(item), value: answers[item.id] }));
}

/** The answer with a role, if the form's version has the role and the form answers it. */
export function roleAnswer<T>(form: FormBody, checklist: Checklist, role: Role): T | undefined {
  const item = roleItem(checklist, role);
  return item ? (formAnswers(form, checklist)[item.id] as T | undefined) : undefined;
}

/** Text an answer with a text role, '' when there is none. */
export const roleText = (form: FormBody, checklist: Checklist, role: Role): string => {
  const value = roleAnswer<unknown>(form, checklist, role);
  return typeof value === 'string' ? value : '';
};

export const roleParts = (form: FormBody, checklist: Checklist): CatalogPart[] => {
  const value = roleAnswer<unknown>(form, checklist, 'parts-used');
  return Array.isArray(value) ? (value as CatalogPart[]) : [];
};

/** The customer's conduct answers and the technician's attestation, from the items of their value types. */
export function conductAnswers(form: FormBody, checklist: Checklist): { conduct: Record<string, 'kept' | 'not-kept'>; attestation: string[] } {
  const answers = formAnswers(form, checklist);
  return {
    conduct: (answers[typeItem(checklist, 'conduct').id] as Record<string, 'kept' | 'not-kept'> | undefined) ?? {},
    attestation: (answers[typeItem(checklist, 'attestation').id] as string[] | undefined) ?? [],
  };
}

/**
 * The signature's pen data: in format 1 the form holds it; in format 2 it is in the event that set the
 * signature (the last one for that item, since a redrawn signature clears and sets it again).
 */
export function signaturePoints(form: FormBody, checklist: Checklist): PointGroup[] {
  if (form.formatVersion === 1) return form.signature.points;
  const id = typeItem(checklist, 'signature').id;
  for (let i = form.events.length - 1; i >= 0; i--) {
    const action = form.events[i]!.action;
    if (action.type !== 'set') continue;
    // a draft begun before the update may have set it by its v1 name
    const target = 'item' in action ? action.item : fieldItems(checklist).find((item) => item.field === action.field)?.id;
    if (target === id) return (action.value as Signature).points;
  }
  return [];
}

/**
 * One answer as a cell of a spreadsheet: text as typed, a number as a number, a choice by its label in
 * `lang`, yes/no as true/false, parts as "code name×quantity; …", photos by their count.
 */
export function answerCell(spec: ValueSpec, value: unknown, lang: keyof LocalizedText): string | number | boolean {
  if (value === undefined || value === null) return '';
  switch (spec.type) {
    case 'short-text':
    case 'long-text':
      return String(value);
    case 'number':
    case 'rating':
      return Number(value);
    case 'yes-no':
      return Boolean(value);
    case 'single-choice':
      return spec.options.find((o) => o.id === value)?.text[lang] ?? String(value);
    case 'multiple-choice':
      return (value as string[]).map((id) => spec.options.find((o) => o.id === id)?.text[lang] ?? id).join('; ');
    case 'parts':
      return (value as CatalogPart[]).map((p) => `${p.code ? `${p.code} ` : ''}${p.name}×${p.quantity}`).join('; ');
    case 'photos':
      return (value as PhotoRef[]).length;
    case 'conduct':
      return Object.entries(value as Record<string, string>).map(([rule, answer]) => `${rule}:${answer}`).join('; ');
    case 'attestation':
      return (value as string[]).join('; ');
    case 'signature':
      return (value as SignatureRef).sha256;
  }
}

export interface HistoryWords {
  faultFound: string;
  workDone: string;
  partsUsed: Array<{ name: string; quantity: number }>;
}

const isText = (value: unknown): value is string => typeof value === 'string';

/**
 * What an equipment history shows of a past repair, read from a form's JSON as stored, whatever its
 * format; tolerant of anything, since a history lists a form whose words it cannot read rather than fail.
 * `checklistOf` finds the form's version (a format-2 form's answers are keyed by its item ids).
 */
export function historyWords(json: unknown, checklistOf: (id: string, version: number) => Checklist | undefined): HistoryWords {
  const form = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  let faultFound: unknown = form.faultFound;
  let workDone: unknown = form.workDone;
  let parts: unknown = form.partsUsed;
  if (form.formatVersion === 2) {
    const ref = form.checklist as { id?: unknown; version?: unknown } | undefined;
    const checklist = typeof ref?.id === 'string' && typeof ref.version === 'number' ? checklistOf(ref.id, ref.version) : undefined;
    const answers = (typeof form.answers === 'object' && form.answers !== null ? form.answers : {}) as Record<string, unknown>;
    const byRole = (role: Role) => {
      const item = checklist ? roleItem(checklist, role) : undefined;
      return item ? answers[item.id] : undefined;
    };
    faultFound = byRole('fault-found');
    workDone = byRole('work-done');
    parts = byRole('parts-used');
  }
  return {
    faultFound: isText(faultFound) ? faultFound : '',
    workDone: isText(workDone) ? workDone : '',
    partsUsed: (Array.isArray(parts) ? parts : []).flatMap((p: unknown) => {
      const part = p as { name?: unknown; quantity?: unknown } | null;
      return typeof part?.name === 'string' && typeof part.quantity === 'number' ? [{ name: part.name, quantity: part.quantity }] : [];
    }),
  };
}
