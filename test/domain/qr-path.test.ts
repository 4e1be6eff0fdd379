import { describe, expect, it } from 'vitest';
import { encode } from 'uqr';
import { qrPath } from '../../src/domain/qr-path';

/** The matrix drawn back from a path: every `M x y h w v1 h-w z` fills w modules of row y from x. */
function drawn(path: string, size: number): boolean[][] {
  const modules = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const [, x, y, w, back] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h(-\d+)z/g)) {
    expect(Number(back)).toBe(-Number(w));
    for (let i = 0; i < Number(w); i++) modules[Number(y)]![Number(x) + i] = true;
  }
  return modules;
}

describe('qrPath', () => {
  it('draws each run of dark modules of a row as one rectangle', () => {
    expect(qrPath([[true, true, false], [false, false, false], [true, false, true]])).toBe('M0 0h2v1h-2zM0 2h1v1h-1zM2 2h1v1h-1z');
    expect(qrPath([[false]])).toBe('');
  });

  it('draws a real QR code module for module', () => {
    const qr = encode('https://onsite.example.com/verify#f=3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d&s=' + 'ab'.repeat(32), { ecc: 'M', border: 4 });
    expect(drawn(qrPath(qr.data), qr.size)).toEqual(qr.data);
  });

  it('refuses a matrix that is not square, naming the row', () => {
    expect(() => qrPath([[true, false], [true]])).toThrow('qrPath: row 1 has 1 modules, expected 2 (a square matrix)');
  });
});
