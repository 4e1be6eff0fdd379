import { describe, expect, it } from 'vitest';
import { decodeUtf8, invalidUtf8Offset, parseJson, readBody } from '../../src/server/http/body';
import { HttpError } from '../../src/server/http/errors';

const request = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://local/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('request bodies', () => {
  it('reads a body within the limit and refuses one past it, declared or streamed', async () => {
    expect(new TextDecoder().decode(await readBody(request('hello'), 5))).toBe('hello');
    await expect(readBody(request('hello!'), 5)).rejects.toMatchObject({ status: 413, code: 'payload-too-large' });
    await expect(readBody(request('x', { 'content-length': '999' }), 5)).rejects.toMatchObject({ status: 413 });
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

  it('decodes strict UTF-8, dropping a BOM, and says where it breaks', () => {
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), 'x')).toBe('a');
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
});
