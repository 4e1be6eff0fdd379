// The one way a form gets into the database, for the API and the import alike: validate with the
// shared schema, check the technician, the checklist and the seal, replay the event log, then land the
// good forms once under their ids, one commit per batch. Every refusal names the field path and says what is wrong.
import type { SubmitResult } from '../domain/api';
import { LIMITS, SubmittedFormSchema, type SealedForm, type SubmittedForm } from '../domain/form-schema';
import { verifySeal } from '../domain/seal';
import { judgeDeviceSignature, type DeviceKeyLookup, type DeviceSignature } from '../domain/device-signature';
import { checkFormConsistency } from '../domain/service-form';
import type { Checklist } from '../domain/checklist';
import { roleAnswer } from '../domain/form-view';
import { formAnswersSchema } from '../domain/field-values';
import { formFacts } from '../domain/form-facts';
import type { RejectionReason } from '../domain/rejection';
import { toFieldErrors, type FieldError } from '../domain/validation-issues';
import festivalsJson from '../../checklists/festivals.json';
import { festivalOn, parseFestivalsFile } from '../domain/festivals';
import type { ChecklistRegistry } from '../domain/checklist-registry';
import type { DeviceKeyRecord, NewFormRecord, Storage } from './storage/storage';

export interface IngestDeps {
  storage: Storage;
  checklists: ChecklistRegistry;
  now: () => Date;
}

/** Who hands the form in: a phone (the technician comes from its token) or the back office's import. */
export type Submitter =
  | { kind: 'technician'; technicianId: string; /** the phone's clock when it sent the request */ deviceTime: Date | null }
  | { kind: 'import' };

/** A device clock further off than this is flagged in the back office. */
export const CLOCK_DRIFT_FLAG_MS = 5 * 60_000;
const MAX_ERRORS_PER_FORM = 50;

const festivals = parseFestivalsFile(festivalsJson, 'festivals.json');

/**
 * The festival decides whether the gift was required, so it is not the phone's to say: on a date the
 * listed calendar covers, the form's festival must be the listed one. (Computed years are left to the
 * phone: two ICU versions may place a new moon on different sides of midnight.)
 */
function checkFestival(form: SealedForm): FieldError | null {
  if (!(form.visit.date.slice(0, 4) in festivals.periods)) return null;
  const day = festivalOn(festivals, form.visit.date);
  const expected = day?.festival.id ?? null;
  const claimed = form.visit.festival?.id ?? null;
  if (expected === claimed) return null;
  return {
    path: 'form.visit.festival',
    message: `the visit date ${form.visit.date} ${expected ? `falls in the festival "${expected}"` : 'is in no festival'}, but the form says ${claimed ? `"${claimed}"` : 'none'}`,
    reason: { code: 'festival-mismatch', params: { date: form.visit.date, expected: expected ?? '', claimed: claimed ?? '' } },
  };
}

/** A submission checked and ready to land, or its rejection. */
export type CheckedSubmission = { index: number; record: NewFormRecord } | { index: number; rejected: SubmitResult };

/** Checks and lands a batch: every form is checked first, then all good ones land in one commit. */
export async function ingestBatch(deps: IngestDeps, inputs: readonly unknown[], submitter: Submitter): Promise<SubmitResult[]> {
  const received = deps.now();
  const checked: CheckedSubmission[] = [];
  const keys = deviceKeyLookup(deps.storage);
  for (const [index, input] of inputs.entries()) checked.push(await checkSubmission(deps, input, index, submitter, received, keys));
  return land(deps, checked);
}

/** Lands the good submissions in one transaction; answers every submission's result in the given order. */
export async function land(deps: IngestDeps, checked: readonly CheckedSubmission[]): Promise<SubmitResult[]> {
  const good = checked.filter((c): c is { index: number; record: NewFormRecord } => 'record' in c);
  const outcomes = await deps.storage.storeForms(good.map((c) => c.record));
  const byIndex = new Map(good.map((c, i) => [c.index, outcomes[i]!]));
  return checked.map((c) => {
    if ('rejected' in c) return c.rejected;
    const outcome = byIndex.get(c.index)!;
    return { index: c.index, id: c.record.id, status: outcome.status, receivedAt: outcome.receivedAt };
  });
}

