// Dispatched visits: created one at a time by the back office or imported from a spreadsheet (see
// visit-import.ts), both through the same checks (the shared DispatchedVisitSchema, a known and
// active technician, a free id).
import { randomUUID } from 'node:crypto';
import { DispatchedVisitSchema, type DispatchedVisit } from '../../domain/api';
import { toFieldErrors, type FieldError } from '../../domain/validation-issues';
import type { Storage } from '../storage/storage';

export function newVisitId(): string {
  return `V-${randomUUID().slice(0, 8).toUpperCase()}`;
}

/** Validates a visit; the errors' paths are the schema's (customer.name, …). */
export async function checkVisit(storage: Storage, candidate: unknown): Promise<{ visit: DispatchedVisit } | { errors: FieldError[] }> {
  const parsed = DispatchedVisitSchema.safeParse(candidate, { reportInput: true });
  if (!parsed.success) return { errors: toFieldErrors(parsed.error.issues) };
  const visit = parsed.data;
  const nul = findNul(visit);
  if (nul) return { errors: [{ path: nul, message: 'contains a NUL character (U+0000)' }] };
  const technician = await storage.getTechnician(visit.technicianId);
  if (!technician) return { errors: [{ path: 'technicianId', message: `no technician "${visit.technicianId}"` }] };
  if (technician.revokedAt) return { errors: [{ path: 'technicianId', message: `technician "${visit.technicianId}" has been revoked` }] };
  return { visit };
}

function findNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = findNul(inner, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}

