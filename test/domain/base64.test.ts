import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from '../../src/domain/base64';

function bytes(length: number, seed = 7): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 131 + seed) & 0xff;
  return out;
}

describe('bytesToBase64', () => {
  it('matches Node\'s encoder for every length around the chunk size, from an ArrayBuffer or a Uint8Array', () => {
    for (const length of [0, 1, 2, 3, 0x7fff, 0x8000, 0x8001, 100_000]) {
      const data = bytes(length);
      const expected = Buffer.from(data).toString('base64');
      expect(bytesToBase64(data)).toBe(expected);
      expect(bytesToBase64(data.buffer)).toBe(expected);
    }
  });

  it('encodes only the bytes a view covers', () => {
    const data = bytes(1000);
    const view = data.subarray(100, 300);
    expect(bytesToBase64(view)).toBe(Buffer.from(data.slice(100, 300)).toString('base64'));
  });

  it('encodes 2 MB (far more arguments than a call may take) without overflowing the stack', () => {
    const data = bytes(2 * 1024 * 1024);
    expect(bytesToBase64(data)).toBe(Buffer.from(data).toString('base64'));
  });
});