/** Everything short of landing: schema, technician, checklist, seal and event log. */
export async function checkSubmission(
  deps: IngestDeps, input: unknown, index: number, submitter: Submitter, received: Date, keys: DeviceKeyLookup = deviceKeyLookup(deps.storage),
): Promise<CheckedSubmission> {
  const reject = (errors: FieldError[]): CheckedSubmission => ({ index, rejected: { index, id: readableId(input), status: 'rejected', errors: capped(errors) } });

  const parsed = SubmittedFormSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return reject(describeIssues(parsed.error.issues));
  // the checks below read the form as received, not the schema's copy of it: the seal covers exactly
  // what the customer signed
  const { form, signaturePng, device } = input as SubmittedForm;

  const technicianError = await checkTechnician(deps, form, submitter);
  if (technicianError) return reject([technicianError]);

  const checklist = deps.checklists.get(form.checklist.id, form.checklist.version);
  if (!checklist) {
    return reject([{
      path: 'form.checklist',
      message: `unknown checklist ${form.checklist.id} v${form.checklist.version}; this server knows ${deps.checklists.describe()}`,
      reason: { code: 'unknown-checklist', params: { checklist: `${form.checklist.id} v${form.checklist.version}`, known: deps.checklists.describe() } },
    }]);
  }

  const festivalError = checkFestival(form);
  if (festivalError) return reject([festivalError]);

  const signature = Buffer.from(signaturePng, 'base64');
  try {
    if (form.formatVersion === 2) {
      // each answer against its item's value type under the form's own version, before the seal: a wrong one is named as such
      const answers = formAnswersSchema(checklist).safeParse(form.answers, { reportInput: true });
      if (!answers.success) return reject(toFieldErrors(answers.error.issues, ['form', 'answers']).map((e) => ({ ...e, reason: { code: 'invalid-field', params: {} } })));
    }
    const seal = await verifySeal(form, signature);
    if (!seal.ok && seal.reason === 'signature-bytes') {
      return reject([{ path: 'signaturePng', message: 'the signature image is not the one the form describes (form.signature.sha256 and byteLength)', reason: { code: 'signature-mismatch', params: {} } }]);
    }
    if (!seal.ok) {
      return reject([{ path: 'form.seal.hash', message: 'the seal does not match the form: it was changed after the customer signed', reason: { code: 'seal-mismatch', params: {} } }]);
    }
    // the shape was checked just above with SubmittedFormSchema: replay checks the rules only
    const consistency = checkFormConsistency(form, checklist, { shapeChecked: true });
    if (!consistency.ok) return reject([{ path: `form.${consistency.path}`, message: consistency.message, reason: consistency.reason }]);
  } catch (error) {
    // canonical JSON refuses text JSON cannot hold faithfully (a lone UTF-16 surrogate); nothing else should get here
    return reject([{ path: 'form', message: `the form cannot be checked: ${error instanceof Error ? error.message : String(error)}`, reason: { code: 'uncheckable', params: {} } }]);
  }

  // the seal holds: now whose phone sealed it (outside the catch above: a database failure here is the
  // server's, answered 5xx and retried, never a rejection of the form)
  const verdict = await judgeDeviceSignature(device, form.seal.hash, form.technician.id, keys);
  if (verdict.status === 'refused') {
    return reject([{ path: 'device', message: verdict.message, reason: { code: verdict.code, params: verdict.params } }]);
  }

  return {
    index,
    record: formRecord(form, checklist, signature, {
      receivedAt: received.toISOString(),
      source: submitter.kind === 'import' ? 'import' : 'api',
      clockDriftMs: clockDrift(submitter, form.sealedAt, received),
      deviceJson: deviceJson(device),
    }),
  };
}

/** The row a checked form lands as: its summary columns, its JSON as received, and the signature bytes. */
export function formRecord(
  form: SealedForm, checklist: Checklist, signature: Buffer,
  { deviceJson = null, ...landing }: Pick<NewFormRecord, 'receivedAt' | 'source' | 'clockDriftMs'> & { deviceJson?: string | null },
): NewFormRecord {
  return {
    deviceJson,
    id: form.id,
    hash: form.seal.hash,
    technicianId: form.technician.id,
    visitId: form.visit.id,
    visitDate: form.visit.date,
    sealedAt: form.sealedAt,
    ...landing,
    // a version whose satisfaction item is optional may leave it unanswered: 0, which no chart counts as a rating
    satisfaction: roleAnswer<number>(form, checklist, 'satisfaction') ?? 0,
    dispute: form.flags.dispute,
    conductBreach: form.flags.conductBreach,
    customerName: form.customer.name,
    equipmentType: form.equipment.type,
    formJson: JSON.stringify(form),
    signature,
    facts: formFacts(form),
  };
}

