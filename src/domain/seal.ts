// The seal: a SHA-256 over the canonical JSON (RFC 8785) of the form body and the signature bytes,
// through WebCrypto, so the phone, the service worker and the server compute it with the same code.
import type { FormBody, SealedForm } from './form-schema';
import { formatPath } from './validation-issues';

const encoder = new TextEncoder();

class Unrepresentable extends Error {}

const LONE = /\p{Cs}/u;

// A form repeats a few shapes thousands of times (a signature's points): the last key order sorted is
// kept, and each key's quoted form, so most objects cost a comparison instead of a sort.
let lastKeys: string[] = [];
let lastSorted: string[] = [];
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  if (keys.length === lastKeys.length && keys.every((key, i) => key === lastKeys[i])) return lastSorted;
  lastKeys = keys;
  lastSorted = [...keys].sort();
  return lastSorted;
}
const quoted = new Map<string, string>();
function quotedKey(key: string): string {
  let q = quoted.get(key);
  if (q === undefined) {
    if (LONE.test(key)) throw new Unrepresentable('Lone surrogate is not allowed');
    q = JSON.stringify(key);
    if (quoted.size < 10_000) quoted.set(key, q);
  }
  return q;
}

/**
 * RFC 8785 (JCS) by hand, as fast as the engine's own JSON.stringify allows: JCS's strings and numbers
 * are exactly ECMAScript's JSON.stringify of a well-formed string and of a finite number, and its keys
 * sort by UTF-16 code units, as Array.prototype.sort does. Held to the canonicalize package (the JCS
 * reference) by a property test.
 */
function jcs(value: unknown, ancestors: object[]): string | undefined {
  switch (typeof value) {
    case 'string': {
      const text = JSON.stringify(value);
      // well-formed JSON.stringify writes a lone surrogate as an escape, \udXXX: only then is the regex run
      if (text.includes('\\ud') && LONE.test(value)) throw new Unrepresentable('Lone surrogate is not allowed');
      return text;
    }
    case 'number':
      if (Number.isNaN(value)) throw new Unrepresentable('NaN is not allowed');
      if (!Number.isFinite(value)) throw new Unrepresentable('Infinity is not allowed');
      // Number::toString, which JSON.stringify writes too (and -0 as "0")
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (ancestors.includes(value)) throw new Unrepresentable('Circular reference detected');
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return jcs(toJSON.call(value), ancestors);
      ancestors.push(value);
      let out: string;
      if (Array.isArray(value)) {
        out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + (jcs(value[i], ancestors) ?? 'null');
        out += ']';
      } else {
        const keys = sortedKeys(value);
        out = '{';
        let first = true;
        for (const key of keys) {
          const child = jcs((value as Record<string, unknown>)[key], ancestors);
          if (child === undefined) continue;
          out += `${first ? '' : ','}${quotedKey(key)}:${child}`;
          first = false;
        }
        out += '}';
      }
      ancestors.pop();
      return out;
    }
    case 'bigint':
      throw new Unrepresentable('BigInt is not allowed');
    default:
      return undefined; // undefined, functions and symbols have no JSON form, as in JSON.stringify
  }
}

/** RFC 8785 canonical JSON; throws, naming the path, on what JSON cannot hold faithfully (NaN, ±Infinity, lone surrogates, cycles). */
export function canonicalJson(value: unknown): string {
  let out: string | undefined;
  try {
    out = jcs(value, []);
  } catch (error) {
    const at = locateUnrepresentable(value, [], new Set());
    throw new Error(`cannot canonicalize${at ? ` the value at ${formatPath(at)}` : ''}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (out === undefined) throw new Error('cannot canonicalize: the value has no JSON form');
  return out;
}

const LONE_SURROGATE = /\p{Cs}/u;

/** Where canonicalize gave up: searched only after it has, so the common path pays nothing. */
function locateUnrepresentable(value: unknown, path: PropertyKey[], ancestors: Set<object>): PropertyKey[] | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  if (ancestors.has(value)) return path;
  ancestors.add(value);
  for (const [key, child] of Object.entries(value)) {
    const at = [...path, Array.isArray(value) ? Number(key) : key];
    const found = LONE_SURROGATE.test(key) ? at : locateUnrepresentable(child, at, ancestors);
    if (found) return found;
  }
  ancestors.delete(value);
  return null;
}

export function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // never a SharedArrayBuffer here; the cast only satisfies WebCrypto's BufferSource type
  return toHex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** canonical JSON ‖ 0x00 ‖ signature bytes. Canonical JSON never holds a raw NUL, so the boundary is unambiguous. */
function sealInput(body: FormBody, signature: Uint8Array): Uint8Array {
  const json = encoder.encode(canonicalJson(body));
  const out = new Uint8Array(json.length + 1 + signature.length);
  out.set(json, 0);
  out[json.length] = 0;
  out.set(signature, json.length + 1);
  return out;
}

export async function computeSealHash(body: FormBody, signature: Uint8Array): Promise<string> {
  return sha256Hex(sealInput(body, signature));
}

export async function sealForm(body: FormBody, signature: Uint8Array): Promise<SealedForm> {
  return { ...body, seal: { alg: 'SHA-256', hash: await computeSealHash(body, signature) } };
}

export function bodyOf(form: SealedForm): FormBody {
  const { seal: _seal, ...body } = form;
  return body;
}

export type SealCheck = { ok: true } | { ok: false; reason: 'signature-bytes' | 'hash'; expected: string; actual: string };

/** Recomputes the seal: the signature bytes must be the ones the form describes, and the hash must match. */
export async function verifySeal(form: SealedForm, signature: Uint8Array): Promise<SealCheck> {
  const bytesHash = await sha256Hex(signature);
  if (bytesHash !== form.signature.sha256 || signature.length !== form.signature.byteLength) {
    return { ok: false, reason: 'signature-bytes', expected: form.signature.sha256, actual: bytesHash };
  }
  const hash = await computeSealHash(bodyOf(form), signature);
  return hash === form.seal.hash ? { ok: true } : { ok: false, reason: 'hash', expected: form.seal.hash, actual: hash };
}
