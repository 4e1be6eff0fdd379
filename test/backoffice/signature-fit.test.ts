// Fitting signature point data onto the redraw canvas: whole, centred, undistorted, never blown up.
import { describe, expect, it } from 'vitest';
import type { PointGroup } from '../../src/domain/form-schema';
import { fitSignature, MAX_SCALE } from '../../src/backoffice/signature-fit';

const group = (points: Array<[number, number]>): PointGroup => ({
  penColor: 'black', dotSize: 0, minWidth: 0.5, maxWidth: 2.5, velocityFilterWeight: 0.7, compositeOperation: 'source-over',
  points: points.map(([x, y], i) => ({ x, y, pressure: 0.5, time: i })),
});

const place = (fit: ReturnType<typeof fitSignature>, x: number, y: number) => [fit.offsetX + x * fit.scale, fit.offsetY + y * fit.scale];

describe('fitSignature', () => {
  it('scales a wide signature to the width and centres it vertically', () => {
    const fit = fitSignature([group([[100, 100], [700, 200]])], 360, 150, 10);
    expect(fit.scale).toBeCloseTo(340 / 600);
    expect(place(fit, 100, 100)[0]).toBeCloseTo(10);
    expect(place(fit, 700, 200)[0]).toBeCloseTo(350);
    const [, top] = place(fit, 0, 100);
    const [, bottom] = place(fit, 0, 200);
    expect(top! + bottom!).toBeCloseTo(150);
  });

  it('keeps every point of every stroke inside the padding', () => {
    const groups = [group([[-50, 20], [10, 400]]), group([[300, -80], [120, 90]])];
    const fit = fitSignature(groups, 360, 150, 8);
    for (const g of groups) {
      for (const p of g.points) {
        const [x, y] = place(fit, p.x, p.y);
        expect(x!).toBeGreaterThanOrEqual(8 - 1e-9);
        expect(x!).toBeLessThanOrEqual(352 + 1e-9);
        expect(y!).toBeGreaterThanOrEqual(8 - 1e-9);
        expect(y!).toBeLessThanOrEqual(142 + 1e-9);
      }
    }
  });

  it('does not blow up a tiny signature or a single dot past the maximum scale', () => {
    expect(fitSignature([group([[5, 5], [7, 6]])], 360, 150).scale).toBe(MAX_SCALE);
    const dot = fitSignature([group([[40, 40]])], 360, 150);
    expect(dot.scale).toBe(MAX_SCALE);
    expect(place(dot, 40, 40)).toEqual([180, 75]);
  });

  it('leaves empty point data where it is', () => {
    expect(fitSignature([], 360, 150)).toEqual({ scale: 1, offsetX: 0, offsetY: 0 });
    expect(fitSignature([group([])], 360, 150)).toEqual({ scale: 1, offsetX: 0, offsetY: 0 });
  });
});
