import { describe, expect, it } from 'vitest';
import { bundleForms, checkBundle, ndjsonForms, SourceError, type ByteSource, type FormItem } from '../../src/server/import/form-sources';

/** The text as a source of chunks of `size` bytes (1 puts every boundary in every possible place). */
const chunked = (text: string | Uint8Array, size: number): ByteSource => () => {
  const all = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < all.length; at += size) chunks.push(all.slice(at, at + size));
  return chunks;
};

async function collect(items: AsyncIterable<FormItem>): Promise<FormItem[]> {
  const out: FormItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const bundle = (forms: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'onsite.bundle', formatVersion: 1, exportedAt: '2026-03-10T09:00:00+08:00', forms, ...extra });

describe('device bundles', () => {
  it('checks the whole file first and then hands over each form, however the bytes are chunked', async () => {
    const forms = [{ form: { id: 'a', 客户: '王先生' } }, 42, [1, [2]], 'x', null];
    for (const size of [1, 3, 64, 1 << 20]) {
      expect(await checkBundle(chunked(bundle(forms), size))).toBe(5);
      expect(await collect(bundleForms(chunked(bundle(forms), size)))).toEqual(forms.map((value, index) => ({ index, value })));
    }
  });

  it('takes the header in any key order, forms first included', async () => {
    const text = JSON.stringify({ forms: [1], exportedAt: '2026-03-10T09:00:00Z', formatVersion: 1, format: 'onsite.bundle' });
    expect(await checkBundle(chunked(text, 5))).toBe(1);
  });

  it.each([
    ['{"format": "onsite.bundle", "forms": [', /^the file is not valid JSON: malformed JSON at line 1, column 38: the JSON ends too early/],
    ['[1, 2]', /expected a JSON object/],
    [bundle([], { format: 'zip' }), /not a device bundle/],
    [bundle([], { extra: true }), /not a device bundle/],
    [JSON.stringify({ format: 'onsite.bundle', formatVersion: 1, exportedAt: '2026-03-10T09:00:00Z', forms: {} }), /not a device bundle/],
  ])('refuses %j as a whole', async (text, message) => {
    await expect(checkBundle(chunked(text, 7))).rejects.toThrow(SourceError);
    await expect(checkBundle(chunked(text, 7))).rejects.toThrow(message);
  });

  it('skips one UTF-8 byte order mark at the start, however the bytes are chunked, but not a second', async () => {
    for (const size of [1, 2, 5, 1 << 20]) {
      expect(await checkBundle(chunked(`\ufeff${bundle([1])}`, size))).toBe(1);
      expect(await collect(bundleForms(chunked(`\ufeff${bundle([1])}`, size)))).toEqual([{ index: 0, value: 1 }]);
      await expect(checkBundle(chunked(`\ufeff\ufeff${bundle([1])}`, size))).rejects.toThrow(/not valid JSON: malformed JSON at line 1, column 1/);
    }
  });

  it.each([
    ['UTF-16LE with its byte order mark', Buffer.from(`\ufeff${bundle([])}`, 'utf16le')],
    ['UTF-16BE with its byte order mark', Buffer.from(`\ufeff${bundle([])}`, 'utf16le').swap16()],
    ['UTF-16LE without one', Buffer.from(bundle([]), 'utf16le')],
    ['UTF-16BE without one', Buffer.from(bundle([]), 'utf16le').swap16()],
  ])('says a bundle in %s is not UTF-8', async (_, bytes) => {
    await expect(checkBundle(chunked(new Uint8Array(bytes), 1))).rejects.toThrow('the file is not UTF-8: it looks like UTF-16');
  });

  it('refuses the whole file for a key named twice, in the header or in a form, naming it and where', async () => {
    const header = '{"format": "other",\n "format": "onsite.bundle", "formatVersion": 1, "exportedAt": "2026-03-10T09:00:00Z", "forms": []}';
    await expect(checkBundle(chunked(header, 3))).rejects.toThrow('the file cannot be imported: duplicate key "format" at line 2, column 2');
    await expect(checkBundle(chunked(bundle([{ a: 1 }]).replace('{"a":1}', '{"a":1,"\\u0061":2}'), 3))).rejects.toThrow(/duplicate key "a" at line 1, column \d+/);
  });

  it('names the header fields that are wrong', async () => {
    const error = await checkBundle(chunked(bundle([], { formatVersion: 2, device: 7 }), 9)).catch((e: SourceError) => e);
    expect((error as SourceError).errors.map((e) => e.path)).toEqual(['formatVersion', 'device']);
  });

  it('reports a form that is not valid UTF-8 as that form\'s error only', async () => {
    const text = new TextEncoder().encode(bundle(['ok', 'XX', 'ok']));
    const at = text.indexOf(0x58); // the first X
    text[at] = 0xff;
    text[at + 1] = 0xfe;
    const items = await collect(bundleForms(chunked(text, 4)));
    expect(items).toEqual([
      { index: 0, value: 'ok' },
      { index: 1, error: { path: '(form)', message: 'the form is not valid UTF-8' } },
      { index: 2, value: 'ok' },
    ]);
  });
});

describe('NDJSON exports', () => {
  it('reads a form a line, keeps the server\'s notes apart from the submission, skips blank lines and reports a bad line alone, by its line in the file', async () => {
    const text = [
      JSON.stringify({ form: { id: 'a' }, signaturePng: 'AA==', server: { receivedAt: 'x' } }),
      '',
      '{"form": ',
      '   ',
      JSON.stringify({ form: { id: '客' }, signaturePng: 'AA==' }),
    ].join('\r\n');
    for (const size of [1, 5, 1000]) {
      expect(await collect(ndjsonForms(chunked(text, size)))).toEqual([
        { index: 0, value: { form: { id: 'a' }, signaturePng: 'AA==' }, server: { receivedAt: 'x' } },
        { index: 1, error: { path: '(form)', message: expect.stringMatching(/^line 3 malformed JSON at line 1, column 10: the JSON ends too early/) } },
        { index: 2, value: { form: { id: '客' }, signaturePng: 'AA==' } },
      ]);
    }
  });

  it('skips one byte order mark at the start of the file, and refuses a key named twice on a line', async () => {
    const text = '\ufeff{"form":1}\n\n{"form":1,"form":2}\n\ufeff{"form":3}';
    expect(await collect(ndjsonForms(chunked(text, 2)))).toEqual([
      { index: 0, value: { form: 1 } },
      { index: 1, error: { path: '(form)', message: 'line 3 duplicate key "form" at line 1, column 11: an object may name each key only once' } },
      { index: 2, error: { path: '(form)', message: expect.stringMatching(/^line 4 malformed JSON at line 1, column 1: /) } },
    ]);
  });

  it('refuses a line longer than 16 MiB without holding it, and reads on', async () => {
    const long = new Uint8Array(16 * 1024 * 1024 + 10).fill(0x20);
    const text = Buffer.concat([long, Buffer.from('\n{"form":1}\n')]);
    const items = await collect(ndjsonForms(chunked(text, 1 << 20)));
    expect(items).toEqual([
      { index: 0, error: { path: '(form)', message: `line 1 is longer than 16 MiB (${long.length} bytes)` } },
      { index: 1, value: { form: 1 } },
    ]);
  });
});
