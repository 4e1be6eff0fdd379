// The audit entry for a change made through the back office: who (the signed-in user, or the admin
// token), when (server time), from which address, what and to which target.
import type { Context } from 'hono';
import type { AuditAction } from '../../domain/accounts';
import type { NewAuditEntry } from '../storage/account-storage';
import type { BackOfficeVariables, Principal } from './back-office';

export interface AuditDeps {
  now: () => Date;
  clientAddress: (c: Context) => string;
}

/** the actor of a change: the signed-in user, or the admin token (used only to make the first admin) */
export function actorOf(c: Context): { userId: string | null; userName: string } {
  const principal = (c as unknown as Context<{ Variables: BackOfficeVariables }>).get('principal') as Principal | undefined;
  if (principal?.kind === 'user') return { userId: principal.user.id, userName: principal.user.name };
  return { userId: null, userName: principal?.kind === 'admin-token' ? '(admin token)' : '(nobody)' };
}

export function auditEntry(deps: AuditDeps, c: Context, action: AuditAction, target: string, details: Record<string, unknown> = {}): NewAuditEntry {
  return { at: deps.now().toISOString(), ...actorOf(c), address: deps.clientAddress(c), action, target, details };
}
