// The wire format, shared by the phone and the server: the actions a visit is made of, the events
// they become, and the sealed service form (维修服务单). One definition, both ends.
import { z } from 'zod/mini';
import { FIELDS, LocalizedTextSchema, OFFER_KINDS } from './checklist';
import { DevicePublicKeySchema, DeviceSignatureSchema } from './device-signature';

export const LIMITS = {
  shortText: 200,
  longText: 4000,
  parts: 100,
  events: 2000,
  signaturePoints: 20_000,
  signatureBytes: 512 * 1024,
} as const;

// A lone surrogate has no canonical JSON (RFC 8785), so a form holding one could never be sealed.
const LONE_SURROGATE = /\p{Cs}/u;
const wellFormed = () => z.refine<string>((s) => !LONE_SURROGATE.test(s), 'expected well-formed Unicode text, found a lone surrogate');
export const text = (max: number) => z.string().check(z.maxLength(max), wellFormed());
// Checked, never trimmed: parsing must give back exactly what was sealed, or the seal no longer verifies.
export const requiredText = (max: number) =>
  z.string().check(z.maxLength(max), z.refine((s: string) => s.trim() !== '', 'expected non-blank text'), wellFormed());
export const itemId = z.string().check(z.regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/), z.maxLength(64));
const isoTime = z.iso.datetime({ offset: true });
export const sha256Hex = z.string().check(z.regex(/^[0-9a-f]{64}$/));
export const finite = z.number().check(z.refine(Number.isFinite, 'expected a finite number'));

export const PartSchema = z.strictObject({
  name: requiredText(LIMITS.shortText),
  quantity: z.int().check(z.gte(1), z.lte(9999)),
});

export interface Point {
  x: number;
  y: number;
  pressure: number;
  time: number;
}
const POINT_KEYS: ReadonlySet<string> = new Set(['x', 'y', 'pressure', 'time']);

/**
 * A stroke's points as signature_pad records them: each exactly {x, y, pressure, time}, finite numbers.
 * Checked by hand rather than with a schema object per point — a signature holds thousands, and a
 * strictObject per point was most of a form's validation — with the issues zod itself would give
 * (invalid_type, unrecognized_keys), at the same paths.
 */
const PointsSchema = z.array(z.unknown()).check(z.maxLength(LIMITS.signaturePoints), (ctx) => {
  ctx.value.forEach((point, i) => {
    if (typeof point !== 'object' || point === null || Array.isArray(point)) {
      ctx.issues.push({ code: 'invalid_type', expected: 'object', input: point, path: [i] });
      return;
    }
    const unknown: string[] = [];
    for (const key in point) if (Object.hasOwn(point, key) && !POINT_KEYS.has(key)) unknown.push(key);
    // zod's raw-issue type leaves out unrecognized_keys for checks; the issue is the one strictObject gives
    if (unknown.length > 0) ctx.issues.push({ code: 'unrecognized_keys', keys: unknown, input: point, path: [i] } as unknown as (typeof ctx.issues)[number]);
    for (const key of POINT_KEYS) {
      const value = Object.hasOwn(point, key) ? (point as Record<string, unknown>)[key] : undefined;
      if (typeof value !== 'number') ctx.issues.push({ code: 'invalid_type', expected: 'number', input: value, path: [i, key] });
      else if (!Number.isFinite(value)) ctx.issues.push({ code: 'custom', message: 'expected a finite number', input: value, path: [i, key] });
    }
  });
}) as unknown as z.ZodMiniType<Point[]>;

export const PointGroupSchema = z.strictObject({
  penColor: text(64),
  dotSize: finite,
  minWidth: finite,
  maxWidth: finite,
  velocityFilterWeight: finite,
  compositeOperation: text(64),
  points: PointsSchema,
});
export type PointGroup = z.infer<typeof PointGroupSchema>;

