// "New visit" on the phone: validated with the shared schema, stored with an id no back-office id takes.
import { DispatchedVisitSchema, type DispatchedVisit } from '../domain/api';
import { toFieldErrors, type FieldError } from '../domain/validation-issues';
import type { OnsiteDatabase, StoredVisit } from './db';

export class VisitInputError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(`the visit is not valid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    this.name = 'VisitInputError';
  }
}

/** What "new visit" asks for; the id, technician and creation time are the phone's. */
export type NewVisit = Omit<DispatchedVisit, 'id' | 'technicianId' | 'notes'> & { notes?: string };

export interface CreateVisitOptions {
  technicianId: string;
  now?: () => number;
  /** the random part of the id; crypto-random by default */
  randomPart?: () => string;
}

/** A visit created on the phone, with an id `D-<YYYYMMDD>-<random>` no back-office id takes. */
export async function createDeviceVisit(db: OnsiteDatabase, input: NewVisit, options: CreateVisitOptions): Promise<StoredVisit> {
  const randomPart = options.randomPart ?? randomBase36;
  const createdAt = new Date((options.now ?? Date.now)()).toISOString();
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = { ...input, notes: input.notes ?? '', id: `D-${String(input.scheduledDate).replaceAll('-', '')}-${randomPart()}`, technicianId: options.technicianId };
    const parsed = DispatchedVisitSchema.safeParse(candidate);
    if (!parsed.success) throw new VisitInputError(toFieldErrors(parsed.error.issues));
    const visit: StoredVisit = { ...parsed.data, source: 'device', createdAt };
    const tx = db.transaction('visits', 'readwrite');
    if ((await tx.store.count(visit.id)) === 0) {
      await Promise.all([tx.store.add(visit), tx.done]);
      return visit;
    }
    await tx.done;
  }
  throw new Error('could not find a free visit id after 5 tries');
}

function randomBase36(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => (b % 36).toString(36)).join('');
}
