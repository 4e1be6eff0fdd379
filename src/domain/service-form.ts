// The service form (维修服务单) a sealed visit becomes, and the check that a received form is exactly
// what its own event log, replayed under the checklist's rules, produces.
import type { RejectionReason } from './rejection';
import { fieldItem, fieldItems, namesFields, stepItem, typeItem, type Checklist, type FieldName } from './checklist';
import { formAnswersSchema } from './field-values';
import {
  CURRENT_FORMAT_VERSION, FORM_FORMAT, type FormBody, type FormBodyV1, type SealedForm, type Signature,
} from './form-schema';
import { toFieldErrors } from './validation-issues';

export type FormatVersion = FormBody['formatVersion'];
import { incidents, isApplicable, isDone, replay, ReplayError, type ShapeOptions, type VisitState } from './visit-workflow';

/** What the visit is about; fixed when the draft is created, not decided by the workflow. */
export interface VisitHeader {
  formId: string;
  visitId: string;
  customer: FormBody['customer'];
  equipment: FormBody['equipment'];
  technician: FormBody['technician'];
}

export class FormNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormNotReadyError';
  }
}

/** Builds the form body from a sealed visit, in this app's format (2) or, to check a received one, format 1. */
export function buildFormBody(state: VisitState, header: VisitHeader, formatVersion: FormatVersion = CURRENT_FORMAT_VERSION): FormBody {
  if (!state.sealed) throw new FormNotReadyError('the visit is not sealed yet');
  const list = state.checklist;
  const signatureItem = typeItem(list, 'signature');
  const signature = state.answers[signatureItem.id] as Signature | undefined;
  for (const item of fieldItems(list)) {
    if (item.required && isApplicable(state, item) && state.answers[item.id] === undefined) {
      throw new FormNotReadyError(`the required field "${item.id}" is missing although the visit is sealed`);
    }
  }
  if (!signature) throw new FormNotReadyError('the signature is missing although the visit is sealed');
  const sealEvent = state.events[state.events.length - 1]!;
  const all = incidents(state);
  const common = {
    format: FORM_FORMAT,
    id: header.formId,
    visit: { id: header.visitId, ...state.facts },
    customer: header.customer,
    equipment: header.equipment,
    technician: header.technician,
    checklist: { id: list.id, version: list.version },
    items: list.items
      .filter((item) => item.kind !== 'reminder')
      .map((item) => {
        if (!isApplicable(state, item)) return { id: item.id, outcome: 'not-applicable' as const, at: null };
        if (!isDone(state, item)) return { id: item.id, outcome: 'not-done' as const, at: null };
        return { id: item.id, outcome: 'done' as const, at: doneTime(state, item.id) };
      }),
    testRuns: [...state.testRuns],
    incidents: all,
    flags: {
      dispute: all.some((i) => i.kind === 'dispute'),
      conductBreach: all.some((i) => i.kind === 'conduct-breach'),
    },
    events: [...state.events],
    sealedAt: sealEvent.at,
    sealedElapsedMs: sealEvent.elapsedMs,
  };
  if (formatVersion === 1) {
    if (!namesFields(list)) throw new FormNotReadyError(`${list.id} v${list.version} declares value types: its forms have format 2, not 1`);
    const named = (field: FieldName) => state.answers[fieldItem(list, field).id];
    // the key order format 1 has always had, so a rebuilt form-1 corpus is byte for byte the one checked in
    return {
      format: common.format, formatVersion: 1, id: common.id, visit: common.visit, customer: common.customer, equipment: common.equipment,
      technician: common.technician, checklist: common.checklist, items: common.items,
      customerAccount: named('customerAccount') as string,
      faultFound: named('faultFound') as string,
      workDone: named('workDone') as string,
      partsUsed: (named('partsUsed') as FormBodyV1['partsUsed'] | undefined) ?? [],
      testRuns: common.testRuns,
      incidents: common.incidents,
      customerOpinion: named('customerOpinion') as string,
      satisfaction: named('satisfaction') as number,
      conduct: named('conduct') as FormBodyV1['conduct'],
      attestation: named('attestation') as FormBodyV1['attestation'],
      signerName: named('signerName') as string,
      signature,
      flags: common.flags, events: common.events, sealedAt: common.sealedAt, sealedElapsedMs: common.sealedElapsedMs,
    };
  }
  const answers: Record<string, unknown> = {};
  for (const item of fieldItems(list)) {
    if (item.id !== signatureItem.id && state.answers[item.id] !== undefined) answers[item.id] = state.answers[item.id];
  }
  const { points: _points, ...signatureRef } = signature;
  return { ...common, formatVersion: 2, answers, signature: signatureRef };
}

