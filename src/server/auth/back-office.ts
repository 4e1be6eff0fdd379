// Who is using the back office: a signed-in user (session cookie, checked against the database on
// every request, so a disabled user or a deleted session is refused at once, in every process), or
// the admin token while there is no admin yet. Every change also needs the session's CSRF token and,
// when the browser says where the request comes from, this server's own origin.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { CSRF_HEADER, type UserRecord } from '../../domain/accounts';
import { HttpError } from '../http/errors';
import type { SessionRecord } from '../storage/account-storage';
import type { Storage } from '../storage/storage';
import { bearer, technicianFor } from './middleware';
import { matchesHash, sha256 } from './secrets';

export const SESSION_COOKIE = 'onsite_session';

export interface SessionPolicy {
  /** a session unused this long ends */
  idleMs: number;
  /** a session ends this long after sign-in, however active */
  absoluteMs: number;
  /** failed sign-ins in a row that lock the account */
  maxFailures: number;
  lockMs: number;
  /** sign-in attempts per client address */
  signInRateLimit: { max: number; windowMs: number };
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMs: 2 * 60 * 60_000,
  absoluteMs: 12 * 60 * 60_000,
  maxFailures: 5,
  lockMs: 15 * 60_000,
  signInRateLimit: { max: 20, windowMs: 10 * 60_000 },
};

/** last use is written at most this often, so reading pages does not write on every request */
const TOUCH_EVERY_MS = 60_000;

export type Principal =
  | { kind: 'user'; user: UserRecord; session: SessionRecord }
  | { kind: 'admin-token' };

export type BackOfficeVariables = { principal: Principal };

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const unauthorized = (code: string, message: string) => new HttpError(401, code, message);

/** The signed-in session of this request, or why there is none. Expired sessions are deleted. */
export async function sessionOf(storage: Storage, c: Context, policy: SessionPolicy, now: Date): Promise<{ user: UserRecord; session: SessionRecord }> {
  const id = getCookie(c, SESSION_COOKIE);
  if (!id) throw unauthorized('unauthorized', 'sign in to the back office first');
  const idHash = sha256(id);
  const found = await storage.getSession(idHash);
  if (!found) throw unauthorized('session-ended', 'your session has ended (signed out, or replaced); sign in again');
  const t = now.getTime();
  if (Date.parse(found.session.expiresAt) <= t || Date.parse(found.session.lastUsedAt) + policy.idleMs <= t) {
    await storage.deleteSession(idHash, null);
    throw unauthorized('session-expired', 'your session has expired; sign in again');
  }
  if (found.user.disabledAt) throw unauthorized('user-disabled', 'this user has been disabled; ask an admin');
  if (t - Date.parse(found.session.lastUsedAt) >= TOUCH_EVERY_MS) await storage.touchSession(idHash, now.toISOString());
  return found;
}

/** Refuses a change whose Origin (or Sec-Fetch-Site) says it comes from another site. */
export function checkOrigin(c: Context): void {
  const origin = c.req.header('origin');
  const site = c.req.header('sec-fetch-site');
  const own = new URL(c.req.url).host;
  if (origin !== undefined) {
    let host: string | null = null;
    try {
      host = new URL(origin).host;
    } catch {
      host = null;
    }
    if (host !== own) throw new HttpError(403, 'origin-refused', `a change from another origin (${origin.slice(0, 100)}) is refused; use the back office at this server`);
  } else if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new HttpError(403, 'origin-refused', `a change from another site (Sec-Fetch-Site: ${site.slice(0, 40)}) is refused`);
  }
}

export function checkCsrf(c: Context, session: SessionRecord): void {
  const sent = c.req.header(CSRF_HEADER);
  if (!sent) throw new HttpError(403, 'csrf-missing', `a change needs the session's CSRF token in the ${CSRF_HEADER} header (GET /api/v1/session gives it)`);
  if (!matchesHash(sent, sha256(session.csrfToken))) throw new HttpError(403, 'csrf-invalid', `the ${CSRF_HEADER} header does not match this session; reload the back office`);
}

async function isAdminToken(storage: Storage, token: string): Promise<boolean> {
  const hash = await storage.getAdminTokenHash();
  return hash !== null && matchesHash(token, hash);
}

/** Guards /api/v1/admin/*: sets `principal`, then requireRole (route-roles.ts) decides. */
export function requireBackOffice(storage: Storage, policy: SessionPolicy, now: () => Date): MiddlewareHandler<{ Variables: BackOfficeVariables }> {
  return async (c, next) => {
    const token = bearer(c);
    if (token && !getCookie(c, SESSION_COOKIE)) {
      if (await isAdminToken(storage, token)) {
        c.set('principal', { kind: 'admin-token' });
        return next();
      }
      if (await technicianFor(storage, token)) throw new HttpError(403, 'forbidden', 'a technician\'s token cannot use the back office');
      throw unauthorized('unauthorized', 'this token is not valid for the back office; sign in with your name and password');
    }
    const found = await sessionOf(storage, c, policy, now());
    if (UNSAFE.has(c.req.method)) {
      checkOrigin(c);
      checkCsrf(c, found.session);
    }
    c.set('principal', { kind: 'user', ...found });
    return next();
  };
}