/** What the form holds of the signature; the PNG bytes travel beside it. */
export const SignatureSchema = z.strictObject({
  mime: z.literal('image/png'),
  byteLength: z.int().check(z.gte(1), z.lte(LIMITS.signatureBytes)),
  sha256: sha256Hex,
  width: z.int().check(z.gte(1), z.lte(10_000)),
  height: z.int().check(z.gte(1), z.lte(10_000)),
  points: z.array(PointGroupSchema).check(
    z.minLength(1),
    z.maxLength(2000),
    z.refine((groups) => groups.reduce((n, g) => n + g.points.length, 0) <= LIMITS.signaturePoints, `expected at most ${LIMITS.signaturePoints} points in all`),
  ),
});
export type Signature = z.infer<typeof SignatureSchema>;

export const OUTCOMES = ['kept', 'not-kept'] as const;
export type ConductAnswer = (typeof OUTCOMES)[number];

/** The value each form field takes. */
export const FieldValueSchemas = {
  customerAccount: requiredText(LIMITS.longText),
  faultFound: requiredText(LIMITS.longText),
  workDone: requiredText(LIMITS.longText),
  partsUsed: z.array(PartSchema).check(z.maxLength(LIMITS.parts)),
  customerOpinion: requiredText(LIMITS.longText),
  satisfaction: z.int().check(z.gte(1), z.lte(5)),
  conduct: z.record(itemId, z.enum(OUTCOMES)),
  attestation: z.array(itemId).check(z.maxLength(20)),
  signerName: requiredText(LIMITS.shortText),
  signature: SignatureSchema,
} satisfies Record<(typeof FIELDS)[number], z.ZodMiniType>;

export type FieldValues = { [K in keyof typeof FieldValueSchemas]: z.infer<(typeof FieldValueSchemas)[K]> };

const setAction = <K extends keyof typeof FieldValueSchemas>(field: K) =>
  z.strictObject({ type: z.literal('set'), field: z.literal(field), value: FieldValueSchemas[field] });

// A value is there, whatever it is: its schema is the item's, which only the checklist knows (field-values.ts).
const anyValue = z.unknown().check(z.refine((v) => v !== undefined, 'expected a value'));

type LegacySet = { [K in keyof typeof FieldValueSchemas]: { type: 'set'; field: K; value: FieldValues[K] } }[keyof typeof FieldValueSchemas];
export type ItemSetAction = { type: 'set'; item: string; value: unknown };
export type ItemClearAction = { type: 'clear'; item: string };

const oneTarget = (ctx: { value: { item?: string; field?: string }; issues: unknown[] }) => {
  if ((ctx.value.item === undefined) === (ctx.value.field === undefined)) {
    ctx.issues.push({ code: 'custom', message: 'expected either "item" (a checklist item id) or "field" (a version-1 field name), not both or neither', input: ctx.value, path: ['item'] });
    return false;
  }
  return true;
};

/**
 * Setting a field: by item id (what this app writes; the value is checked against the item's value
 * type by the engine, since only the checklist knows it), or by a v1 field name (what apps before value
 * types wrote; its value is checked here, at the same paths as before).
 */
const SetActionSchema = z.strictObject({ type: z.literal('set'), item: z.optional(itemId), field: z.optional(z.enum(FIELDS)), value: anyValue }).check((ctx) => {
  if (!oneTarget(ctx) || ctx.value.field === undefined) return;
  const parsed = FieldValueSchemas[ctx.value.field].safeParse(ctx.value.value, { reportInput: true });
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.issues.push({ ...issue, path: ['value', ...issue.path] } as (typeof ctx.issues)[number]);
});

const ClearActionSchema = z.strictObject({ type: z.literal('clear'), item: z.optional(itemId), field: z.optional(z.enum(FIELDS)) })
  .check((ctx) => void oneTarget(ctx));

// discriminated by type, so a bad action is reported at the field that is wrong, not as "no shape matches"
const VisitActionUnion = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('tick'), item: itemId }),
  z.strictObject({ type: z.literal('untick'), item: itemId }),
  // the two test runs are steps too, but they carry a result: see 'test'
  z.strictObject({ type: z.literal('step'), step: z.enum(['start-visit', 'confirm-gloves', 'start-repair', 'seal']) }),
  z.strictObject({ type: z.literal('test'), by: z.enum(['technician', 'customer']), passed: z.boolean(), note: text(LIMITS.longText) }),
  SetActionSchema,
  ClearActionSchema,
  z.strictObject({ type: z.literal('offer-declined'), offer: z.enum(OFFER_KINDS), note: text(LIMITS.longText) }),
  z.strictObject({ type: z.literal('dispute'), description: requiredText(LIMITS.longText) }),
]);

