import { afterEach, describe, expect, it, vi } from 'vitest';
import { byteSize, decodeUtf8, invalidUtf8Offset, LINGER, parseJson, readBody } from '../../src/server/http/body';
import { HttpError } from '../../src/server/http/errors';

const request = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://local/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

/** A body of `chunks` chunks of `size` bytes, pulled as it is read; `read()` says how many bytes were pulled. */
function source(size: number, chunks: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= size * chunks) return controller.close();
      pulled += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  }, { highWaterMark: 0 });
  return { stream, read: () => pulled };
}

describe('request bodies', () => {
  it('names a limit in the unit that fits its size, never rounding it up or down to nothing', () => {
    expect([0, 1, 1000, 1023].map(byteSize)).toEqual(['0 bytes', '1 byte', '1000 bytes', '1023 bytes']);
    expect([1024, 4096, 16 * 1024, 1536, 4095].map(byteSize)).toEqual(['1 KiB', '4 KiB', '16 KiB', '1.5 KiB', '3.9 KiB']);
    expect([1024 * 1024, 8 * 1024 * 1024, 64 * 1024 * 1024, 2.5 * 1024 * 1024].map(byteSize)).toEqual(['1 MiB', '8 MiB', '64 MiB', '2.5 MiB']);
  });

  it('says in its 413 the limit and the advice it was given, and no advice when given none', async () => {
    await expect(readBody(request('x'.repeat(4097)), 4096)).rejects.toMatchObject({ message: 'the request is larger than the server accepts (4 KiB)' });
    await expect(readBody(request('x', { 'content-length': '4097' }), 4096, 'send less')).rejects.toMatchObject({
      message: 'the request is larger than the server accepts (4 KiB); send less',
    });
  });

  it('reads a body within the limit and refuses one past it, declared or streamed', async () => {
    expect(new TextDecoder().decode(await readBody(request('hello'), 5))).toBe('hello');
    await expect(readBody(request('hello!'), 5)).rejects.toMatchObject({ status: 413, code: 'payload-too-large' });
    await expect(readBody(request('x', { 'content-length': '999' }), 5)).rejects.toMatchObject({ status: 413 });
  });

  it('reads the rest of a body whose Content-Length is past the limit and drops it before answering 413, so the client can read the answer', async () => {
    const declared = source(1000, 100);
    await expect(readBody(request(declared.stream, { 'content-length': '100000' }), 500)).rejects.toMatchObject({ status: 413 });
    expect(declared.read()).toBe(100_000);
  });

  it('stops reading at the limit when no Content-Length says how much is left', async () => {
    const endless = source(1000, Infinity);
    await expect(readBody(request(endless.stream), 500)).rejects.toMatchObject({ status: 413 });
    expect(endless.read()).toBeLessThanOrEqual(2000);
  });

  describe('a refused body with a Content-Length far past the limit, or that never arrives', () => {
    const saved = { ...LINGER };
    afterEach(() => {
      Object.assign(LINGER, saved);
      vi.useRealTimers();
    });

    it('is not read at all when its declared length is past what is worth draining', async () => {
      LINGER.bytes = 50_000;
      const declared = source(1000, 100);
      await expect(readBody(request(declared.stream, { 'content-length': String(500 + 50_001) }), 500)).rejects.toMatchObject({ status: 413 });
      expect(declared.read()).toBeLessThanOrEqual(1000);
    });

    it('is answered 413 when the client stalls, after LINGER.ms', async () => {
      vi.useFakeTimers();
      const stalled = new ReadableStream<Uint8Array>({
        start: (controller) => controller.enqueue(new Uint8Array(1000)),
        pull: () => new Promise(() => {}),
      });
      const answer = readBody(request(stalled, { 'content-length': '2000' }), 500).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(LINGER.ms);
      expect(await answer).toMatchObject({ status: 413 });
    });
  });

  it('finds the first byte that breaks UTF-8', () => {
    const at = (...bytes: number[]) => invalidUtf8Offset(new Uint8Array(bytes));
    expect(at(0x61, 0xe5, 0xae, 0xa2)).toBe(4); // "a客" is fine
    expect(at(0x61, 0xff)).toBe(1);
    expect(at(0x61, 0xc3, 0x28)).toBe(1); // a lead byte without its continuation
    expect(at(0xc0, 0xaf)).toBe(0); // an overlong "/"
    expect(at(0xed, 0xa0, 0x80)).toBe(0); // an encoded surrogate
    expect(at(0x61, 0x62, 0xe5, 0xae)).toBe(2); // cut short
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0); // past U+10FFFF
  });

  it('decodes strict UTF-8, dropping one BOM (not two), and says where it breaks', () => {
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), 'x')).toBe('a');
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x61]), 'x')).toBe('\ufeffa');
    expect(() => decodeUtf8(new Uint8Array([0x61, 0xff]), 'the file', 'save it as UTF-8')).toThrow('the file is not valid UTF-8 (first bad byte at offset 1); save it as UTF-8');
  });

  it('parses JSON or answers 400 naming the line and column', () => {
    expect(parseJson(new TextEncoder().encode('{"a": [1]}'))).toEqual({ a: [1] });
    const error = (() => {
      try {
        parseJson(new TextEncoder().encode('{"a": [1,]}'));
      } catch (e) {
        return e as HttpError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(HttpError);
    expect(error?.toBody()).toEqual({ error: { code: 'malformed-json', message: 'malformed JSON at line 1, column 10: expected a value (is there a comma too many?)' } });
  });

  const refusal = (text: string) => {
    try {
      parseJson(new TextEncoder().encode(text));
    } catch (e) {
      return (e as HttpError).toBody().error;
    }
    return null;
  };

  it('takes one byte order mark before the JSON, counting columns after it, and refuses a second', () => {
    expect(parseJson(new TextEncoder().encode('\ufeff{"a": 1}'))).toEqual({ a: 1 });
    expect(refusal('\ufeff{"a": 1,}')).toEqual({ code: 'malformed-json', message: 'malformed JSON at line 1, column 9: expected a key after the comma (is there a comma too many?)' });
    expect(refusal('\ufeff\ufeff{"a": 1}')).toMatchObject({ code: 'malformed-json', message: expect.stringMatching(/^malformed JSON at line 1, column 1: /) });
  });

  it('refuses a key named twice, which JSON.parse would take as the last one', () => {
    expect(refusal('{"forms": [],\n "forms": [{}]}')).toEqual({
      code: 'duplicate-key', message: 'duplicate key "forms" at line 2, column 2: an object may name each key only once',
    });
  });
});
