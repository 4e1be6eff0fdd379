// Back office: users (admins only). The admin token may create the first admin and nothing else.
import { Hono, type Context } from 'hono';
import { NewUserRequestSchema, UserChangeSchema, type UserRecord } from '../../domain/accounts';
import { API } from '../../domain/api';
import { actorOf, auditEntry } from '../auth/audit';
import { hashPassword } from '../auth/passwords';
import { readJson } from '../http/body';
import { badRequest, HttpError, notFound } from '../http/errors';
import type { NewAuditEntry, UserUpdate } from '../storage/account-storage';
import { parseOr400, type RouteDeps } from './deps';

const USER_ID = /^U-[0-9a-f]{8}$/;

export function usersRoutes(deps: RouteDeps) {
  const app = new Hono();
  const { storage } = deps;

  app.get(API.admin.users, async (c) => c.json({ users: await storage.listUsers() }));

  app.post(API.admin.users, async (c) => {
    const body = parseOr400(NewUserRequestSchema, await readJson(c.req.raw, 4096), 'the user');
    if (actorOf(c).userId === null) {
      if ((await storage.countActiveAdmins()) > 0) {
        throw new HttpError(403, 'first-admin-exists', 'there is an admin already: the admin token no longer creates users; sign in as an admin');
      }
      if (body.role !== 'admin') throw new HttpError(403, 'first-user-is-admin', 'the admin token creates only the first admin (role "admin")');
    }
    const user = await storage.createUser(
      { id: `U-${crypto.randomUUID().slice(0, 8)}`, name: body.name, displayName: body.displayName, role: body.role,
        passwordHash: await hashPassword(body.password, deps.scrypt), createdAt: deps.now().toISOString() },
      auditEntry(deps, c, 'user.created', body.name, { role: body.role, displayName: body.displayName }),
    );
    if (!user) throw new HttpError(409, 'conflict', `a user named "${body.name}" already exists`);
    return c.json({ user }, 201);
  });

  app.patch(`${API.admin.users}/:id`, async (c) => {
    const id = c.req.param('id');
    const current = USER_ID.test(id) ? await storage.getUser(id) : null;
    if (!current) throw notFound(`no user "${id.slice(0, 64)}"`);
    const change = parseOr400(UserChangeSchema, await readJson(c.req.raw, 4096), 'the change');
    if (Object.keys(change).length === 0) throw badRequest('the change is empty: send role, disabled, password or unlock');
    await keepOneAdmin(deps, c, current, change.role, change.disabled);
    const update: UserUpdate = {};
    const entries: NewAuditEntry[] = [];
    const log = (action: Parameters<typeof auditEntry>[2], details: Record<string, unknown> = {}) =>
      entries.push(auditEntry(deps, c, action, current.name, details));
    if (change.role !== undefined && change.role !== current.role) {
      update.role = change.role;
      log('user.role-changed', { from: current.role, to: change.role });
    }
    if (change.disabled === true && !current.disabledAt) {
      update.disabledAt = deps.now().toISOString();
      log('user.disabled');
    }
    if (change.disabled === false && current.disabledAt) {
      update.disabledAt = null;
      log('user.enabled');
    }
    if (change.password !== undefined) {
      update.passwordHash = await hashPassword(change.password, deps.scrypt);
      update.unlock = true;
      log('user.password-reset');
    }
    if (change.unlock && change.password === undefined) {
      update.unlock = true;
      log('user.unlocked');
    }
    const user = await storage.updateUser(id, update, entries);
    if (!user) throw notFound(`no user "${id}"`);
    return c.json({ user });
  });

  return app;
}

/** No change may leave the back office without an admin who can sign in. */
async function keepOneAdmin(deps: RouteDeps, c: Context, target: UserRecord, role: string | undefined, disabled: boolean | undefined): Promise<void> {
  const losesAdmin = target.role === 'admin' && !target.disabledAt && ((role !== undefined && role !== 'admin') || disabled === true);
  if (!losesAdmin) return;
  if ((await deps.storage.countActiveAdmins()) <= 1) {
    throw new HttpError(409, 'last-admin', 'this is the last admin: make another admin first');
  }
  if (actorOf(c).userId === target.id) throw new HttpError(409, 'own-admin', 'you cannot take away your own admin role or disable yourself; ask another admin');
}
