// The back office's session: sign in with a name and password, who am I (with the CSRF token), sign out.
import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { SignInRequestSchema, type SessionInfo } from '../../domain/accounts';
import { API } from '../../domain/api';
import { auditEntry } from '../auth/audit';
import { checkCsrf, checkOrigin, SESSION_COOKIE, sessionOf } from '../auth/back-office';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { hitRateLimit } from '../auth/rate-limit';
import { sha256 } from '../auth/secrets';
import { readJson } from '../http/body';
import { HttpError } from '../http/errors';
import { parseOr400, type RouteDeps } from './deps';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Secure everywhere but on this machine, where the server speaks plain HTTP. */
function cookieOptions(c: Context, maxAgeSeconds: number) {
  const secure = !LOCAL_HOSTS.has(new URL(c.req.url).hostname);
  return { httpOnly: true, sameSite: 'Strict' as const, secure, path: '/', maxAge: maxAgeSeconds };
}

const signInFailed = () => new HttpError(401, 'sign-in-failed', 'wrong name or password');

export function sessionRoutes(deps: RouteDeps) {
  const app = new Hono();
  const { storage } = deps;
  // a wrong name costs as much as a wrong password, so the answer's time does not tell which names exist
  let dummyHash: Promise<string> | null = null;

  app.post(API.session, async (c) => {
    checkOrigin(c);
    const now = deps.now();
    const limit = await hitRateLimit(storage, `sign-in:${deps.clientAddress(c)}`, deps.sessions.signInRateLimit, now);
    if (!limit.allowed) {
      throw new HttpError(429, 'rate-limited', `too many sign-in attempts from this address; try again in ${limit.retryAfterSeconds} s`, undefined,
        { 'Retry-After': String(limit.retryAfterSeconds) });
    }
    const body = parseOr400(SignInRequestSchema, await readJson(c.req.raw, 4096), 'the sign-in');
    const name = body.name.trim().toLowerCase();
    const credentials = await storage.getUserCredentials(name);
    const failed = (reason: string) => auditEntry(deps, c, 'session.sign-in-failed', name.slice(0, 64), { reason });
    if (!credentials) {
      await verifyPassword(body.password, await (dummyHash ??= hashPassword('not a password', deps.scrypt)));
      await storage.appendAudit(failed('unknown-name'));
      throw signInFailed();
    }
    const { user } = credentials;
    const locked = (until: string) => new HttpError(423, 'account-locked',
      `this account is locked after ${deps.sessions.maxFailures} failed sign-ins, until ${until}; an admin can unlock it`);
    if (user.lockedUntil && Date.parse(user.lockedUntil) > now.getTime()) {
      await storage.appendAudit(failed('locked'));
      throw locked(user.lockedUntil);
    }
    if (!(await verifyPassword(body.password, credentials.passwordHash))) {
      const lockedUntil = new Date(now.getTime() + deps.sessions.lockMs).toISOString();
      const after = await storage.recordSignInFailure(user.id, { maxFailures: deps.sessions.maxFailures, lockedUntil }, failed('wrong-password'));
      if (after.lockedUntil && Date.parse(after.lockedUntil) > now.getTime()) throw locked(after.lockedUntil);
      throw signInFailed();
    }
    if (user.disabledAt) {
      await storage.appendAudit(failed('disabled'));
      throw new HttpError(403, 'user-disabled', 'this user has been disabled; ask an admin');
    }
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + deps.sessions.absoluteMs).toISOString();
    const entry = { ...auditEntry(deps, c, 'session.signed-in', user.id), userId: user.id, userName: user.name };
    await storage.createSession({ idHash: sha256(id), userId: user.id, csrfToken, createdAt: now.toISOString(), expiresAt }, entry);
    setCookie(c, SESSION_COOKIE, id, cookieOptions(c, Math.floor(deps.sessions.absoluteMs / 1000)));
    return c.json({ user: { ...user, lockedUntil: null }, csrfToken, expiresAt } satisfies SessionInfo);
  });

  app.get(API.session, async (c) => {
    const { user, session } = await sessionOf(storage, c, deps.sessions, deps.now());
    return c.json({ user, csrfToken: session.csrfToken, expiresAt: session.expiresAt } satisfies SessionInfo);
  });

  app.delete(API.session, async (c) => {
    const { user, session } = await sessionOf(storage, c, deps.sessions, deps.now());
    checkOrigin(c);
    checkCsrf(c, session);
    const entry = { ...auditEntry(deps, c, 'session.signed-out', user.id), userId: user.id, userName: user.name };
    await storage.deleteSession(session.idHash, entry);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: cookieOptions(c, 0).secure });
    return c.body(null, 204);
  });

  return app;
}
