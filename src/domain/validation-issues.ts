// Turns zod issues into messages that name where the problem is and what was expected, without
// shipping zod's locale tables to the phone.
import type { z } from 'zod/mini';

export interface FieldError {
  /** JSON path, e.g. `items[3].after[0]` */
  path: string;
  message: string;
  /** why, for a form the server refused: a code and its parameters the phone words in its language (rejection.ts) */
  reason?: { code: string; params: Record<string, string | number> };
}

type Issue = z.core.$ZodIssue;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

function describeReceived(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'string') return input.length > 40 ? `a ${input.length}-character string` : JSON.stringify(input);
  if (typeof input === 'object') return 'an object';
  return `${typeof input} ${String(input)}`;
}

/** ", got …" when zod was asked to report the input (`reportInput: true`); without it the input is unknown, not missing. */
function got(issue: Issue, received: unknown): string {
  return 'input' in issue ? `, got ${describeReceived(received)}` : '';
}

export function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}${got(issue, issue.input)}`;
    case 'too_small':
      if (issue.origin === 'string') return `expected at least ${issue.minimum} character(s)`;
      if (issue.origin === 'array') return `expected at least ${issue.minimum} entr${issue.minimum === 1 ? 'y' : 'ies'}`;
      return `expected a number ${issue.inclusive ? '≥' : '>'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `expected at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `expected at most ${issue.maximum} entries`;
      return `expected a number ${issue.inclusive ? '≤' : '<'} ${issue.maximum}`;
    case 'invalid_format':
      // a schema's own words ("expected a phone number …") say more than the generic format name
      if (issue.format === 'regex' && issue.message && issue.message !== 'Invalid input') return `${issue.message}${got(issue, issue.input)}`;
      return `expected ${formatName(issue.format)}${got(issue, issue.input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${got(issue, issue.input)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_union':
      // a discriminated union reports at its discriminator, with the object as input: name the allowed values and the one given
      if ('options' in issue && issue.options && issue.options.length > 0) {
        const given = issue.discriminator && typeof issue.input === 'object' && issue.input !== null
          ? (issue.input as Record<string, unknown>)[issue.discriminator]
          : issue.input;
        return `expected one of ${issue.options.map((v) => JSON.stringify(v)).join(', ')}${got(issue, given)}`;
      }
      return `does not match any allowed shape`;
    case 'invalid_key':
      return issue.issues[0] ? `invalid key: ${describeIssue(issue.issues[0])}` : 'invalid key';
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'invalid value';
  }
}

function formatName(format: string): string {
  switch (format) {
    case 'date': return 'a date YYYY-MM-DD';
    case 'datetime': return 'a date-time (ISO 8601)';
    case 'uuid': return 'a UUID';
    case 'regex': return 'text of the expected form';
    default: return `${/^[aeiou]/i.test(format) ? 'an' : 'a'} ${format}`;
  }
}

export function toFieldErrors(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): FieldError[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    // zod reports unknown keys at the object holding them; name each key in the path for clarity
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath([...path, key]), message: `unknown field ${JSON.stringify(key)}` }));
    }
    return [{ path: formatPath(path), message: describeIssue(issue) }];
  });
}
