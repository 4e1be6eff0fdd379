// Reading forms out of files, one at a time: a device bundle ({format:'onsite.bundle', …, forms:[…]})
// or an NDJSON export (one form a line). Memory holds one chunk and one form, whatever the file's size.
import type { DevicePublicKey } from '../../domain/device-signature';
import { BundleSchema } from '../../domain/form-schema';
import { toFieldErrors, type FieldError } from '../../domain/validation-issues';
import { withoutBom } from '../http/body';
import { findJsonSyntaxError, JsonDuplicateKeyError, JsonScanner, JsonSyntaxError, type JsonKind } from '../json/json-scanner';

/**
 * One form read from a file: its JSON value, or why it could not be read. `server` is an NDJSON line's
 * `server` object (what the exporting server knew), kept apart from the submission.
 */
export type FormItem = { index: number; value: unknown; server?: unknown } | { index: number; error: FieldError };

/** A file that cannot be imported at all (not JSON, not a bundle); nothing of it is imported. */
export class SourceError extends Error {
  constructor(message: string, readonly errors: FieldError[] = []) {
    super(message);
    this.name = 'SourceError';
  }
}

/** Opens the bytes afresh on each call: a bundle is read twice (checked whole first, then imported). */
export type ByteSource = () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

// ignoreBOM: a byte order mark inside a form or a line is text in the wrong place, not something to drop
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** BundleSchema's own bound on forms, checked here without holding the forms */
const MAX_BUNDLE_FORMS = 100_000;

/** JSON.parse, after the scanner has refused what JSON.parse lets through: a key named twice. */
function parseUtf8Json(bytes: Uint8Array): { value: unknown } | { error: string } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { error: 'is not valid UTF-8' };
  }
  const error = findJsonSyntaxError(bytes);
  return error ? { error: error.message } : { value: JSON.parse(text) };
}

/** A bundle's bytes without one leading UTF-8 byte order mark (Notepad writes one); UTF-16 is refused by name. */
async function* bundleBytes(source: ByteSource): AsyncGenerator<Uint8Array> {
  // the first 3 bytes decide, however the file is chunked
  let head: Uint8Array | null = new Uint8Array(0);
  for await (const chunk of source()) {
    if (head === null) {
      yield chunk;
      continue;
    }
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    if (head.length < 3) continue;
    yield startOfBundle(head);
    head = null;
  }
  if (head !== null) yield startOfBundle(head);
}

function startOfBundle(head: Uint8Array): Uint8Array {
  // a UTF-16 byte order mark, or a NUL byte where JSON can never hold one: "{" as UTF-16
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff) || head[0] === 0 || head[1] === 0) {
    throw new SourceError('the file is not UTF-8: it looks like UTF-16 (Windows "Unicode"); save it as UTF-8');
  }
  return withoutBom(head);
}

/**
 * First pass over a bundle: the whole file must be well-formed JSON with a valid bundle header, or
 * nothing is imported. Answers the number of forms.
 */
export async function checkBundle(source: ByteSource): Promise<number> {
  return (await readBundleHeader(source)).count;
}

