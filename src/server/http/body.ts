// Request bodies, read with a byte limit (checked on Content-Length and again while streaming, so
// nothing unbounded is ever buffered), decoded as strict UTF-8 and parsed with the error's position.
import { findJsonSyntaxError, JsonDuplicateKeyError } from '../json/json-scanner';
import { HttpError } from './errors';

/**
 * A byte count in the unit that fits its size (bytes, KiB, MiB), rounded down to one decimal so the
 * limit named is never more than the server takes: 4096 → "4 KiB", 8 MiB → "8 MiB", 4095 → "3.9 KiB".
 */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / 1024 / 1024, 'MiB'];
  return `${Math.floor(value * 10) / 10} ${unit}`;
}

/** `advice`: what the client can do about it on this route (send less per request, split a file), if anything */
function tooLarge(limit: number, advice: string | undefined): HttpError {
  return new HttpError(413, 'payload-too-large',
    `the request is larger than the server accepts (${byteSize(limit)})${advice ? `; ${advice}` : ''}`, undefined, { Connection: 'close' });
}

/** How far past the limit a declared body may go and still be read and dropped before the 413, and for how long */
export const LINGER = { bytes: 64 * 1024 * 1024, ms: 5000 };

/**
 * A lingering close: reads and drops a refused body (never holding it) until it ends or LINGER.ms
 * passes, so the 413 reaches a client still sending. Closing while its bytes arrive makes the kernel
 * reset the connection, the 413 is lost with it, and the phone retries the same batch instead of
 * splitting it.
 */
async function discardBody(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<null>((resolve) => (timer = setTimeout(resolve, LINGER.ms, null)));
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timeUp]);
      if (!next || next.done) break;
    }
  } catch {
    // the client hung up: nothing left to drain
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
}

/**
 * The body's bytes, at most `limit` of them; past it, a 413 naming the limit and the route's `advice`
 * (omitted where a smaller request is not something the client can send, e.g. a single small record).
 */
export async function readBody(request: Request, limit: number, advice?: string): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  const reader = request.body?.getReader();
  if (declared !== null && Number(declared) > limit) {
    // Node ends the body at its Content-Length, so draining it is bounded; one far past the limit is
    // answered at once: a client that hangs up before sending it all would get Node's own 400 instead
    if (reader && Number(declared) <= limit + LINGER.bytes) await discardBody(reader);
    throw tooLarge(limit, advice);
  }
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // no Content-Length says how much is left: stop reading at once
      await reader.cancel().catch(() => {});
      throw tooLarge(limit, advice);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

// ignoreBOM: the one byte order mark allowed is stripped by hand; a second one must stay, as text
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes without one leading byte order mark: Excel and Notepad write one. */
export const withoutBom = (bytes: Uint8Array): Uint8Array =>
  bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;

export function decodeUtf8(bytes: Uint8Array, what: string, hint?: string): string {
  try {
    return utf8.decode(withoutBom(bytes));
  } catch {
    throw new HttpError(400, 'invalid-utf8', `${what} is not valid UTF-8 (first bad byte at offset ${invalidUtf8Offset(bytes)})${hint ? `; ${hint}` : ''}`);
  }
}

/**
 * Parses a JSON body; a malformed one is a 400 naming the line, the column and what was expected there,
 * and so is one naming a key twice in an object (JSON.parse would silently keep the last).
 */
export function parseJson(bytes: Uint8Array): unknown {
  const text = decodeUtf8(bytes, 'the request body');
  const error = findJsonSyntaxError(withoutBom(bytes));
  if (error instanceof JsonDuplicateKeyError) throw new HttpError(400, 'duplicate-key', error.message);
  if (error) throw new HttpError(400, 'malformed-json', error.message);
  return JSON.parse(text);
}

export async function readJson(request: Request, limit: number, advice?: string): Promise<unknown> {
  return parseJson(await readBody(request, limit, advice));
}

/** Offset of the first byte that breaks UTF-8 (bytes.length when there is none). */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // continuation bytes needed, and the smallest code point that may use that many (no overlong forms)
    const [need, min] = b >= 0xc2 && b <= 0xdf ? [1, 0x80] : b >= 0xe0 && b <= 0xef ? [2, 0x800] : b >= 0xf0 && b <= 0xf4 ? [3, 0x10000] : [0, 0];
    if (need === 0 || i + need >= bytes.length) return i;
    let codePoint = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (c & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}
