// `npm run user:create -- --name NAME --role ROLE [--display-name TEXT]`: the arguments, checked, and
// the user made straight in the database (with its audit entry), as the first admin or a lost one's stand-in.
import { NewUserRequestSchema, ROLES, type UserRecord } from '../../domain/accounts';
import { toFieldErrors } from '../../domain/validation-issues';
import type { Storage } from '../storage/storage';
import { DEFAULT_SCRYPT, hashPassword, type ScryptParams } from './passwords';

export const USER_CREATE_USAGE = `usage: npm run user:create -- --name NAME --role ${ROLES.join('|')} [--display-name TEXT]
  the password is read from standard input (asked for when it is a terminal)`;

export interface UserCreateArgs {
  name: string;
  role: string;
  displayName: string;
}

/** The options, or a sentence saying what is wrong with them. */
export function parseUserCreateArgs(argv: readonly string[]): UserCreateArgs | { error: string } {
  const values: Record<string, string> = {};
  const args = argv.filter((a) => a !== '--');
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    if (!['--name', '--role', '--display-name'].includes(flag)) return { error: `unknown argument "${flag}"` };
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) return { error: `${flag} needs a value` };
    values[flag] = value;
    i++;
  }
  if (!values['--name']) return { error: '--name is required' };
  if (!values['--role']) return { error: '--role is required' };
  return { name: values['--name'], role: values['--role'], displayName: values['--display-name'] ?? values['--name'] };
}

export async function createUserFromCli(storage: Storage, args: UserCreateArgs, password: string, now: Date, scrypt: ScryptParams = DEFAULT_SCRYPT): Promise<UserRecord> {
  const parsed = NewUserRequestSchema.safeParse({ name: args.name, displayName: args.displayName, role: args.role, password });
  if (!parsed.success) throw new Error(toFieldErrors(parsed.error.issues).map((e) => `${e.path}: ${e.message}`).join('; '));
  const { name, displayName, role } = parsed.data;
  const user = await storage.createUser(
    { id: `U-${crypto.randomUUID().slice(0, 8)}`, name, displayName, role, passwordHash: await hashPassword(password, scrypt), createdAt: now.toISOString() },
    { at: now.toISOString(), userId: null, userName: '(command line)', address: 'cli', action: 'user.created', target: name, details: { role, displayName } },
  );
  if (!user) throw new Error(`a user named "${name}" already exists`);
  return user;
}
