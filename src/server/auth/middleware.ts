// The phone's bearer-token guard (the back office's is back-office.ts). The technician comes from the
// token, never from the payload; a revoked technician's token stops working on the next request,
// because nothing is cached.
import type { Context, MiddlewareHandler } from 'hono';
import type { TechnicianRecord } from '../../domain/api';
import { HttpError } from '../http/errors';
import type { Storage } from '../storage/storage';
import { matchesHash, tokenIdOf } from './secrets';

export type AuthVariables = { technician: TechnicianRecord };

export function bearer(c: Context): string | null {
  const header = c.req.header('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1]! : null;
}

export async function technicianFor(storage: Storage, token: string): Promise<TechnicianRecord | null> {
  const tokenId = tokenIdOf(token);
  const credentials = tokenId ? await storage.getCredentials(tokenId) : null;
  if (!credentials || credentials.technician.revokedAt) return null;
  return matchesHash(token, credentials.tokenHash) ? credentials.technician : null;
}

const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer' });

export function requireTechnician(storage: Storage): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    const token = bearer(c);
    if (!token) throw unauthorized('this phone is not enrolled: enter an enrollment code from the back office');
    const technician = await technicianFor(storage, token);
    if (!technician) throw unauthorized('this phone\'s access is no longer valid (revoked or replaced): enroll again with a new code from the back office');
    c.set('technician', technician);
    await next();
  };
}
