import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, JsonDuplicateKeyError, JsonScanner, type JsonPath } from '../../src/server/json/json-scanner';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Feeds `text` in chunks of the given sizes (cycled), capturing the values at depth ≤ 2. */
function scan(text: string, sizes: number[] = [text.length + 1]): Array<[JsonPath, unknown]> {
  const captured: Array<[JsonPath, unknown]> = [];
  const scanner = new JsonScanner({
    pathDepth: 2,
    onValue: (path) => path.length === 2,
    onCapture: (path, raw) => captured.push([path, JSON.parse(new TextDecoder().decode(raw))]),
  });
  const all = bytes(text);
  for (let at = 0, i = 0; at < all.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    scanner.write(all.slice(at, at + size));
    at += size;
  }
  scanner.end();
  return captured;
}

describe('JSON scanner', () => {
  it('accepts whatever JSON.stringify writes, and captures the chosen values exactly, however the bytes are chunked', () => {
    fc.assert(fc.property(
      fc.dictionary(fc.string(), fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 }), { maxKeys: 3 }),
      fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
      (doc, sizes) => {
        const text = JSON.stringify(doc, null, sizes[0]! % 2 === 0 ? 2 : undefined);
        const expected = Object.entries(doc).flatMap(([key, values]) => values.map((v, i) => [[key, i], JSON.parse(JSON.stringify(v))] as [JsonPath, unknown]));
        expect(scan(text, sizes)).toEqual(expected);
      },
    ));
  });

  it.each([
    ['{"forms": [], "forms": [1]}', 'forms', 1, 15],
    ['{"a": {"b": 1,\n  "b": 2}}', 'b', 2, 3],
    ['{"a": 1, "\\u0061": 2}', 'a', 1, 10], // the same name, escaped
    ['[{"x": 1}, {"y": [{"x": 1, "z": {"x": 2}, "x": 3}]}]', 'x', 1, 43],
    ['{"客户": 1, "客户": 2}', '客户', 1, 11],
  ])('refuses %j: the key %j twice, the second at line %i, column %i', (text, key, line, column) => {
    const error = findJsonSyntaxError(bytes(text));
    expect(error).toBeInstanceOf(JsonDuplicateKeyError);
    expect(error).toMatchObject({ key, line, column });
    expect(error?.message).toBe(`duplicate key ${JSON.stringify(key)} at line ${line}, column ${column}: an object may name each key only once`);
  });

  it('finds a repeated key among many (kept in a set past 16), among a few, and a long key read the slow way', () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    const text = JSON.stringify(many);
    expect(findJsonSyntaxError(bytes(text))).toBeNull();
    expect(findJsonSyntaxError(bytes(`${text.slice(0, -1)},"k3":0}`))).toMatchObject({ key: 'k3' });
    expect(findJsonSyntaxError(bytes(`${text.slice(0, -1)},"k39":0}`))).toMatchObject({ key: 'k39' });
    expect(findJsonSyntaxError(bytes('{"x":1,"y":2,"pressure":0,"time":1,"y":3}'))).toMatchObject({ key: 'y', column: 36 });
    const long = 'k'.repeat(100);
    expect(findJsonSyntaxError(bytes(`{"${long}":1,"${long}x":2}`))).toBeNull();
    expect(findJsonSyntaxError(bytes(`{"${long}":1,"${long}":2}`))).toMatchObject({ key: long });
  });

  it('counts columns in characters past long strings with multi-byte text, chunked or not', () => {
    const text = `{"a": "${'签名'.repeat(500)}${'x'.repeat(3000)}", "b": tru}`;
    const column = [...text.slice(0, text.indexOf('tru}') + 3)].length + 1;
    expect(findJsonSyntaxError(bytes(text))).toMatchObject({ line: 1, column });
    expect(() => scan(text, [7, 1, 300])).toThrow(`malformed JSON at line 1, column ${column}: expected true`);
  });

  it('takes the same key in different objects, and keys that differ only in case or normalization', () => {
    for (const text of ['{"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2}]}', '{"a": 1, "A": 2}', '{"\u00e9": 1, "e\u0301": 2}']) {
      expect(findJsonSyntaxError(bytes(text))).toBeNull();
    }
  });

  it('finds a key named twice however the bytes are chunked', () => {
    expect(() => scan('{"k": [{"客户名": 1, "客户名": 2}]}', [1, 2, 3])).toThrow('duplicate key "客户名" at line 1, column 19');
  });

  it('takes 200,000 nested arrays in a whole document, as JSON.parse does, but only 512 levels streamed', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(findJsonSyntaxError(bytes(deep))).toBeNull();
    expect(() => scan(deep)).toThrow('malformed JSON at line 1, column 513: nested deeper than 512 levels');
  });

  it('rejects exactly what JSON.parse rejects', () => {
    const jsonish = fc.stringMatching(/^[\s{}[\]",:0-9eE.+\-truefalsn\\a-z]{0,24}$/);
    fc.assert(fc.property(jsonish, (text) => {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect(findJsonSyntaxError(bytes(text)) === null).toBe(parses);
    }), { numRuns: 2000 });
  });

  it.each([
    ['', 1, 0, 'expected JSON, found nothing'],
    ['{"a": 1,}', 1, 9, 'expected a key after the comma (is there a comma too many?)'],
    ['[1, 2,]', 1, 7, 'expected a value (is there a comma too many?)'],
    ['{"a" 1}', 1, 6, 'expected : after the key'],
    ['{\n  "a": tru\n}', 2, 11, 'expected true'],
    ['{"a": "x\ny"}', 1, 9, 'a control character inside a string must be escaped'],
    ['"\\x"', 1, 3, 'invalid escape sequence in a string'],
    ['[01]', 1, 3, 'a number cannot start with 0 followed by digits'],
    ['[1.]', 1, 4, 'expected a digit after the decimal point'],
    ['{"客户": 1 2}', 1, 10, 'expected , or }'],
    ['[1] [2]', 1, 5, 'unexpected text after the end of the JSON value'],
    ['{"a": [1, 2}', 1, 12, 'expected , or ]'],
    ['{"a": "unterminated', 1, 19, 'the JSON ends too early (something is not closed)'],
  ])('says where %j breaks: line %i, column %i', (text, line, column, reason) => {
    const error = findJsonSyntaxError(bytes(text));
    expect(error).toMatchObject({ line, column, reason });
    expect(error?.message).toBe(`malformed JSON at line ${line}, column ${column}: ${reason}`);
  });
});
