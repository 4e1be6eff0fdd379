// One request of the sync: pack forms into batches the server accepts, POST one batch, and say what
// the answer means for each form. Nothing here touches the outbox; the engine applies the outcome.
import { SubmitResponseSchema, type SubmitResult } from '../domain/api';
import type { SubmittedForm } from '../domain/form-schema';
import { formatPath } from '../domain/validation-issues';
import { callApi, describeFailure, parseRetryAfter, type ApiAnswer, type FetchLike, type SetTimer } from './api-client';

/** A form ready for the wire: its JSON once, and that JSON's size in UTF-8 bytes. */
export interface OutgoingForm {
  formId: string;
  json: string;
  bytes: number;
}

const encoder = new TextEncoder();
const ENVELOPE_BYTES = '{"forms":[]}'.length;

export function toOutgoing(submitted: SubmittedForm): OutgoingForm {
  const json = JSON.stringify(submitted);
  return { formId: submitted.form.id, json, bytes: encoder.encode(json).length };
}

/** Greedy packing in order: at most `maxCount` forms and `maxBytes` of body per batch; a form too big alone goes alone (the server decides). */
export function packBatches(forms: readonly OutgoingForm[], maxBytes: number, maxCount: number): OutgoingForm[][] {
  const batches: OutgoingForm[][] = [];
  let current: OutgoingForm[] = [];
  let size = ENVELOPE_BYTES;
  for (const form of forms) {
    const added = form.bytes + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && (current.length >= maxCount || size + added > maxBytes)) {
      batches.push(current);
      current = [];
      size = ENVELOPE_BYTES;
    }
    size += form.bytes + (current.length > 0 ? 1 : 0);
    current.push(form);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export type BatchOutcome =
  /** the server's answer, one entry per form of the batch (undefined: it said nothing for that form) */
  | { kind: 'answered'; answers: Array<SubmitResult | undefined> }
  /** no usable answer: network down, a timeout, 5xx, 408, 429, another 4xx, or an answer we cannot read */
  | { kind: 'retry-later'; error: string; offline: boolean; retryAfterMs: number | null }
  | { kind: 'unauthorized'; error: string }
  | { kind: 'too-large'; error: string };

export interface SubmitRequest {
  fetch: FetchLike;
  url: string;
  token: string;
  now: number;
  batch: readonly OutgoingForm[];
  timeoutMs: number;
  setTimer: SetTimer;
}

export async function submitBatch(req: SubmitRequest): Promise<BatchOutcome> {
  const body = `{"forms":[${req.batch.map((f) => f.json).join(',')}]}`;
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${req.token}`, 'X-Device-Time': new Date(req.now).toISOString() };
  let answer: ApiAnswer;
  try {
    answer = await callApi(req.fetch, req.url, { method: 'POST', headers, body }, req.timeoutMs, req.setTimer);
  } catch (error) {
    return { kind: 'retry-later', error: describeFailure(error), offline: true, retryAfterMs: null };
  }
  if (answer.ok) {
    const parsed = SubmitResponseSchema.safeParse(answer.json);
    if (parsed.success) return { kind: 'answered', answers: matchResults(req.batch, parsed.data.results) };
    const issue = parsed.error.issues[0];
    const where = answer.json === undefined ? ' (not JSON)' : issue ? ` at ${formatPath(issue.path)}` : '';
    return { kind: 'retry-later', error: `the server's answer could not be read${where}`, offline: false, retryAfterMs: null };
  }
  if (answer.status === 401) return { kind: 'unauthorized', error: answer.message };
  if (answer.status === 413) return { kind: 'too-large', error: answer.message };
  return { kind: 'retry-later', error: answer.message, offline: false, retryAfterMs: parseRetryAfter(answer.retryAfter, req.now) };
}

/** Lines the results up with the batch by index; a result whose id names another form counts as no answer. */
export function matchResults(batch: readonly OutgoingForm[], results: readonly SubmitResult[]): Array<SubmitResult | undefined> {
  const byIndex = new Map<number, SubmitResult>();
  for (const result of results) if (!byIndex.has(result.index)) byIndex.set(result.index, result);
  return batch.map((form, index) => {
    const result = byIndex.get(index);
    return result && (result.id === null || result.id === form.formId) ? result : undefined;
  });
}
