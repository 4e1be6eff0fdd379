// The "new visit" form: what the clerk typed → a visit the server takes, checked with the same
// DispatchedVisitSchema the server and the phone use, each problem keyed by its field's path.
import { z } from 'zod/mini';
import { DispatchedVisitSchema } from '../domain/api';
import { describeIssue, formatPath } from '../domain/validation-issues';
import type { NewVisit } from './api-client';
import type { Translate } from './i18n';

export interface VisitDraft {
  id: string;
  technicianId: string;
  scheduledDate: string;
  firstVisit: boolean;
  customerName: string;
  customerPhone: string;
  customerAddress: string;
  equipmentType: string;
  equipmentModel: string;
  equipmentSerial: string;
  notes: string;
}

export function emptyVisitDraft(scheduledDate: string): VisitDraft {
  return {
    id: '', technicianId: '', scheduledDate, firstVisit: false,
    customerName: '', customerPhone: '', customerAddress: '',
    equipmentType: '', equipmentModel: '', equipmentSerial: '', notes: '',
  };
}

/** The draft field each visit path is typed into, so an error (ours or the server's) shows beside it; in the form's order. */
export const VISIT_FIELD_PATHS = {
  technicianId: 'technicianId',
  id: 'id',
  scheduledDate: 'scheduledDate',
  firstVisit: 'firstVisit',
  customerName: 'customer.name',
  customerPhone: 'customer.phone',
  customerAddress: 'customer.address',
  equipmentType: 'equipment.type',
  equipmentModel: 'equipment.model',
  equipmentSerial: 'equipment.serial',
  notes: 'notes',
} as const satisfies Record<keyof VisitDraft, string>;

// The id is optional here (the server makes one when it is left empty) and a technician must be chosen.
const NewVisitSchema = z.extend(DispatchedVisitSchema, {
  id: z.optional(DispatchedVisitSchema.shape.id),
  technicianId: z.string().check(z.minLength(1, 'choose a technician')),
});

export type VisitCheck = { ok: true; visit: NewVisit } | { ok: false; errors: Record<string, string> };

export function checkVisitDraft(draft: VisitDraft, t: Translate): VisitCheck {
  // the shared schemas check text but never trim it (a sealed form must parse back unchanged); a typed visit is trimmed here
  const candidate = {
    ...(draft.id.trim() === '' ? {} : { id: draft.id.trim() }),
    technicianId: draft.technicianId,
    scheduledDate: draft.scheduledDate.trim(),
    firstVisit: draft.firstVisit,
    customer: { name: draft.customerName.trim(), phone: draft.customerPhone.trim(), address: draft.customerAddress.trim() },
    equipment: { type: draft.equipmentType.trim(), model: draft.equipmentModel.trim(), serial: draft.equipmentSerial.trim() },
    notes: draft.notes.trim(),
  };
  const parsed = NewVisitSchema.safeParse(candidate, { reportInput: true });
  if (parsed.success) return { ok: true, visit: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const path = formatPath(issue.path);
    errors[path] ??= issueText(issue, t);
  }
  return { ok: false, errors };
}

/** The clerk's language for the problems a typed visit can have; zod's own words for the rest. */
function issueText(issue: z.core.$ZodIssue, t: Translate): string {
  // a required text left blank fails a length or a non-blank check, depending on the schema
  if (typeof issue.input === 'string' && issue.input === '' && (issue.code === 'too_small' || issue.code === 'custom')) return t('validation.required');
  switch (issue.code) {
    case 'too_big':
      return t('validation.tooLong', { max: Number(issue.maximum) });
    case 'invalid_format':
      if (issue.format === 'date') return t('validation.date');
      if (issue.format === 'regex' && issue.path.join('.') === 'customer.phone') return t('validation.phone');
      return describeIssue(issue);
    default:
      return describeIssue(issue);
  }
}
