// Enrollment: the phone exchanges the back office's one-time code for its token and technician.
import { API, EnrollRequestSchema, EnrollResponseSchema, type Technician } from '../domain/api';
import type { OnsiteDatabase, StoredDeviceKey } from '../device/db';
import { createDeviceKey } from '../device/device-key';
import { saveEnrollment } from '../device/settings';
import { apiUrl, callApi, defaultSetTimer, describeFailure, parseRetryAfter, type ApiAnswer, type FetchLike, type SetTimer } from './api-client';

/** Why enrollment failed, as a stable code the app words in the technician's language. */
export type EnrollFailure =
  | 'invalid-code' // empty or too long, or the server says 400
  | 'code-not-accepted' // 401: unknown, expired or already used
  | 'too-many-attempts' // 429
  | 'network'
  | 'server'
  | 'malformed-answer';

export class EnrollError extends Error {
  constructor(readonly reason: EnrollFailure, message: string, readonly retryAfterMs: number | null = null) {
    super(message);
    this.name = 'EnrollError';
  }
}

export interface EnrollOptions {
  db: OnsiteDatabase;
  fetch: FetchLike;
  baseUrl: string;
  code: string;
  deviceName?: string;
  now?: () => number;
  setTimer?: SetTimer;
  timeoutMs?: number;
  /** makes the device key registered with the enrollment (createDeviceKey by default; null: none) */
  createKey?: (technicianId: string, now?: () => number) => Promise<StoredDeviceKey | null>;
}

/** Posts the code; on success stores the token and technician and returns the technician. */
export async function enroll(options: EnrollOptions): Promise<Technician> {
  const code = EnrollRequestSchema.shape.code.safeParse(options.code);
  if (!code.success) throw new EnrollError('invalid-code', 'enter the enrollment code from the back office (1 to 64 characters)');
  // a new key pair for every enrollment: re-enrolling rotates the key (the technician is known only
  // from the answer, so the record is completed below)
  const deviceKey = await (options.createKey ?? createDeviceKey)('', options.now);
  const request = EnrollRequestSchema.safeParse({
    code: options.code,
    ...(options.deviceName ? { deviceName: options.deviceName } : {}),
    ...(deviceKey ? { devicePublicKey: deviceKey.publicKey } : {}),
  });
  if (!request.success) throw new EnrollError('invalid-code', 'enter the enrollment code from the back office (1 to 64 characters)');
  let answer: ApiAnswer;
  try {
    const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request.data) };
    answer = await callApi(options.fetch, apiUrl(options.baseUrl, API.enroll), init, options.timeoutMs ?? 30_000, options.setTimer ?? defaultSetTimer);
  } catch (error) {
    throw new EnrollError('network', describeFailure(error));
  }
  if (!answer.ok) {
    if (answer.status === 400) throw new EnrollError('invalid-code', `the server refused the code: ${answer.message}`);
    if (answer.status === 401) throw new EnrollError('code-not-accepted', `the code is unknown, expired or already used: ${answer.message}`);
    if (answer.status === 429) {
      const retryAfterMs = parseRetryAfter(answer.retryAfter, (options.now ?? Date.now)());
      throw new EnrollError('too-many-attempts', `too many attempts, try again later: ${answer.message}`, retryAfterMs);
    }
    if (answer.status === 409) throw new EnrollError('code-not-accepted', `the server refused this phone's device key: ${answer.message}`);
    throw new EnrollError('server', answer.message);
  }
  const parsed = EnrollResponseSchema.safeParse(answer.json);
  if (!parsed.success) throw new EnrollError('malformed-answer', 'the server\'s answer to enrollment does not have the expected shape');
  const { token, technician } = parsed.data;
  await saveEnrollment(options.db, token, technician, deviceKey ? { ...deviceKey, technicianId: technician.id } : undefined);
  return parsed.data.technician;
}
