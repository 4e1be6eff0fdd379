// Back-office roles, what each may do, and the shapes of the account requests.
import { describe, expect, it } from 'vitest';
import {
  isRole, may, NewUserRequestSchema, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PERMISSIONS, ROLES, SignInRequestSchema, UserChangeSchema,
  type Permission, type Role,
} from '../../src/domain/accounts';

describe('roles and permissions', () => {
  const allowed: Record<Role, Permission[]> = {
    admin: [...PERMISSIONS],
    dispatcher: ['read', 'visits.manage'],
    'customer-service': ['read', 'forms.import', 'disputes.work', 'conflicts.settle', 'forms.export', 'parts.manage'],
    viewer: ['read'],
  };

  it.each(ROLES)('%s may do exactly its own department\'s work, and read', (role) => {
    expect(PERMISSIONS.filter((p) => may(role, p))).toEqual(PERMISSIONS.filter((p) => allowed[role].includes(p)));
  });

  it('only the admin manages users and checklists and reads the audit log', () => {
    for (const permission of ['users.manage', 'checklists.manage', 'technicians.manage', 'audit.read'] as const) {
      expect(ROLES.filter((r) => may(r, permission))).toEqual(['admin']);
    }
  });

  it('isRole: one of the four role names, nothing else', () => {
    for (const role of ROLES) expect(isRole(role)).toBe(true);
    for (const value of ['Admin', 'root', '', ' admin', null, undefined, 1, ['admin']]) expect(isRole(value)).toBe(false);
  });
});

describe('account requests', () => {
  const password = 'x'.repeat(PASSWORD_MIN_LENGTH);
  const user = { name: 'Wang.Li@depot-1', displayName: '  王丽 ', role: 'viewer', password };

  it('a new user: the name trimmed and lower-cased, the display name trimmed', () => {
    expect(NewUserRequestSchema.parse({ ...user, name: '  Wang.Li@depot-1 ' })).toEqual({ ...user, name: 'wang.li@depot-1', displayName: '王丽' });
  });

  it.each([
    ['name', { name: 'wang li' }, 'expected 1–64 letters, digits or . _ @ - (no spaces)'],
    ['name', { name: '' }, 'expected 1–64 letters, digits or . _ @ - (no spaces)'],
    ['name', { name: 'a'.repeat(65) }, 'expected 1–64 letters, digits or . _ @ - (no spaces)'],
    ['name', { name: '王丽' }, 'expected 1–64 letters, digits or . _ @ - (no spaces)'],
    ['displayName', { displayName: '   ' }, undefined],
    ['displayName', { displayName: 'x'.repeat(101) }, undefined],
    ['displayName', { displayName: 'a\u0000b' }, 'contains a NUL character (U+0000)'],
    ['role', { role: 'root' }, undefined],
    ['password', { password: 'x'.repeat(PASSWORD_MIN_LENGTH - 1) }, `expected at least ${PASSWORD_MIN_LENGTH} characters`],
    ['password', { password: 'x'.repeat(PASSWORD_MAX_LENGTH + 1) }, `expected at most ${PASSWORD_MAX_LENGTH} characters`],
  ])('a new user is refused at %s: %j', (path, over, message) => {
    const result = NewUserRequestSchema.safeParse({ ...user, ...over });
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.path).toEqual([path]);
    if (message) expect(issue.message).toBe(message);
  });

  it('the bounds themselves are allowed', () => {
    expect(NewUserRequestSchema.safeParse({ ...user, name: 'a'.repeat(64), displayName: 'x'.repeat(100), password: 'x'.repeat(PASSWORD_MAX_LENGTH) }).success).toBe(true);
    expect(NewUserRequestSchema.safeParse({ ...user, name: 'a', displayName: 'x' }).success).toBe(true);
  });

  it('a sign-in takes any name and password up to their bounds, and nothing else', () => {
    expect(SignInRequestSchema.safeParse({ name: 'Any Name', password: 'short' }).success).toBe(true);
    expect(SignInRequestSchema.safeParse({ name: 'x'.repeat(201), password: 'p' }).success).toBe(false);
    expect(SignInRequestSchema.safeParse({ name: 'x'.repeat(200), password: 'p'.repeat(PASSWORD_MAX_LENGTH + 1) }).success).toBe(false);
    expect(SignInRequestSchema.safeParse({ name: 'x', password: 'p', remember: true }).success).toBe(false);
  });

  it('a change: any of role, disabled, a new password, unlock; each checked', () => {
    expect(UserChangeSchema.safeParse({}).success).toBe(true);
    expect(UserChangeSchema.parse({ role: 'dispatcher', disabled: true, password, unlock: true })).toEqual({ role: 'dispatcher', disabled: true, password, unlock: true });
    expect(UserChangeSchema.safeParse({ unlock: false }).success).toBe(false);
    expect(UserChangeSchema.safeParse({ password: 'short' }).success).toBe(false);
    expect(UserChangeSchema.safeParse({ role: 'root' }).success).toBe(false);
    expect(UserChangeSchema.safeParse({ disabled: 'yes' }).success).toBe(false);
    expect(UserChangeSchema.safeParse({ name: 'x' }).success).toBe(false);
  });
});
