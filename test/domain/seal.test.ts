import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SealedFormSchema, type SealedForm, type SealedFormV1, type VisitAction } from '../../src/domain/form-schema';
import { bodyOf, canonicalJson, computeSealHash, sealForm, sha256Hex, toHex, verifySeal } from '../../src/domain/seal';
import { buildFormBody } from '../../src/domain/service-form';
import { createVisit } from '../../src/domain/visit-workflow';
import {
  checklist, completeVisitActions, fakeClock, firstVisitInFestival, header, ordinaryDay, run, sealedForm, signatureBytes, signatureFor,
} from '../fixtures/visits';

const fromHex = (hex: string): number => {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
};

describe('canonicalJson follows RFC 8785 (JCS)', () => {
  it('the example of §3.2.2: whitespace gone, numbers and strings in their canonical form, keys sorted', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    expect(canonicalJson(JSON.parse(input))).toBe(String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`);
  });

  it('sorts keys by UTF-16 code units, as §3.2.3 does', () => {
    const input = {
      '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const keys = [...canonicalJson(input).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
    expect(keys).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each([
    ['0000000000000000', '0'], ['8000000000000000', '0'], ['0000000000000001', '5e-324'], ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'], ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'], ['c340000000000000', '-9007199254740992'], ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'], ['44b52d02c7e14af6', '1e+23'], ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'], ['444b1ae4d6e2ef4f', '999999999999999900000'], ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'], ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'], ['41b3de4355555554', '333333333.33333325'], ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'], ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'], ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('the number %s of Appendix B is %s', (hex, expected) => {
    expect(canonicalJson(fromHex(hex))).toBe(expected);
  });

  it('keeps non-ASCII text as it is and escapes only what JSON must', () => {
    expect(canonicalJson({ 名字: '王先生', emoji: '👍🏽', ctl: '\u0000\u001f\t', quote: '"\\' })).toBe('{"ctl":"\\u0000\\u001f\\t","emoji":"👍🏽","quote":"\\"\\\\","名字":"王先生"}');
  });

  it('refuses what JSON cannot hold, naming where', () => {
    expect(() => canonicalJson({ a: { b: ['ok', 'x\uDC00'] } })).toThrow('cannot canonicalize the value at a.b[1]: Lone surrogate is not allowed');
    expect(() => canonicalJson({ note: '\uD83D' })).toThrow(/^cannot canonicalize the value at note: .*surrogate/i);
    expect(() => canonicalJson({ ['k\uD800']: 1 })).toThrow(/the value at k\uD800: .*surrogate/i);
    expect(() => canonicalJson({ n: [1, Number.NaN] })).toThrow('cannot canonicalize the value at n[1]: NaN is not allowed');
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow('cannot canonicalize the value at n: Infinity is not allowed');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow('cannot canonicalize the value at self: Circular reference detected');
    expect(() => canonicalJson(undefined)).toThrow('cannot canonicalize: the value has no JSON form');
  });

  it('names the bad value past nulls, booleans, good strings and numbers, and past a shared object seen before', () => {
    expect(() => canonicalJson([null, Number.NaN])).toThrow('cannot canonicalize the value at [1]: NaN is not allowed');
    expect(() => canonicalJson({ a: null, b: true, c: 'ok', d: 1.5, e: { f: null, g: Number.NEGATIVE_INFINITY } })).toThrow('cannot canonicalize the value at e.g: Infinity is not allowed');
    const shared = { x: 1 };
    expect(() => canonicalJson({ a: shared, b: [shared, Number.NaN] })).toThrow('cannot canonicalize the value at b[1]: NaN is not allowed');
    // a BigInt has no place JSON could name as wrong beyond itself: the message says what, not where
    expect(() => canonicalJson({ n: 1n })).toThrow(/^cannot canonicalize: BigInt is not allowed$/);
  });

  it('writes what has no JSON form as JSON.stringify does: null in an array, left out of an object; toJSON is used', () => {
    expect(canonicalJson([undefined, () => 1, 1])).toBe('[null,null,1]');
    expect(canonicalJson({ a: undefined, b: 1, c: () => 1 })).toBe('{"b":1}');
    expect(canonicalJson({ b: undefined, a: 1 })).toBe('{"a":1}');
    expect(canonicalJson({ at: new Date('2026-03-10T01:00:00.000Z'), t: true, f: false })).toBe('{"at":"2026-03-10T01:00:00.000Z","f":false,"t":true}');
  });

  it('a surrogate pair is not a lone surrogate, and a shared (not cyclic) object is fine', () => {
    expect(canonicalJson('\uD83D\uDE00')).toBe('"😀"');
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});

describe('the hash', () => {
  it('is SHA-256 in lower-case hex', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(new Uint8Array([0, 15, 255]).buffer)).toBe('000fff');
  });

  it('covers canonical JSON ‖ 0x00 ‖ the signature bytes', async () => {
    const { form, bytes } = await sealedForm();
    const json = new TextEncoder().encode(canonicalJson(bodyOf(form)));
    const input = new Uint8Array([...json, 0, ...bytes]);
    expect(form.seal).toEqual({ alg: 'SHA-256', hash: await sha256Hex(input) });
  });

  it('is stable under key order, however deep', async () => {
    // format 1, whose signature points in the body go deepest
    const { form, bytes } = await sealedForm({ facts: firstVisitInFestival, formatVersion: 1 });
    const reversed = reverseKeys(form) as SealedFormV1;
    expect(Object.keys(reversed)[0]).toBe('seal');
    expect(Object.keys(reversed.signature.points[0]!.points[0]!)).toEqual(['time', 'pressure', 'y', 'x']);
    expect(canonicalJson(reversed)).toBe(canonicalJson(form));
    expect(await computeSealHash(bodyOf(reversed), bytes)).toBe(form.seal.hash);
    expect(await verifySeal(reversed, bytes)).toEqual({ ok: true });
  });

  it('the same visit sealed twice gives the same hash', async () => {
    const formId = '6f1c2a9e-4b7d-4e8a-9c3f-2d5e7a1b0c4d';
    const [a, b] = [await sealedForm({ formId }), await sealedForm({ formId })];
    expect(a.form.seal.hash).toBe(b.form.seal.hash);
  });
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

type Path = Array<string | number>;

/** Every leaf of a JSON value (empty arrays and objects count as leaves). */
function leafPaths(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((v, i) => leafPaths(v, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => leafPaths(v, [...path, k]));
  }
  return [path];
}

function changed(leaf: unknown): unknown {
  if (typeof leaf === 'string') return `${leaf}x`;
  if (typeof leaf === 'number') return leaf + 1;
  if (typeof leaf === 'boolean') return !leaf;
  if (Array.isArray(leaf)) return [0];
  if (leaf === null) return 0;
  return { x: 0 };
}

function withLeafChanged<T>(value: T, path: Path): T {
  // through JSON, as a form travels: structuredClone would keep the form's signature and the event's signature one object
  const copy = JSON.parse(JSON.stringify(value)) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  parent[last] = changed(parent[last]);
  return copy as T;
}

describe('any change to a sealed form or its signature breaks the seal', () => {
  it.each([['an ordinary visit', ordinaryDay], ['a first visit in a festival', firstVisitInFestival]])('%s: every leaf of the form', async (_, facts) => {
    const { form, bytes } = await sealedForm({ facts });
    expect(await verifySeal(form, bytes)).toEqual({ ok: true });
    const paths = leafPaths(bodyOf(form));
    expect(paths.length).toBeGreaterThan(150);
    for (const path of paths) {
      const altered = withLeafChanged(form, path);
      const where = path.join('.');
      expect(await computeSealHash(bodyOf(altered), bytes), where).not.toBe(form.seal.hash);
      const check = await verifySeal(altered, bytes);
      const describesBytes = where === 'signature.sha256' || where === 'signature.byteLength';
      expect(check, where).toMatchObject({ ok: false, reason: describesBytes ? 'signature-bytes' : 'hash' });
    }
  });

  it('the seal itself altered does not verify', async () => {
    const { form, bytes } = await sealedForm();
    const hash = form.seal.hash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(await verifySeal({ ...form, seal: { ...form.seal, hash } }, bytes)).toEqual({ ok: false, reason: 'hash', expected: hash, actual: form.seal.hash });
  });

  it('every byte of the signature: a changed byte changes the hash and is reported as signature-bytes', async () => {
    const { form, bytes } = await sealedForm();
    for (let i = 0; i < bytes.length; i++) {
      const flipped = bytes.slice();
      flipped[i] = flipped[i]! ^ 0x01;
      expect(await computeSealHash(bodyOf(form), flipped), `byte ${i}`).not.toBe(form.seal.hash);
      expect(await verifySeal(form, flipped), `byte ${i}`).toEqual({
        ok: false, reason: 'signature-bytes', expected: form.signature.sha256, actual: await sha256Hex(flipped),
      });
    }
  });

  it('bytes added or cut off are reported as signature-bytes', async () => {
    const { form, bytes } = await sealedForm();
    for (const other of [bytes.slice(0, -1), new Uint8Array([...bytes, 0]), new Uint8Array(0)]) {
      expect(await verifySeal(form, other)).toMatchObject({ ok: false, reason: 'signature-bytes', expected: form.signature.sha256 });
    }
  });

  it('other bytes with a matching descriptor still fail: the seal covers the descriptor', async () => {
    const { form } = await sealedForm();
    const other = signatureBytes(2);
    const forged = { ...form, signature: await signatureFor(other) };
    expect(await verifySeal(forged, other)).toMatchObject({ ok: false, reason: 'hash' });
  });
});

describe('a sealed form survives the wire', () => {
  it('JSON round trip and the wire schema give back the same form, and it verifies', async () => {
    const { form, bytes } = await sealedForm({ facts: firstVisitInFestival });
    const wire = JSON.parse(JSON.stringify(form)) as unknown;
    const parsed = SealedFormSchema.parse(wire);
    expect(parsed).toEqual(form);
    expect(await verifySeal(parsed, bytes)).toEqual({ ok: true });
  });

  it('text with surrounding spaces is kept exactly as signed, so the seal still verifies after parsing', async () => {
    const bytes = signatureBytes(3);
    const actions = completeVisitActions(ordinaryDay, await signatureFor(bytes))
      .map((a) => (a.type === 'set' && typeof a.value === 'string' ? { ...a, value: `  ${a.value}\n` } as VisitAction : a));
    const state = run(createVisit(checklist, ordinaryDay), actions, fakeClock());
    const form = await sealForm(buildFormBody(state, header()), bytes);
    const signer = (f: SealedForm) => (f.formatVersion === 2 ? f.answers['form.signer-name'] : f.signerName);
    expect(signer(form)).toBe('  王先生\n');
    const parsed = SealedFormSchema.parse(JSON.parse(JSON.stringify(form)));
    expect(signer(parsed)).toBe('  王先生\n');
    expect(await verifySeal(parsed, bytes)).toEqual({ ok: true });
  });
});

describe('canonicalJson is exactly RFC 8785 as its reference implementation writes it', () => {
  it('agrees with the canonicalize package on any JSON value, and on every form the fixtures make', async () => {
    const { default: reference } = await import('canonicalize');
    const key = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', 'a', 'A', 'é', '€', '😀', '\u0000', '__proto__', 'constructor', '10', '9'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null), fc.boolean(),
        fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(0, -0, 1e21, 1e-7, 5e-324, 2 ** 53, 0.1 + 0.2),
        fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }).filter((s) => !/\p{Cs}/u.test(s)),
        fc.array(tie('value'), { maxLength: 5 }),
        fc.dictionary(key.filter((k) => !/\p{Cs}/u.test(k)), tie('value'), { maxKeys: 6 }),
      ),
    })).value;
    fc.assert(fc.property(json, (value) => canonicalJson(value) === reference(value)), { numRuns: 2000 });
    for (const formatVersion of [1, 2] as const) {
      const { form } = await sealedForm({ facts: firstVisitInFestival, formatVersion });
      expect(canonicalJson(form)).toBe(reference(form));
    }
  });
});