/** The device envelope as it is stored: its JSON, or null for a form unsigned by device. */
function deviceJson(device: DeviceSignature | undefined): string | null {
  return device === undefined ? null : JSON.stringify(device);
}

/** The registered keys, as the device-signature rule reads them: each technician's read once (one batch shares one lookup). */
export function deviceKeyLookup(storage: Storage): DeviceKeyLookup {
  const byTechnician = new Map<string, Promise<DeviceKeyRecord[]>>();
  const byId = new Map<string, Promise<DeviceKeyRecord | null>>();
  const keysOf = (technicianId: string) => {
    let keys = byTechnician.get(technicianId);
    if (!keys) byTechnician.set(technicianId, (keys = storage.listDeviceKeys(technicianId)));
    return keys;
  };
  return {
    key: (keyId) => {
      let key = byId.get(keyId);
      if (!key) byId.set(keyId, (key = storage.getDeviceKey(keyId)));
      return key;
    },
    hasCurrentKey: async (technicianId) => (await keysOf(technicianId)).some((k) => k.supersededAt === null),
  };
}

async function checkTechnician(deps: IngestDeps, form: SealedForm, submitter: Submitter): Promise<FieldError | null> {
  const claimed = form.technician.id;
  if (submitter.kind === 'technician') {
    return claimed === submitter.technicianId
      ? null
      : {
          path: 'form.technician.id',
          message: `this form is technician "${claimed}"'s, but it was sent with technician "${submitter.technicianId}"'s token`,
          reason: { code: 'technician-mismatch', params: { claimed, sender: submitter.technicianId } },
        };
  }
  return (await deps.storage.getTechnician(claimed))
    ? null
    : { path: 'form.technician.id', message: `no technician "${claimed}" on this server; create the technician first`, reason: { code: 'unknown-technician', params: { claimed } } };
}

/**
 * Device clock minus server clock. From a phone, its X-Device-Time at sending; otherwise only a seal
 * dated in the future proves the clock wrong (a form sealed long ago is just a form sent late).
 */
function clockDrift(submitter: Submitter, sealedAt: string, received: Date): number | null {
  if (submitter.kind === 'technician' && submitter.deviceTime) return submitter.deviceTime.getTime() - received.getTime();
  const ahead = Date.parse(sealedAt) - received.getTime();
  return ahead > CLOCK_DRIFT_FLAG_MS ? ahead : null;
}

type Issue = Parameters<typeof toFieldErrors>[0][number];

/** The schema's errors, with the signature's size limit said in words a technician can act on. */
function describeIssues(issues: readonly Issue[]): FieldError[] {
  const tooLarge = `the signature image is too large: at most ${LIMITS.signatureBytes / 1024} KiB`;
  const invalid = { code: 'invalid-field', params: {} } satisfies RejectionReason;
  return issues.flatMap((issue) => toFieldErrors([issue]).map((error) =>
    issue.code === 'too_big' && (error.path === 'signaturePng' || error.path === 'form.signature.byteLength')
      ? { ...error, message: tooLarge, reason: { code: 'signature-too-large', params: { maxKiB: LIMITS.signatureBytes / 1024 } } }
      : { ...error, reason: invalid }));
}

function capped(errors: FieldError[]): FieldError[] {
  if (errors.length <= MAX_ERRORS_PER_FORM) return errors;
  const more = errors.length - MAX_ERRORS_PER_FORM;
  return [...errors.slice(0, MAX_ERRORS_PER_FORM), { path: '(form)', message: `and ${more} more errors`, reason: { code: 'more-errors', params: { count: more } } }];
}

/** The form id, when the submission has one that can be shown back. */
function readableId(input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return null;
  const form = (input as { form?: unknown }).form;
  if (typeof form !== 'object' || form === null) return null;
  const id = (form as { id?: unknown }).id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : null;
}
