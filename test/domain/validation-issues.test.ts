import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { describeIssue, formatPath, toFieldErrors } from '../../src/domain/validation-issues';

type Issue = Parameters<typeof describeIssue>[0];

/** The issues zod itself reports for a value, with the input when `reportInput` is on (as the app asks). */
function issuesOf(schema: z.ZodMiniType, value: unknown, reportInput = true): Issue[] {
  const result = schema.safeParse(value, { reportInput });
  if (result.success) throw new Error(`${JSON.stringify(value)} was accepted`);
  return result.error.issues;
}
const describeOnly = (schema: z.ZodMiniType, value: unknown, reportInput = true) => {
  const issues = issuesOf(schema, value, reportInput);
  expect(issues).toHaveLength(1);
  return describeIssue(issues[0]!);
};

describe('formatPath', () => {
  it.each([
    [[], '(root)'],
    [['version'], 'version'],
    [['items', 3, 'after', 0], 'items[3].after[0]'],
    [[0, 'name'], '[0].name'],
    [['conduct', 'no-food'], 'conduct.no-food'],
    [['rules', 7, 'text', 'zh-CN'], 'rules[7].text.zh-CN'],
    [[Symbol('s')], 'Symbol(s)'],
  ] as Array<[PropertyKey[], string]>)('%j → %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe('describeIssue says what was expected, and what came when zod reports it', () => {
  it('invalid_type', () => {
    expect(describeOnly(z.string(), 3)).toBe('expected string, got number 3');
    expect(describeOnly(z.object({ a: z.string() }), {})).toBe('expected string, got nothing');
    expect(describeOnly(z.string(), null)).toBe('expected string, got null');
    expect(describeOnly(z.string(), [1])).toBe('expected string, got an array');
    expect(describeOnly(z.string(), { a: 1 })).toBe('expected string, got an object');
    expect(describeOnly(z.number(), 'x'.repeat(41))).toBe('expected number, got a 41-character string');
    expect(describeOnly(z.number(), true)).toBe('expected number, got boolean true');
  });

  it('without reportInput it does not claim that nothing came', () => {
    expect(describeOnly(z.string(), 3, false)).toBe('expected string');
    expect(describeOnly(z.enum(['a', 'b']), 'c', false)).toBe('expected one of "a", "b"');
    expect(describeOnly(z.iso.date(), 'x', false)).toBe('expected a date YYYY-MM-DD');
  });

  it('too_small and too_big, for text, lists and numbers', () => {
    expect(describeOnly(z.string().check(z.minLength(2)), 'a')).toBe('expected at least 2 character(s)');
    expect(describeOnly(z.array(z.number()).check(z.minLength(1)), [])).toBe('expected at least 1 entry');
    expect(describeOnly(z.array(z.number()).check(z.minLength(2)), [1])).toBe('expected at least 2 entries');
    expect(describeOnly(z.number().check(z.gte(1)), 0)).toBe('expected a number ≥ 1');
    expect(describeOnly(z.int().check(z.positive()), 0)).toBe('expected a number > 0');
    expect(describeOnly(z.string().check(z.maxLength(3)), 'abcd')).toBe('expected at most 3 characters');
    expect(describeOnly(z.array(z.number()).check(z.maxLength(1)), [1, 2])).toBe('expected at most 1 entries');
    expect(describeOnly(z.number().check(z.lte(5)), 6)).toBe('expected a number ≤ 5');
    expect(describeOnly(z.number().check(z.lt(5)), 5)).toBe('expected a number < 5');
  });

  it('invalid_format names the format', () => {
    expect(describeOnly(z.iso.date(), '2026-13-01')).toBe('expected a date YYYY-MM-DD, got "2026-13-01"');
    expect(describeOnly(z.iso.datetime({ offset: true }), 'yesterday')).toBe('expected a date-time (ISO 8601), got "yesterday"');
    expect(describeOnly(z.uuid(), 'not-a-uuid')).toBe('expected a UUID, got "not-a-uuid"');
    expect(describeOnly(z.string().check(z.regex(/^[a-z]+$/)), 'A1')).toBe('expected text of the expected form, got "A1"');
    // a schema's own message for its pattern wins over the generic words
    expect(describeOnly(z.string().check(z.regex(/^[0-9]+$/, 'expected digits')), 'A1')).toBe('expected digits, got "A1"');
    expect(describeOnly(z.email(), 'nobody')).toBe('expected an email, got "nobody"');
    expect(describeOnly(z.cuid(), '!')).toBe('expected a cuid, got "!"');
  });

  it('invalid_value lists the allowed values', () => {
    expect(describeOnly(z.enum(['kept', 'not-kept']), 'maybe')).toBe('expected one of "kept", "not-kept", got "maybe"');
    expect(describeOnly(z.literal(1), 2)).toBe('expected one of 1, got number 2');
  });

  it('unrecognized_keys names the unknown fields', () => {
    expect(describeOnly(z.strictObject({}), { a: 1 })).toBe('unknown field "a"');
    expect(describeOnly(z.strictObject({}), { a: 1, b: 2 })).toBe('unknown fields "a", "b"');
  });

  it('invalid_union: a discriminated union names its discriminator’s values and the one given', () => {
    const action = z.discriminatedUnion('type', [z.object({ type: z.literal('tick') }), z.object({ type: z.literal('step') })]);
    const [issue] = issuesOf(action, { type: 'jump' });
    expect(issue!.path).toEqual(['type']);
    expect(describeIssue(issue!)).toBe('expected one of "tick", "step", got "jump"');
    expect(describeOnly(action, {})).toBe('expected one of "tick", "step", got nothing');
    expect(describeOnly(z.union([z.string(), z.number()]), true)).toBe('does not match any allowed shape');
  });

  it('invalid_key says what the key should have been', () => {
    const issues = issuesOf(z.record(z.string().check(z.regex(/^no-/)), z.number()), { 'No_Food': 1 });
    expect(toFieldErrors(issues)).toEqual([{ path: 'No_Food', message: 'invalid key: expected text of the expected form, got "No_Food"' }]);
  });

  it('not_multiple_of, custom checks, and anything else', () => {
    expect(describeOnly(z.number().check(z.multipleOf(5)), 7)).toBe('expected a multiple of 5');
    expect(describeOnly(z.string().check(z.refine((s) => s !== 'x', 'expected anything but x')), 'x')).toBe('expected anything but x');
    expect(describeOnly(z.string().check(z.refine((s) => s !== 'x')), 'x')).toBe('invalid value');
    expect(describeIssue({ code: 'invalid_element', origin: 'set', key: 1, issues: [], path: [], message: 'Invalid input' })).toBe('invalid value');
  });
});

describe('toFieldErrors', () => {
  it('turns each issue into a path and a message, under an optional prefix', () => {
    const schema = z.strictObject({ items: z.array(z.strictObject({ id: z.string(), n: z.int() })) });
    const issues = issuesOf(schema, { items: [{ id: 'a', n: 1 }, { id: 2, n: 1.5 }] });
    expect(toFieldErrors(issues)).toEqual([
      { path: 'items[1].id', message: 'expected string, got number 2' },
      { path: 'items[1].n', message: 'expected int, got number 1.5' },
    ]);
    expect(toFieldErrors(issues, ['form'])[0]!.path).toBe('form.items[1].id');
  });

  it('names each unknown key in its own path', () => {
    const issues = issuesOf(z.strictObject({ items: z.array(z.strictObject({ id: z.string() })) }), { items: [{ id: 'a', colour: 'red', size: 2 }] });
    expect(toFieldErrors(issues)).toEqual([
      { path: 'items[0].colour', message: 'unknown field "colour"' },
      { path: 'items[0].size', message: 'unknown field "size"' },
    ]);
  });
});
