// Enrollment: the back office issues a one-time code for a technician; the phone exchanges it for
// its token. Codes expire, work once, and lock after repeated wrong guesses.
import type { EnrollResponse } from '../../domain/api';
import { readDevicePublicKey } from '../../domain/device-signature';
import { badRequest, HttpError } from '../http/errors';
import { DeviceKeyTakenError, type Storage, type TokenGrant } from '../storage/storage';
import { CODE_LOOKUP_LENGTH, matchesHash, newEnrollmentCode, newTechnicianToken, normalizeEnrollmentCode, sha256 } from './secrets';

export const ENROLLMENT_CODE_TTL_MS = 24 * 60 * 60_000;
export const MAX_CODE_FAILURES = 5;

export async function issueEnrollmentCode(storage: Storage, technicianId: string, now: Date): Promise<{ code: string; expiresAt: string }> {
  const technician = await storage.getTechnician(technicianId);
  if (!technician) throw new HttpError(404, 'not-found', `no technician "${technicianId}"`);
  if (technician.revokedAt) throw new HttpError(409, 'technician-revoked', `technician "${technicianId}" was revoked; create a new technician instead`);
  const expiresAt = new Date(now.getTime() + ENROLLMENT_CODE_TTL_MS).toISOString();
  // the lookup prefix may collide with another code's: draw again
  for (;;) {
    const code = newEnrollmentCode();
    const created = await storage.createEnrollmentCode({
      lookup: code.slice(0, CODE_LOOKUP_LENGTH), codeHash: sha256(code), technicianId, createdAt: now.toISOString(), expiresAt,
    });
    if (created) return { code, expiresAt };
  }
}

const invalidCode = () => new HttpError(401, 'code-invalid', 'this enrollment code is not valid; check it, or ask the back office for a new one');
const lockedCode = () => new HttpError(423, 'code-locked', `this enrollment code was locked after ${MAX_CODE_FAILURES} wrong attempts; ask the back office for a new one`);

/**
 * Exchanges the code for a token. `devicePublicKey`, the phone's device key, is registered with the
 * enrollment as the technician's current key; the keys of earlier enrollments are superseded.
 */
export async function redeemEnrollmentCode(storage: Storage, input: string, now: Date, devicePublicKey?: string): Promise<EnrollResponse> {
  const code = normalizeEnrollmentCode(input);
  if (!code) throw invalidCode();
  let deviceKey: TokenGrant['deviceKey'];
  if (devicePublicKey !== undefined) {
    const read = await readDevicePublicKey(devicePublicKey);
    if (!read.ok) throw badRequest('the enrollment request is not valid', [{ path: 'devicePublicKey', message: read.message }]);
    deviceKey = { keyId: read.keyId, publicKey: devicePublicKey };
  }
  const lookup = code.slice(0, CODE_LOOKUP_LENGTH);
  const record = await storage.getEnrollmentCode(lookup);
  if (!record) throw invalidCode();
  if (record.failedAttempts >= MAX_CODE_FAILURES) throw lockedCode();
  if (!matchesHash(code, record.codeHash)) {
    const failures = await storage.recordFailedEnrollment(lookup);
    throw failures >= MAX_CODE_FAILURES ? lockedCode() : invalidCode();
  }
  // only the holder of the right code learns that it is spent or expired
  if (record.usedAt) throw new HttpError(410, 'code-used', 'this enrollment code has already been used; ask the back office for a new one');
  if (Date.parse(record.expiresAt) <= now.getTime()) throw new HttpError(410, 'code-expired', 'this enrollment code has expired; ask the back office for a new one');

  const { token, tokenId } = newTechnicianToken();
  let technician;
  try {
    technician = await storage.redeemEnrollmentCode(lookup, { tokenId, tokenHash: sha256(token), at: now.toISOString(), ...(deviceKey ? { deviceKey } : {}) }, MAX_CODE_FAILURES);
  } catch (error) {
    if (error instanceof DeviceKeyTakenError) throw new HttpError(409, 'device-key-taken', 'this phone\'s device key is registered already; reload the app and enroll again (a new key is made)');
    throw error;
  }
  if (!technician) {
    // lost a race with another use of the same code, or the technician was revoked meanwhile
    const current = await storage.getTechnician(record.technicianId);
    if (current?.revokedAt) throw new HttpError(403, 'technician-revoked', 'this technician has been revoked; ask the back office');
    throw new HttpError(410, 'code-used', 'this enrollment code has already been used; ask the back office for a new one');
  }
  return { token, technician: { id: technician.id, name: technician.name } };
}