/** checkBundle, answering also the header's public keys of the device signatures (none in older bundles). */
export async function readBundleHeader(source: ByteSource): Promise<{ count: number; devices: DevicePublicKey[] }> {
  const header: Record<string, unknown> = {};
  const seen: { root: JsonKind | null; forms: JsonKind | null; count: number; headerError: string | null } = {
    root: null, forms: null, count: 0, headerError: null,
  };
  const scanner = new JsonScanner({
    pathDepth: 2,
    onValue(path, kind) {
      if (path.length === 0) seen.root = kind;
      if (seen.root !== 'object') return false;
      if (path.length === 1 && path[0] === 'forms') seen.forms = kind;
      if (path.length === 2 && path[0] === 'forms' && seen.forms === 'array') seen.count++;
      return path.length === 1 && path[0] !== 'forms';
    },
    onCapture(path, bytes) {
      const parsed = parseUtf8Json(bytes);
      if ('error' in parsed) seen.headerError ??= `the bundle's "${String(path[0])}" ${parsed.error}`;
      else header[String(path[0])] = parsed.value;
    },
  });
  try {
    for await (const chunk of bundleBytes(source)) scanner.write(chunk);
    scanner.end();
  } catch (error) {
    if (error instanceof JsonDuplicateKeyError) throw new SourceError(`the file cannot be imported: ${error.message}`);
    if (error instanceof JsonSyntaxError) throw new SourceError(`the file is not valid JSON: ${error.message}`);
    throw error;
  }
  if (seen.root !== 'object') throw new SourceError('the file is not a device bundle: expected a JSON object');
  if (seen.headerError) throw new SourceError(seen.headerError);
  // the forms themselves are checked one by one later; here only that there is an array of them
  const forms = seen.forms === null ? undefined : { object: {}, array: [], string: '', number: 0, literal: null }[seen.forms];
  const checked = BundleSchema.safeParse({ ...header, forms }, { reportInput: true });
  if (!checked.success) throw new SourceError('the file is not a device bundle (format "onsite.bundle", formatVersion 1)', toFieldErrors(checked.error.issues));
  if (seen.count > MAX_BUNDLE_FORMS) throw new SourceError(`the bundle holds ${seen.count} forms; at most ${MAX_BUNDLE_FORMS} per file`);
  return { count: seen.count, devices: checked.data.devices ?? [] };
}

/** Second pass: each element of the bundle's `forms`, as it completes. Call checkBundle first. */
export async function* bundleForms(source: ByteSource): AsyncGenerator<FormItem> {
  const ready: FormItem[] = [];
  const scanner = new JsonScanner({
    pathDepth: 2,
    onValue: (path) => path.length === 2 && path[0] === 'forms',
    onCapture(path, bytes) {
      const index = path[1] as number;
      const parsed = parseUtf8Json(bytes);
      ready.push('error' in parsed ? { index, error: { path: '(form)', message: `the form ${parsed.error}` } } : { index, value: parsed.value });
    },
  });
  for await (const chunk of bundleBytes(source)) {
    scanner.write(chunk);
    yield* ready.splice(0);
  }
  scanner.end();
  yield* ready.splice(0);
}

const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * An NDJSON export: one form a line, `{form, signaturePng, server?}`; `server` (what the exporting
 * server knew: receipt time, state…) is not part of the submission and is dropped. A bad line is that
 * form's error and the next line is read as usual. Messages count the file's lines, blank ones included;
 * indexes count forms.
 */
export async function* ndjsonForms(source: ByteSource): AsyncGenerator<FormItem> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let index = 0;
  let lineNumber = 0;
  const finishLine = (tail: Uint8Array): FormItem | null => {
    const parts = [...pending, tail];
    pending = [];
    const size = pendingBytes + tail.length;
    pendingBytes = 0;
    const wasTooLong = tooLong || size > MAX_LINE_BYTES;
    tooLong = false;
    const line = ++lineNumber;
    const whole = wasTooLong ? new Uint8Array(0) : parts.length === 1 ? tail : Buffer.concat(parts);
    // one byte order mark may open the file (Notepad writes one)
    const bytes = line === 1 ? withoutBom(whole) : whole;
    if (!wasTooLong && bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0d)) return null;
    const at = index++;
    if (wasTooLong) return { index: at, error: { path: '(form)', message: `line ${line} is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB (${size} bytes)` } };
    const parsed = parseUtf8Json(bytes);
    if ('error' in parsed) return { index: at, error: { path: '(form)', message: `line ${line} ${parsed.error}` } };
    const value = parsed.value;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'server' in value) {
      const { server, ...submission } = value as Record<string, unknown>;
      return { index: at, value: submission, server };
    }
    return { index: at, value };
  };
  for await (const chunk of source()) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      const item = finishLine(tooLong ? new Uint8Array(0) : chunk.subarray(start, nl));
      if (item) yield item;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (tooLong || pendingBytes + rest.length > MAX_LINE_BYTES) {
      // keep counting, stop keeping: the line will be reported, not parsed
      tooLong = true;
      pending = [];
      pendingBytes += rest.length;
    } else if (rest.length > 0) {
      pending.push(rest);
      pendingBytes += rest.length;
    }
  }
  const last = finishLine(new Uint8Array(0));
  if (last) yield last;
}
