// The admin token: made on first start (shown once, stored only as its hash) and replaced by
// `npm run admin:token`, which makes the old one stop working at once. It only creates the first
// admin user (POST /api/v1/admin/users while there is none); people then sign in with passwords.
import type { Storage } from '../storage/storage';
import { newAdminToken, sha256 } from './secrets';

/** Makes the admin token if there is none yet; answers it then (to print once), or null. */
export async function ensureAdminToken(storage: Storage, now: Date): Promise<string | null> {
  if ((await storage.getAdminTokenHash()) !== null) return null;
  return rotateAdminToken(storage, now);
}

export async function rotateAdminToken(storage: Storage, now: Date): Promise<string> {
  const token = newAdminToken();
  await storage.setAdminTokenHash(sha256(token), now.toISOString());
  return token;
}
