// Who a phone is enrolled as; kept apart from the API module (where TechnicianSchema is) and free of zod,
// so the first screen loads neither the form schemas nor zod.

export interface Technician {
  id: string;
  name: string;
}

/**
 * The same check as TechnicianSchema (src/domain/api.ts), by hand: the phone's settings read it on the
 * first screen, and zod would then be in the first-load bundle for this one check. A test holds the two
 * to each other.
 */
export function isTechnician(value: unknown): value is Technician {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const { id, name } = value as Record<string, unknown>;
  return keys.length === 2 && keys.includes('id') && keys.includes('name') && typeof id === 'string' && typeof name === 'string';
}
