// The customer copy's check: the link its QR code holds, and the public verify answer.
//
// The link is `<server>/verify#f=<form id>&s=<seal hash>`. Both travel in the fragment, which a browser
// never sends (not in the request line, not in a Referer), so opening the page puts neither in any
// server's or proxy's access log; the page then POSTs them in a JSON body to PUBLIC_VERIFY_API, which
// logs lines never hold either. Pure: the phone, the back office, the verify page and the server share it.
import type { FieldError } from './validation-issues';

/** The public page's path on the server, under the server's base URL. */
export const VERIFY_PATH = '/verify';
/** POST {form, seal} → VerifyAnswer; no sign-in, rate-limited per client address. */
export const PUBLIC_VERIFY_API = '/api/v1/public/verify';

const FORM_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEAL_HASH = /^[0-9a-f]{64}$/;

export interface VerifyCode {
  formId: string;
  seal: string;
}

/** The link a customer copy's QR code holds. `serverBase` is the server's origin, maybe with a path prefix. */
export function verifyUrl(serverBase: string, code: VerifyCode): string {
  const problems = verifyCodeProblems({ form: code.formId, seal: code.seal });
  if (problems.length > 0) throw new Error(`verifyUrl: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  // both parts are checked above: hex digits and hyphens, nothing to percent-encode
  return `${serverBase.replace(/\/+$/, '')}${VERIFY_PATH}#f=${code.formId}&s=${code.seal}`;
}

/** What is wrong with a code as it arrived (from a fragment or a request body); none when it is well formed. */
export function verifyCodeProblems(input: { form?: unknown; seal?: unknown }): FieldError[] {
  const problems: FieldError[] = [];
  if (typeof input.form !== 'string' || !FORM_ID.test(input.form)) {
    problems.push({ path: 'form', message: `expected a form number (a UUID), got ${describe(input.form)}` });
  }
  if (typeof input.seal !== 'string' || !SEAL_HASH.test(input.seal)) {
    problems.push({ path: 'seal', message: `expected a seal (64 lower-case hexadecimal digits), got ${describe(input.seal)}` });
  }
  return problems;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value !== 'string') return typeof value;
  return value.length > 80 ? `${value.length} characters` : JSON.stringify(value);
}

/** `a=1&b=2` as a map (the first of a repeated name wins); a part that is not valid percent-encoding is kept as it is, to be refused. */
function fragmentParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of text.split('&')) {
    const at = part.indexOf('=');
    const [name, value] = at === -1 ? [part, ''] : [part.slice(0, at), part.slice(at + 1)];
    if (!params.has(name)) params.set(name, safeDecode(value.replace(/\+/g, ' ')));
  }
  return params;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export type ParsedFragment = { ok: true; code: VerifyCode } | { ok: false; problems: FieldError[] };

/** Reads `#f=…&s=…` (with or without the leading #); a missing or misshapen part is reported, never guessed. */
export function parseVerifyFragment(fragment: string): ParsedFragment {
  const params = fragmentParams(fragment.startsWith('#') ? fragment.slice(1) : fragment);
  const input = { form: params.get('f'), seal: params.get('s') };
  const problems = verifyCodeProblems(input);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, code: { formId: input.form!, seal: input.seal! } };
}

/**
 * The device signature of a held form (issue 10 §2), as the server's storage has it. Only the first two
 * are given today: this server records no device signature yet ('not-recorded'), and one it finds but
 * cannot check yet is 'recorded-not-checked', never 'verified'.
 */
export const DEVICE_SIGNATURE_STATES = ['not-recorded', 'recorded-not-checked', 'verified', 'failed'] as const;
export type DeviceSignatureState = (typeof DEVICE_SIGNATURE_STATES)[number];

export const VERIFY_RESULTS = ['held', 'seal-differs', 'conflict', 'unknown'] as const;

/**
 * The public answer: nothing personal (no customer, phone, address or answers). The form's facts are
 * given only when the seal asked about is the one the back office holds.
 */
export type VerifyAnswer =
  | {
    /** the back office holds a form with this id and exactly this seal */
    result: 'held';
    formId: string;
    /** the seal recomputed on the server over the stored form and signature */
    seal: 'verified' | 'failed';
    visitDate: string;
    sealedAt: string;
    equipment: { type: string; model: string };
    technicianName: string;
    deviceSignature: DeviceSignatureState;
  }
  /** a form with this id is held, with another seal: this copy is not that form (forged or altered) */
  | { result: 'seal-differs'; formId: string }
  /** the seal is that of a second, different submission of this id, kept aside for review */
  | { result: 'conflict'; formId: string }
  /** no form with this id (yet: a phone that has not synced has not sent it) */
  | { result: 'unknown'; formId: string };

const isText = (value: unknown): value is string => typeof value === 'string';
const oneOf = <T extends string>(values: readonly T[], value: unknown): value is T => values.includes(value as T);

/** Checks an answer as the verify page receives it; throws naming the first field that is not as expected. */
export function parseVerifyAnswer(value: unknown): VerifyAnswer {
  const fail = (path: string): never => {
    throw new Error(`the verify answer is not valid at ${path}`);
  };
  if (typeof value !== 'object' || value === null) return fail('(root)');
  const v = value as Record<string, unknown>;
  if (!oneOf(VERIFY_RESULTS, v.result)) return fail('result');
  if (!isText(v.formId)) return fail('formId');
  if (v.result !== 'held') return { result: v.result, formId: v.formId };
  if (v.seal !== 'verified' && v.seal !== 'failed') return fail('seal');
  for (const key of ['visitDate', 'sealedAt', 'technicianName'] as const) if (!isText(v[key])) fail(key);
  const equipment = v.equipment as Record<string, unknown> | null;
  if (typeof equipment !== 'object' || equipment === null) return fail('equipment');
  if (!isText(equipment.type)) fail('equipment.type');
  if (!isText(equipment.model)) fail('equipment.model');
  if (!oneOf(DEVICE_SIGNATURE_STATES, v.deviceSignature)) return fail('deviceSignature');
  return {
    result: 'held', formId: v.formId, seal: v.seal,
    visitDate: v.visitDate as string, sealedAt: v.sealedAt as string,
    equipment: { type: equipment.type as string, model: equipment.model as string },
    technicianName: v.technicianName as string, deviceSignature: v.deviceSignature,
  };
}