function doneTime(state: VisitState, itemId: string): string {
  const at = state.doneAt.get(itemId);
  if (at) return at;
  // the technician's test run is done by its last pass in the current round
  // Stryker disable next-line MethodExpression: a round holds at most one technician's pass (a second is refused as already done), so the order searched in is immaterial
  const pass = [...state.testRuns].reverse().find((r) => r.by === 'technician' && r.passed && r.round === state.round);
  // Stryker disable next-line OptionalChaining,ArithmeticOperator: only the technician's test lacks a doneAt, and it is done only when this round has its pass: the fallback is never reached
  return pass?.at ?? state.events[state.events.length - 1]!.at;
}

/** JSON equality, key order aside; the rebuilt form shares most objects with the received one, so identity settles most of it. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || a === null || b === null) return false;
  // Stryker disable next-line ConditionalExpression: a primitive b has no own key of a rebuilt object (its keys are names, never indices), so the key comparison below refuses it too
  if (typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  // Stryker disable next-line ConditionalExpression,BlockStatement: two arrays compared as objects, by their index keys, give the same answer; this is the shorter path
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((value, i) => sameJson(value, other[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export type ConsistencyCheck = { ok: true } | { ok: false; path: string; message: string; reason: RejectionReason };

/**
 * Replays the form's event log under its checklist and rebuilds the form: a form that says anything
 * its own events do not (a field altered, a step skipped, a rule broken) is refused.
 */
export function checkFormConsistency(form: FormBody | SealedForm, checklist: Checklist, options: ShapeOptions = {}): ConsistencyCheck {
  if (form.checklist.id !== checklist.id || form.checklist.version !== checklist.version) {
    return {
      ok: false, path: 'checklist', message: `form was filled against ${form.checklist.id} v${form.checklist.version}, not ${checklist.id} v${checklist.version}`,
      reason: { code: 'unknown-checklist', params: { checklist: `${form.checklist.id} v${form.checklist.version}`, known: `${checklist.id} v${checklist.version}` } },
    };
  }
  if (form.formatVersion === 1 && !namesFields(checklist)) {
    return {
      ok: false, path: 'formatVersion', message: `${checklist.id} v${checklist.version} declares value types: its forms have format 2`,
      reason: { code: 'form-mismatch', params: { field: 'formatVersion' } },
    };
  }
  if (form.formatVersion === 2) {
    // each answer against its item's value type, so a wrong one is named at its own path before the replay
    const parsed = formAnswersSchema(checklist).safeParse(form.answers, { reportInput: true });
    if (!parsed.success) {
      const first = toFieldErrors(parsed.error.issues, ['answers'])[0]!;
      return { ok: false, path: first.path, message: first.message, reason: { code: 'form-mismatch', params: { field: 'answers' } } };
    }
  }
  let state: VisitState;
  try {
    const { id: _id, ...facts } = form.visit;
    state = replay(checklist, facts, form.events, options);
  } catch (error) {
    if (error instanceof ReplayError) {
      return {
        ok: false, path: `events[${error.seq}]`, message: `the rules refuse this event (${error.refusal.key}, rule ${error.refusal.rule})`,
        reason: { code: 'event-refused', params: { seq: error.seq, rule: error.refusal.rule, refusal: error.refusal.key } },
      };
    }
    throw error;
  }
  if (!state.sealed) {
    return { ok: false, path: 'events', message: `the event log does not end with the seal (${stepItem(checklist, 'seal').id})`, reason: { code: 'form-mismatch', params: { field: 'events' } } };
  }
  const rebuilt = buildFormBody(state, {
    formId: form.id, visitId: form.visit.id, customer: form.customer, equipment: form.equipment, technician: form.technician,
  }, form.formatVersion);
  const received = form as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(rebuilt)) {
    if (!sameJson(value, received[key])) {
      return { ok: false, path: key, message: `does not match what the form's own event log gives`, reason: { code: 'form-mismatch', params: { field: key } } };
    }
  }
  return { ok: true };
}