type ExactlyOneTarget<A> = A extends { type: 'set' | 'clear' } ? never : A;
/** An action as the engine takes it: a set or a clear names exactly one of an item id or a v1 field name. */
export type VisitAction =
  | ExactlyOneTarget<z.infer<typeof VisitActionUnion>>
  | ItemSetAction | LegacySet | ItemClearAction | { type: 'clear'; field: (typeof FIELDS)[number] };
export const VisitActionSchema = VisitActionUnion as unknown as z.ZodMiniType<VisitAction>;

/** When an accepted action happened: device wall-clock time and time elapsed since the visit was opened (immune to clock changes). */
export const EventStampSchema = z.strictObject({
  seq: z.int().check(z.gte(0)),
  at: isoTime,
  elapsedMs: z.int().check(z.gte(0)),
});
export type EventStamp = z.infer<typeof EventStampSchema>;
export type VisitEvent = EventStamp & { action: VisitAction };
export const VisitEventSchema = z.strictObject({ ...EventStampSchema.shape, action: VisitActionSchema });

export const FestivalFactSchema = z.nullable(z.strictObject({ id: itemId, name: LocalizedTextSchema }));

/** The facts a visit is judged by, fixed when its draft is created. */
export const VisitFactsSchema = z.strictObject({
  date: z.iso.date(),
  firstVisit: z.boolean(),
  festival: FestivalFactSchema,
});
export type VisitFacts = z.infer<typeof VisitFactsSchema>;

export const CustomerSchema = z.strictObject({
  name: requiredText(LIMITS.shortText),
  phone: z.string().check(z.regex(/^[0-9+\-() ]{0,40}$/, 'expected a phone number (digits, spaces, + - ( ))')),
  address: text(LIMITS.shortText * 2),
});
export const EquipmentSchema = z.strictObject({
  type: requiredText(LIMITS.shortText),
  model: text(LIMITS.shortText),
  serial: text(LIMITS.shortText),
});
export const TechnicianRefSchema = z.strictObject({ id: requiredText(64), name: requiredText(LIMITS.shortText) });

export const ITEM_OUTCOMES = ['done', 'not-done', 'not-applicable'] as const;
export const INCIDENT_KINDS = ['declined-offer', 'dispute', 'conduct-breach'] as const;

const IncidentSchema = z.strictObject({
  kind: z.enum(INCIDENT_KINDS),
  rule: itemId,
  detail: text(LIMITS.longText),
  at: isoTime,
  flagged: z.boolean(),
});
export type Incident = z.infer<typeof IncidentSchema>;

const TestRunSchema = z.strictObject({
  by: z.enum(['technician', 'customer']),
  passed: z.boolean(),
  note: text(LIMITS.longText),
  round: z.int().check(z.gte(1)),
  at: isoTime,
});
export type TestRun = z.infer<typeof TestRunSchema>;

export const FORM_FORMAT = 'onsite.service-form' as const;

const bodyCommon = {
  format: z.literal(FORM_FORMAT),
  id: z.uuid(),
  visit: z.strictObject({ id: requiredText(64), ...VisitFactsSchema.shape }),
  customer: CustomerSchema,
  equipment: EquipmentSchema,
  technician: TechnicianRefSchema,
  checklist: z.strictObject({ id: itemId, version: z.int().check(z.positive()) }),
  items: z.array(z.strictObject({ id: itemId, outcome: z.enum(ITEM_OUTCOMES), at: z.nullable(isoTime) })).check(z.maxLength(200)),
  testRuns: z.array(TestRunSchema).check(z.maxLength(200)),
  incidents: z.array(IncidentSchema).check(z.maxLength(500)),
  flags: z.strictObject({ dispute: z.boolean(), conductBreach: z.boolean() }),
  events: z.array(VisitEventSchema).check(z.minLength(1), z.maxLength(LIMITS.events)),
  sealedAt: isoTime,
  sealedElapsedMs: z.int().check(z.gte(0)),
};

