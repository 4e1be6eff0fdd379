// Request bodies, read with a byte limit (checked on Content-Length and again while streaming, so
// nothing unbounded is ever buffered), decoded as strict UTF-8 and parsed with the error's position.
import { findJsonSyntaxError } from '../json/json-scanner';
import { HttpError } from './errors';

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload-too-large',
    `the request is larger than the server accepts (${mib(limit)}); send fewer forms at a time`, undefined, { Connection: 'close' });
}

export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(bytes: Uint8Array, what: string, hint?: string): string {
  try {
    // strip a byte order mark: Excel and Notepad write one
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return utf8.decode(bytes.subarray(start));
  } catch {
    throw new HttpError(400, 'invalid-utf8', `${what} is not valid UTF-8 (first bad byte at offset ${invalidUtf8Offset(bytes)})${hint ? `; ${hint}` : ''}`);
  }
}

/** Parses a JSON body; a malformed one is a 400 naming the line, the column and what was expected there. */
export function parseJson(bytes: Uint8Array): unknown {
  const text = decodeUtf8(bytes, 'the request body');
  try {
    return JSON.parse(text);
  } catch {
    const error = findJsonSyntaxError(bytes);
    throw new HttpError(400, 'malformed-json', error ? error.message : 'malformed JSON');
  }
}

export async function readJson(request: Request, limit: number): Promise<unknown> {
  return parseJson(await readBody(request, limit));
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
