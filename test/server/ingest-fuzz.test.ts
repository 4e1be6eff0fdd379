// Fuzzing the ingest through POST /api/v1/forms (app.request, the real validation, seal and storage):
// real sealed forms mutated at random paths — values of any JSON type, keys deleted and added (also
// __proto__), strings cut, numbers moved, arrays reshaped — random JSON in their place, and the body's
// text itself damaged. Never a 5xx or a thrown exception; every refusal names a path and says what is
// wrong; a form the checks let through is the signed form itself; the unmutated form beside it lands.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../src/domain/api';
import type { SubmittedForm } from '../../src/domain/form-schema';
import { canonicalJson } from '../../src/domain/seal';
import { firstVisitInFestival } from '../fixtures/visits';
import { openHarness, type Harness } from './api-harness';
import { makeForm, sqliteFactory } from './helpers';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;
type Mutation =
  | { kind: 'set'; at: number; value: Json }
  | { kind: 'delete'; at: number }
  | { kind: 'add'; at: number; key: string; value: Json }
  | { kind: 'truncate'; at: number; keep: number }
  | { kind: 'number'; at: number; change: 'negate' | 'half' | 'plus-one' | 'huge' | 'fraction' | 'zero' }
  | { kind: 'array'; at: number; change: 'drop-first' | 'drop-last' | 'duplicate-first' | 'reverse' | 'empty' };

/** Every path in a JSON value, containers and leaves, root first. */
function pathsOf(value: Json, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [at];
  const children = Array.isArray(value) ? value.map((v, i) => pathsOf(v, [...at, i])) : Object.entries(value).map(([k, v]) => pathsOf(v, [...at, k]));
  return [at, ...children.flat()];
}

function get(root: Json, path: Path): Json {
  return path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key]!, root);
}

/** An own property even for "__proto__", as JSON.parse makes it (plain assignment would change the prototype). */
function put(target: Json, key: string | number, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function mutate(root: Json, paths: Path[], m: Mutation): Json {
  const path = paths[m.at % paths.length]!;
  if (path.length === 0) return m.kind === 'set' ? m.value : root;
  const parent = get(root, path.slice(0, -1)) as Record<string | number, Json>;
  const key = path.at(-1)!;
  const current = parent[key]!;
  switch (m.kind) {
    case 'set':
      put(parent, key, m.value);
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'add':
      if (current !== null && typeof current === 'object' && !Array.isArray(current)) put(current, m.key, m.value);
      else if (Array.isArray(current)) current.push(m.value);
      break;
    case 'truncate':
      if (typeof current === 'string') put(parent, key, current.slice(0, m.keep % (current.length + 1)));
      break;
    case 'number':
      if (typeof current === 'number') {
        const changed = { negate: -current, half: current / 2, 'plus-one': current + 1, huge: 2 ** 53 + 1, fraction: current + 0.5, zero: 0 }[m.change];
        put(parent, key, changed);
      }
      break;
    case 'array':
      if (Array.isArray(current)) {
        const changed = { 'drop-first': current.slice(1), 'drop-last': current.slice(0, -1), 'duplicate-first': [...current.slice(0, 1), ...current], reverse: [...current].reverse(), empty: [] }[m.change];
        put(parent, key, changed);
      }
      break;
  }
  return root;
}

const hostileString = fc.constantFrom('', ' ', '\u0000', '\ud800', '__proto__', 'constructor', "'; DROP TABLE forms; --", '<script>alert(1)</script>',
  '../../etc/passwd', '2026-03-10T08:00:00.000Z', '00000000-0000-4000-8000-000000000000', 'x'.repeat(5000), '5', 'true', 'null');
const anyJson: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  hostileString,
  fc.constantFrom<Json>(0, -1, 1.5, 2 ** 53 + 1, 1e308, -1e308, Number.MIN_VALUE, [], {}, [[[[]]]], { '': null }),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: anyJson }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: fc.oneof(fc.string({ maxLength: 12 }), hostileString), value: anyJson }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), keep: fc.nat() }),
  fc.record({ kind: fc.constant('number' as const), at: fc.nat(), change: fc.constantFrom('negate', 'half', 'plus-one', 'huge', 'fraction', 'zero') }),
  fc.record({ kind: fc.constant('array' as const), at: fc.nat(), change: fc.constantFrom('drop-first', 'drop-last', 'duplicate-first', 'reverse', 'empty') }),
);

interface Answer {
  status: number;
  body: any;
}

