// The service form (维修服务单) a sealed visit becomes, and the check that a received form is exactly
// what its own event log, replayed under the checklist's rules, produces.
import type { RejectionReason } from './rejection';
import { stepItem, type Checklist } from './checklist';
import { FORM_FORMAT, type FormBody, type SealedForm } from './form-schema';
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

/** Builds the form body from a sealed visit. */
export function buildFormBody(state: VisitState, header: VisitHeader): FormBody {
  if (!state.sealed) throw new FormNotReadyError('the visit is not sealed yet');
  const f = state.fields;
  if (f.customerAccount === undefined || f.faultFound === undefined || f.workDone === undefined || f.customerOpinion === undefined ||
      f.satisfaction === undefined || f.conduct === undefined || f.attestation === undefined || f.signerName === undefined || f.signature === undefined) {
    throw new FormNotReadyError('a required field is missing although the visit is sealed');
  }
  const sealEvent = state.events[state.events.length - 1]!;
  const all = incidents(state);
  return {
    format: FORM_FORMAT,
    formatVersion: 1,
    id: header.formId,
    visit: { id: header.visitId, ...state.facts },
    customer: header.customer,
    equipment: header.equipment,
    technician: header.technician,
    checklist: { id: state.checklist.id, version: state.checklist.version },
    items: state.checklist.items
      .filter((item) => item.kind !== 'reminder')
      .map((item) => {
        if (!isApplicable(state, item)) return { id: item.id, outcome: 'not-applicable' as const, at: null };
        if (!isDone(state, item)) return { id: item.id, outcome: 'not-done' as const, at: null };
        return { id: item.id, outcome: 'done' as const, at: doneTime(state, item.id) };
      }),
    customerAccount: f.customerAccount,
    faultFound: f.faultFound,
    workDone: f.workDone,
    partsUsed: f.partsUsed ?? [],
    testRuns: [...state.testRuns],
    incidents: all,
    customerOpinion: f.customerOpinion,
    satisfaction: f.satisfaction,
    conduct: f.conduct,
    attestation: f.attestation,
    signerName: f.signerName,
    signature: f.signature,
    flags: {
      dispute: all.some((i) => i.kind === 'dispute'),
      conductBreach: all.some((i) => i.kind === 'conduct-breach'),
    },
    events: [...state.events],
    sealedAt: sealEvent.at,
    sealedElapsedMs: sealEvent.elapsedMs,
  };
}

function doneTime(state: VisitState, itemId: string): string {
  const at = state.doneAt.get(itemId);
  if (at) return at;
  // the technician's test run is done by its last pass in the current round
  const pass = [...state.testRuns].reverse().find((r) => r.by === 'technician' && r.passed && r.round === state.round);
  return pass?.at ?? state.events[state.events.length - 1]!.at;
}

/** JSON equality, key order aside; the rebuilt form shares most objects with the received one, so identity settles most of it. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
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
  });
  for (const key of Object.keys(rebuilt) as Array<keyof FormBody>) {
    if (!sameJson(rebuilt[key], form[key])) {
      return { ok: false, path: key, message: `does not match what the form's own event log gives`, reason: { code: 'form-mismatch', params: { field: key } } };
    }
  }
  return { ok: true };
}
