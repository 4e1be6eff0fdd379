// The public check of a customer copy: does the back office hold this form with exactly this seal, and
// does that seal still verify over what is stored. The answer names the visit's date, the equipment and
// the technician, nothing of the customer's (see VerifyAnswer in src/domain/verify-link.ts).
import { timingSafeEqual } from 'node:crypto';
import type { SealedForm } from '../../domain/form-schema';
import { verifySeal } from '../../domain/seal';
import type { DeviceSignatureState, VerifyAnswer, VerifyCode } from '../../domain/verify-link';
import type { Storage, StoredForm } from '../storage/storage';

/** Compares two seals without leaking, through timing, how much of a guess was right. */
function sameSeal(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The device signature's state as storage holds it (issue 10 §2: device ECDSA signatures). Today no
 * stored form carries one, so this is 'not-recorded'; a record found without the code to check it is
 * 'recorded-not-checked'. The device-signature work replaces this with the real check, which alone may
 * answer 'verified' or 'failed'.
 */
export function deviceSignatureState(stored: StoredForm, form: SealedForm): DeviceSignatureState {
  const recorded = (stored as { deviceSignature?: unknown }).deviceSignature ?? (form as { deviceSignature?: unknown }).deviceSignature;
  return recorded === undefined || recorded === null ? 'not-recorded' : 'recorded-not-checked';
}

export async function verifyHeldForm(storage: Storage, code: VerifyCode): Promise<VerifyAnswer> {
  const { formId, seal } = code;
  const stored = await storage.getForm(formId);
  if (!stored) return { result: 'unknown', formId };
  const form = JSON.parse(stored.formJson) as SealedForm;
  if (!sameSeal(form.seal.hash, seal)) {
    // a second submission of the same id, kept aside as a conflict, may be the copy the customer holds
    const rival = await storage.getConflictSubmission(formId, seal);
    return { result: rival ? 'conflict' : 'seal-differs', formId };
  }
  const check = stored.signature ? await verifySeal(form, stored.signature).catch(() => ({ ok: false })) : { ok: false };
  return {
    result: 'held',
    formId,
    seal: check.ok ? 'verified' : 'failed',
    visitDate: stored.summary.visitDate,
    sealedAt: form.sealedAt,
    equipment: { type: stored.summary.equipmentType, model: form.equipment?.model ?? '' },
    technicianName: stored.summary.technicianName,
    deviceSignature: deviceSignatureState(stored, form),
  };
}