describe('ingest fuzz through POST /api/v1/forms', () => {
  let h: Harness;
  let token: string;
  let bases: SubmittedForm[];
  /** unmutated forms sent beside the mutated ones: each must land (accepted the first time, duplicate after) */
  let companions: SubmittedForm[];
  let sent = 0;

  beforeAll(async () => {
    h = await openHarness(sqliteFactory());
    token = await h.enroll();
    bases = [await makeForm(), await makeForm({ seed: 2, dispute: '客户对收费有异议' }), await makeForm({ seed: 3, facts: firstVisitInFestival }), await makeForm({ seed: 4, conductBreach: true })];
    companions = await Promise.all(Array.from({ length: 40 }, (_, i) => makeForm({ seed: 10 + i })));
  });
  afterAll(async () => {
    await h.close();
  });

  /** Sends a body; any exception or 5xx fails the property; a refusal must say what and where. */
  async function post(body: string | Uint8Array<ArrayBuffer>): Promise<Answer> {
    const res = await h.app.request(API.forms, {
      method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    const text = await res.text();
    expect(res.status, text.slice(0, 500)).toBeLessThan(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
    const answer: Answer = { status: res.status, body: JSON.parse(text) };
    if (res.status !== 200) {
      expect(answer.body.error.code).toMatch(/^[a-z0-9-]+$/);
      expect(answer.body.error.message.length).toBeGreaterThan(5);
      for (const e of answer.body.error.errors ?? []) expect(e.path && e.message, text).toBeTruthy();
    }
    return answer;
  }

  /** A rejection lists errors, each with a path and a message. */
  function expectExplained(result: { status: string; errors?: Array<{ path: string; message: string }> }): void {
    expect(result.errors?.length, JSON.stringify(result)).toBeGreaterThan(0);
    for (const e of result.errors!) {
      expect(typeof e.path === 'string' && e.path.length > 0, JSON.stringify(e)).toBe(true);
      expect(typeof e.message === 'string' && e.message.length > 0, JSON.stringify(e)).toBe(true);
    }
  }

  /** A form the server took must be the signed one: same canonical body and seal, same signature bytes. */
  function sameAsSigned(mutated: unknown, base: SubmittedForm): boolean {
    try {
      const m = mutated as SubmittedForm;
      return canonicalJson(m.form) === canonicalJson(base.form) && Buffer.from(m.signaturePng, 'base64').equals(Buffer.from(base.signaturePng, 'base64'));
    } catch {
      return false;
    }
  }

  it('answers mutated real forms without a 5xx, explains every rejection, takes only the signed form, lands the unmutated one', async () => {
    await fc.assert(fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (pick, mutations) => {
      const base = bases[pick % bases.length]!;
      let submission = structuredClone(base) as unknown as Json;
      for (const m of mutations) submission = mutate(submission, pathsOf(submission), m);
      const companion = companions[sent++ % companions.length]!;
      const answer = await post(JSON.stringify({ forms: [submission, companion] }));
      expect(answer.status).toBe(200);
      const [mutated, unmutated] = answer.body.results;
      if (mutated.status === 'rejected') expectExplained(mutated);
      else expect(sameAsSigned(submission, base), JSON.stringify(mutations)).toBe(true);
      expect(['accepted', 'duplicate']).toContain(unmutated.status);
    }), { numRuns: 300 });
  });

  it('answers random JSON in place of a form, or as the whole body, without a 5xx and with reasons', async () => {
    await fc.assert(fc.asyncProperty(anyJson, fc.boolean(), async (value, asBody) => {
      const companion = companions[sent++ % companions.length]!;
      const answer = await post(JSON.stringify(asBody ? value : { forms: [value, companion] }));
      if (asBody) return;
      expect(answer.status).toBe(200);
      expect(answer.body.results[0].status).toBe('rejected');
      expectExplained(answer.body.results[0]);
      expect(['accepted', 'duplicate']).toContain(answer.body.results[1].status);
    }), { numRuns: 100 });
  });

  it('answers a damaged body (cut, a byte changed or inserted) without a 5xx, naming line and column when it is not JSON', async () => {
    const text = Buffer.from(JSON.stringify({ forms: [bases[0]] }));
    await fc.assert(fc.asyncProperty(fc.nat({ max: text.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.constantFrom('cut', 'replace', 'insert'), async (at, byte, how) => {
      const damaged = how === 'cut' ? text.subarray(0, at)
        : how === 'replace' ? Buffer.concat([text.subarray(0, at), Buffer.from([byte]), text.subarray(at + 1)])
          : Buffer.concat([text.subarray(0, at), Buffer.from([byte]), text.subarray(at)]);
      const answer = await post(new Uint8Array(damaged));
      if (answer.body.error?.code === 'malformed-json') expect(answer.body.error.message).toMatch(/^malformed JSON at line \d+, column \d+: /);
      if (answer.body.error?.code === 'invalid-utf8') expect(answer.body.error.message).toMatch(/first bad byte at offset \d+/);
      if (answer.status !== 200) return;
      const [result] = answer.body.results;
      if (result.status === 'rejected') expectExplained(result);
      else expect(sameAsSigned((JSON.parse(damaged.toString('utf8')) as { forms: unknown[] }).forms[0], bases[0]!)).toBe(true);
    }), { numRuns: 100 });
  });

  it('still has every unmutated form, each once, and nothing else', async () => {
    const listed = (await h.call('GET', `${API.admin.forms}?limit=200`)).body.forms.map((f: { id: string }) => f.id).sort();
    const expected = new Set([...companions.slice(0, Math.min(sent, companions.length)).map((f) => f.form.id)]);
    // a mutation the checks let through is the signed base form itself (proved above): it may be there too
    for (const b of bases) if (listed.includes(b.form.id)) expected.add(b.form.id);
    expect(listed).toEqual([...expected].sort());
    expect((await h.call('GET', API.admin.conflicts)).body.conflicts).toEqual([]);
  });
});
