import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { LIMITS, PointGroupSchema, SealedFormSchema, SignatureSchema, SubmittedFormSchema, VisitActionSchema, type SealedFormV2 } from '../../src/domain/form-schema';
import { sealedForm, signatureBytes, signatureFor, submittedForm } from '../fixtures/visits';
import { toFieldErrors } from '../../src/domain/validation-issues';

const group = (points: unknown) => ({
  penColor: 'black', dotSize: 0, minWidth: 0.5, maxWidth: 2.5, velocityFilterWeight: 0.7, compositeOperation: 'source-over', points,
});
const errorsOf = (value: unknown) => {
  const result = PointGroupSchema.safeParse(value, { reportInput: true });
  return result.success ? [] : toFieldErrors(result.error.issues);
};
/** What a schema object per point (the former definition) answers, for comparison. */
const StrictPoint = z.strictObject({ x: z.number(), y: z.number(), pressure: z.number(), time: z.number() });

describe('signature points (checked by hand, with the issues zod gives)', () => {
  it('accepts points of exactly x, y, pressure and time, and gives them back unchanged', () => {
    const points = [{ x: 1, y: 2, pressure: 0.5, time: 1700000000000 }, { time: 2, pressure: 0, y: -3.25, x: 0 }];
    const result = PointGroupSchema.safeParse(group(points));
    expect(result.success).toBe(true);
    expect(result.data?.points).toEqual(points);
    expect(Object.keys(result.data!.points[1]!)).toEqual(['time', 'pressure', 'y', 'x']);
  });

  it('names each wrong point at its own path, as a schema object per point would', () => {
    const points = [{ x: '10', y: 2, pressure: 0.5, time: 1 }, { x: 1, y: 2, pressure: 0.5, time: 1, z: 0 }, { x: 1, y: 2, pressure: 0.5 }];
    expect(errorsOf(group(points))).toEqual([
      { path: 'points[0].x', message: 'expected number, got "10"' },
      { path: 'points[1].z', message: 'unknown field "z"' },
      { path: 'points[2].time', message: 'expected number, got nothing' },
    ]);
    const strict = z.array(StrictPoint).safeParse(points, { reportInput: true });
    expect(errorsOf(group(points)).map((e) => e.path).sort()).toEqual(toFieldErrors(strict.error!.issues, ['points']).map((e) => e.path).sort());
  });

  it('refuses what is not a point object, non-finite numbers and a "__proto__" key', () => {
    const proto = JSON.parse('{"x":1,"y":2,"pressure":0,"time":1,"__proto__":{"x":"y"}}') as unknown;
    expect(errorsOf(group([null, [1, 2], 'p', { x: 1, y: Infinity, pressure: NaN, time: 1 }, proto]))).toEqual([
      { path: 'points[0]', message: 'expected object, got null' },
      { path: 'points[1]', message: 'expected object, got an array' },
      { path: 'points[2]', message: 'expected object, got "p"' },
      { path: 'points[3].y', message: 'expected a finite number' },
      { path: 'points[3].pressure', message: 'expected a finite number' },
      { path: 'points[4].__proto__', message: 'unknown field "__proto__"' },
    ]);
  });

  it('refuses a stroke that is not a list, and one with more points than the limit', () => {
    expect(errorsOf(group('all of them'))).toEqual([{ path: 'points', message: 'expected array, got "all of them"' }]);
    const many = Array.from({ length: LIMITS.signaturePoints + 1 }, (_, i) => ({ x: i, y: i, pressure: 0.5, time: i }));
    expect(errorsOf(group(many))).toEqual([{ path: 'points', message: `expected at most ${LIMITS.signaturePoints} entries` }]);
  });
});

