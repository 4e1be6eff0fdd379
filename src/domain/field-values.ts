// The value each field item takes, as a zod schema built from the item's declared value type: one
// schema per item, built once and kept with the checklist object it came from.
import { z } from 'zod/mini';
import { fieldItems, fieldSpec, type Checklist, type FieldItem, type ValueSpec } from './checklist';
import { finite, itemId, LIMITS, OUTCOMES, requiredText, sha256Hex, SignatureSchema, type Signature } from './form-schema';

/** A part as the parts value type holds it: the catalog code when it was picked from the catalog. */
export const CatalogPartSchema = z.strictObject({
  code: z.optional(requiredText(64)),
  name: requiredText(LIMITS.shortText),
  quantity: z.int().check(z.gte(1), z.lte(9999)),
});
export type CatalogPart = z.infer<typeof CatalogPartSchema>;

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/** A photo as the form holds it: its bytes travel beside the form, named by their hash. */
export const PhotoRefSchema = z.strictObject({
  sha256: sha256Hex,
  byteLength: z.int().check(z.gte(1), z.lte(20 * 1024 * 1024)),
  mime: z.enum(PHOTO_TYPES),
  width: z.int().check(z.gte(1), z.lte(20_000)),
  height: z.int().check(z.gte(1), z.lte(20_000)),
});
export type PhotoRef = z.infer<typeof PhotoRefSchema>;

/** The TypeScript type of each value type's answer. */
export interface ValueOf {
  'short-text': string;
  'long-text': string;
  number: number;
  'single-choice': string;
  'multiple-choice': string[];
  rating: number;
  'yes-no': boolean;
  parts: CatalogPart[];
  photos: PhotoRef[];
  signature: Signature;
  conduct: Record<string, (typeof OUTCOMES)[number]>;
  attestation: string[];
}
export type AnswerValue = ValueOf[keyof ValueOf];

const uniqueIds = (ids: readonly string[]) => new Set(ids).size === ids.length;

function schemaFor(spec: ValueSpec): z.ZodMiniType {
  switch (spec.type) {
    case 'short-text':
      return requiredText(LIMITS.shortText);
    case 'long-text':
      return requiredText(LIMITS.longText);
    case 'number': {
      const checks = [
        ...(spec.integer ? [z.refine<number>(Number.isInteger, 'expected a whole number')] : []),
        ...(spec.min !== undefined ? [z.gte(spec.min)] : []),
        ...(spec.max !== undefined ? [z.lte(spec.max)] : []),
      ];
      return checks.length > 0 ? finite.check(...checks) : finite;
    }
    case 'single-choice':
      return z.enum(spec.options.map((o) => o.id) as [string, ...string[]]);
    case 'multiple-choice':
      return z.array(z.enum(spec.options.map((o) => o.id) as [string, ...string[]])).check(
        z.minLength(spec.min ?? 0),
        z.maxLength(spec.max ?? spec.options.length),
        z.refine(uniqueIds, 'expected each option at most once'),
      );
    case 'rating':
      return z.int().check(z.gte(1), z.lte(spec.max));
    case 'yes-no':
      return z.boolean();
    case 'parts':
      return z.array(CatalogPartSchema).check(z.maxLength(LIMITS.parts));
    case 'photos':
      return z.array(PhotoRefSchema).check(
        z.minLength(spec.min),
        z.maxLength(spec.max),
        z.refine((photos: readonly PhotoRef[]) => uniqueIds(photos.map((p) => p.sha256)), 'expected each photo at most once'),
      );
    case 'signature':
      return SignatureSchema;
    case 'conduct':
      // an unknown or a missing prohibition is the engine's to name (refusal.invalidValue, refusal.conductIncomplete)
      return z.record(itemId, z.enum(OUTCOMES));
    case 'attestation':
      return z.array(itemId).check(z.maxLength(20), z.refine(uniqueIds, 'expected each prohibition at most once'));
  }
}

const cache = new WeakMap<FieldItem, z.ZodMiniType>();

/** The schema of one field item's answer, from its declared value type. */
export function valueSchema(item: FieldItem): z.ZodMiniType {
  let schema = cache.get(item);
  if (!schema) {
    schema = schemaFor(fieldSpec(item).value);
    cache.set(item, schema);
  }
  return schema;
}


const answersCache = new WeakMap<Checklist, z.ZodMiniType<Record<string, unknown>>>();

/**
 * The answers of a format-2 form under its checklist version: each field item's answer (the signature
 * aside: the form holds it apart) against its value type, no other key. Whether a required one is
 * there is the engine's rule (the seal), not the schema's.
 */
export function formAnswersSchema(checklist: Checklist): z.ZodMiniType<Record<string, unknown>> {
  let schema = answersCache.get(checklist);
  if (!schema) {
    const shape: Record<string, z.ZodMiniType> = {};
    for (const item of fieldItems(checklist)) {
      if (fieldSpec(item).value.type !== 'signature') shape[item.id] = z.optional(valueSchema(item));
    }
    schema = z.strictObject(shape) as unknown as z.ZodMiniType<Record<string, unknown>>;
    answersCache.set(checklist, schema);
  }
  return schema;
}
