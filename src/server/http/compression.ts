// Nothing text-like leaves the server uncompressed: the build writes brotli and gzip copies beside each
// page, script and style (`precompressDir`), the static server picks one by Accept-Encoding, and files
// the build did not compress (or that changed since) are compressed once on first request and kept.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

export type Encoding = 'br' | 'gzip';

/** The file endings worth compressing (images and fonts are compressed already). */
export const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.map', '.txt', '.svg']);

/** Below this a compressed answer saves less than its headers cost. */
export const MIN_COMPRESS_BYTES = 1024;

/** The suffix of a precompressed copy: `app.js.br`, `app.js.gz`. */
export const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

/**
 * The best encoding the client accepts (RFC 9110 §12.5.3): brotli before gzip at equal weight, none when
 * both are refused (q=0) or not named; `*` stands for whichever is not named.
 */
export function chooseEncoding(acceptEncoding: string | undefined | null): Encoding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (name === '') continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key === 'q') q = Number.isFinite(Number(value)) ? Number(value) : 0;
    }
    weights.set(name.trim(), q);
  }
  const weight = (name: Encoding) => weights.get(name) ?? (name === 'gzip' ? weights.get('x-gzip') : undefined) ?? weights.get('*') ?? 0;
  const best = (['br', 'gzip'] as const).filter((name) => weight(name) > 0).sort((a, b) => weight(b) - weight(a))[0];
  return best ?? null;
}

export function compressBytes(bytes: Uint8Array, encoding: Encoding): Uint8Array<ArrayBuffer> {
  const out = encoding === 'br'
    ? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength } })
    : gzipSync(bytes, { level: 9 });
  // zlib's sync calls answer a Buffer over a plain ArrayBuffer of its own
  return new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, out.byteLength);
}

/** Whether a file of this name and size is sent compressed. */
export function isCompressible(path: string, size: number): boolean {
  return size >= MIN_COMPRESS_BYTES && COMPRESSIBLE.has(extname(path).toLowerCase());
}

/** Writes `.br` and `.gz` beside every compressible file under `dir` (the build's last step); returns how many files. */
export async function precompressDir(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path);
    if (!isCompressible(path, bytes.byteLength)) continue;
    for (const encoding of ['br', 'gzip'] as const) await writeFile(path + SUFFIX[encoding], compressBytes(bytes, encoding));
    count++;
  }
  return count;
}

/**
 * The compressed bytes of a served file: its precompressed copy when that is at least as new as the file,
 * else compressed now and kept (keyed by path, size and modification time, so a rebuilt file is compressed
 * afresh). The cache holds at most `maxEntries` files.
 */
export function compressedFiles(maxEntries = 500) {
  const cache = new Map<string, Uint8Array<ArrayBuffer>>();
  return async function compressed(path: string, bytes: Uint8Array, mtimeMs: number, encoding: Encoding): Promise<Uint8Array<ArrayBuffer>> {
    const copy = path + SUFFIX[encoding];
    const copyInfo = await stat(copy).catch(() => null);
    if (copyInfo?.isFile() && copyInfo.mtimeMs >= mtimeMs) return readFile(copy);
    const key = `${encoding}\0${path}\0${bytes.byteLength}\0${mtimeMs}`;
    let body = cache.get(key);
    if (!body) {
      body = compressBytes(bytes, encoding);
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
      cache.set(key, body);
    }
    return body;
  };
}