describe('the wire format\'s actions and forms', () => {
  const errorsIn = (schema: z.ZodMiniType, value: unknown) => {
    const result = schema.safeParse(value, { reportInput: true });
    return result.success ? [] : toFieldErrors(result.error.issues);
  };
  const oneTarget = 'expected either "item" (a checklist item id) or "field" (a version-1 field name), not both or neither';

  it('a set or a clear names its target by item id or by v1 field name, exactly one of them', () => {
    expect(errorsIn(VisitActionSchema, { type: 'set', item: 'form.satisfaction', value: 9 })).toEqual([]);
    expect(errorsIn(VisitActionSchema, { type: 'set', field: 'satisfaction', value: 5 })).toEqual([]);
    expect(errorsIn(VisitActionSchema, { type: 'set', item: 'form.satisfaction', field: 'satisfaction', value: 5 })).toEqual([{ path: 'item', message: oneTarget }]);
    expect(errorsIn(VisitActionSchema, { type: 'set', value: 5 })).toEqual([{ path: 'item', message: oneTarget }]);
    expect(errorsIn(VisitActionSchema, { type: 'clear', item: 'form.satisfaction' })).toEqual([]);
    expect(errorsIn(VisitActionSchema, { type: 'clear' })).toEqual([{ path: 'item', message: oneTarget }]);
    expect(errorsIn(VisitActionSchema, { type: 'clear', item: 'form.satisfaction', field: 'satisfaction' })).toEqual([{ path: 'item', message: oneTarget }]);
  });

  it('a value set by v1 name is checked by that field\'s schema, at value; one set by item id only for being there', () => {
    expect(errorsIn(VisitActionSchema, { type: 'set', field: 'satisfaction', value: 6 }).map((e) => e.path)).toEqual(['value']);
    expect(errorsIn(VisitActionSchema, { type: 'set', field: 'partsUsed', value: [{ name: '碳刷', quantity: 0 }] }).map((e) => e.path)).toEqual(['value[0].quantity']);
    expect(errorsIn(VisitActionSchema, { type: 'set', item: 'form.satisfaction' })).toEqual([{ path: 'value', message: 'expected a value' }]);
    expect(errorsIn(VisitActionSchema, { type: 'set', item: 'Form.Satisfaction', value: 1 }).map((e) => e.path)).toEqual(['item']);
  });

  it('a sealed form of either format parses as it is; without any of its keys, or with one more, it is refused', async () => {
    for (const formatVersion of [1, 2] as const) {
      const { form } = await sealedForm({ formatVersion });
      expect(errorsIn(SealedFormSchema, form)).toEqual([]);
      expect(SealedFormSchema.parse(JSON.parse(JSON.stringify(form)))).toEqual(form);
      for (const key of Object.keys(form)) {
        const { [key]: _gone, ...without } = form as unknown as Record<string, unknown>;
        expect(SealedFormSchema.safeParse(without).success, `format ${formatVersion} without ${key}`).toBe(false);
      }
      expect(SealedFormSchema.safeParse({ ...form, extra: 1 }).success).toBe(false);
    }
  });

  it('format 2 holds at most 200 answers, and its signature without the points', async () => {
    const { form } = await sealedForm();
    const v2 = form as SealedFormV2;
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`x.a${i}`, 1]));
    expect(errorsIn(SealedFormSchema, { ...v2, answers: many })).toEqual([{ path: 'answers', message: 'expected at most 200 answers' }]);
    const some = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`x.a${i}`, 1]));
    expect(errorsIn(SealedFormSchema, { ...v2, answers: some })).toEqual([]);
    const signature = await signatureFor(signatureBytes());
    expect(SealedFormSchema.safeParse({ ...v2, signature }).success).toBe(false);
  });

  it('a signature holds at most 20,000 points in all its strokes', async () => {
    const signature = await signatureFor(signatureBytes());
    const stroke = (n: number) => ({ ...signature.points[0]!, points: Array.from({ length: n }, (_, i) => ({ x: i, y: i, pressure: 0.5, time: i })) });
    expect(errorsIn(SignatureSchema, { ...signature, points: [stroke(10_000), stroke(10_000)] })).toEqual([]);
    expect(errorsIn(SignatureSchema, { ...signature, points: [stroke(10_000), stroke(10_001)] })).toEqual([{ path: 'points', message: `expected at most ${LIMITS.signaturePoints} points in all` }]);
    expect(SignatureSchema.safeParse({ ...signature, points: [] }).success).toBe(false);
  });

  it('a submitted form carries its signature image as base64', async () => {
    const submitted = await submittedForm();
    expect(errorsIn(SubmittedFormSchema, submitted)).toEqual([]);
    expect(errorsIn(SubmittedFormSchema, { ...submitted, signaturePng: 'not base64!' })).toEqual([{ path: 'signaturePng', message: 'expected base64, got "not base64!"' }]);
  });
});
