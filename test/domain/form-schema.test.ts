import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { LIMITS, PointGroupSchema } from '../../src/domain/form-schema';
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