/** Format 1: the ten v1 fields by name, the signature's points in the form and again in the event that set it. */
export const FormBodyV1Schema = z.strictObject({
  ...bodyCommon,
  formatVersion: z.literal(1),
  customerAccount: FieldValueSchemas.customerAccount,
  faultFound: FieldValueSchemas.faultFound,
  workDone: FieldValueSchemas.workDone,
  partsUsed: FieldValueSchemas.partsUsed,
  customerOpinion: FieldValueSchemas.customerOpinion,
  satisfaction: FieldValueSchemas.satisfaction,
  conduct: FieldValueSchemas.conduct,
  attestation: FieldValueSchemas.attestation,
  signerName: FieldValueSchemas.signerName,
  signature: SignatureSchema,
});
export type FormBodyV1 = z.infer<typeof FormBodyV1Schema>;

/** What the form holds of the signature in format 2: its points are in the event that set it, once. */
export const SignatureRefSchema = z.strictObject({
  mime: SignatureSchema.shape.mime,
  byteLength: SignatureSchema.shape.byteLength,
  sha256: SignatureSchema.shape.sha256,
  width: SignatureSchema.shape.width,
  height: SignatureSchema.shape.height,
});
export type SignatureRef = z.infer<typeof SignatureRefSchema>;

/**
 * Format 2: the answers keyed by checklist item id (all but the signature's), each checked against its
 * item's value type (field-values.ts; formBodyCheck in service-form.ts), and the signature once.
 */
export const FormBodyV2Schema = z.strictObject({
  ...bodyCommon,
  formatVersion: z.literal(2),
  answers: z.record(itemId, anyValue).check(z.refine((a: Record<string, unknown>) => Object.keys(a).length <= 200, 'expected at most 200 answers')),
  signature: SignatureRefSchema,
});
export type FormBodyV2 = z.infer<typeof FormBodyV2Schema>;

export const FORMAT_VERSIONS = [1, 2] as const;
/** The format this app writes; the server reads every one of FORMAT_VERSIONS, forever. */
export const CURRENT_FORMAT_VERSION = 2 as const;

/** Everything the customer signs; the seal is computed over this and the signature bytes. */
export const FormBodySchema = z.discriminatedUnion('formatVersion', [FormBodyV1Schema, FormBodyV2Schema]);
export type FormBody = FormBodyV1 | FormBodyV2;

export const SealSchema = z.strictObject({ alg: z.literal('SHA-256'), hash: sha256Hex });
export const SealedFormV1Schema = z.strictObject({ ...FormBodyV1Schema.shape, seal: SealSchema });
export const SealedFormV2Schema = z.strictObject({ ...FormBodyV2Schema.shape, seal: SealSchema });
export const SealedFormSchema = z.discriminatedUnion('formatVersion', [SealedFormV1Schema, SealedFormV2Schema]);
export type SealedFormV1 = z.infer<typeof SealedFormV1Schema>;
export type SealedFormV2 = z.infer<typeof SealedFormV2Schema>;
export type SealedForm = SealedFormV1 | SealedFormV2;

const base64 = z.string().check(
  z.maxLength(Math.ceil((LIMITS.signatureBytes * 4) / 3) + 4),
  z.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64'),
);

/** One form as it travels: over the API and inside a device bundle. */
export const SubmittedFormSchema = z.strictObject({ form: SealedFormSchema, signaturePng: base64, device: z.optional(DeviceSignatureSchema) });
export type SubmittedForm = z.infer<typeof SubmittedFormSchema>;

export const BUNDLE_FORMAT = 'onsite.bundle' as const;
export const MAX_BATCH = 50;

/** A device bundle: sealed forms saved to a file for the back office to import when there is no network at all. */
export const BundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(1),
  exportedAt: isoTime,
  device: z.optional(z.string().check(z.maxLength(200))),
  /** the public keys of the device signatures in `forms` (src/domain/device-signature.ts) */
  devices: z.optional(z.array(DevicePublicKeySchema).check(z.maxLength(1000))),
  // each form is validated on its own, so one bad form never blocks the others
  forms: z.array(z.unknown()).check(z.maxLength(100_000)),
});
export type Bundle = Omit<z.infer<typeof BundleSchema>, 'forms'> & { forms: SubmittedForm[] };
