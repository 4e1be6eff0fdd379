// Why the back office refused a form, as a code and its parameters beside the English path and message,
// so the phone can say it in the technician's language. The server may learn new codes before a phone
// does: the phone reads any code and falls back to the path and message for one it does not know.
import { z } from 'zod/mini';

export const REJECTION_CODES = [
  /** the form does not have the shape the server expects (an app older or newer than the server) */
  'invalid-field',
  /** the form names another technician than the token it was sent with */
  'technician-mismatch',
  /** an imported form names a technician this server does not have */
  'unknown-technician',
  /** the form was filled against a checklist version this server does not know */
  'unknown-checklist',
  /** the visit date's festival is not the one the form says */
  'festival-mismatch',
  /** the signature image is not the one the form describes */
  'signature-mismatch',
  /** the signature image is larger than the server takes (params: maxKiB) */
  'signature-too-large',
  /** the seal does not match the form: changed after the customer signed */
  'seal-mismatch',
  /** an event of the log breaks a rule (params: seq, rule, refusal) */
  'event-refused',
  /** a part of the form is not what its own event log gives (params: field) */
  'form-mismatch',
  /** the form holds text that cannot be sealed (a lone UTF-16 surrogate) */
  'uncheckable',
  /** the technician's phone has a device key, but the form has no device signature (params: technician) */
  'device-signature-missing',
  /** the form is signed by a device key this server does not have (params: keyId) */
  'device-key-unknown',
  /** the form is signed by another technician's device key (params: keyId, technician, keyTechnician) */
  'device-key-other-technician',
  /** the form is signed by a device key revoked with its technician (params: keyId, revokedAt) */
  'device-key-revoked',
  /** the device signature does not verify over the seal (params: keyId) */
  'device-signature-invalid',
  /** more errors than are listed (params: count) */
  'more-errors',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export type RejectionParams = Record<string, string | number>;

export interface RejectionReason {
  code: RejectionCode;
  params: RejectionParams;
}

/** As the phone reads it: any code (an unknown one is shown by its path and message). */
export const RejectionReasonSchema = z.strictObject({
  code: z.string().check(z.maxLength(64)),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type ReceivedRejectionReason = z.infer<typeof RejectionReasonSchema>;

export function isRejectionCode(code: string): code is RejectionCode {
  return (REJECTION_CODES as readonly string[]).includes(code);
}
