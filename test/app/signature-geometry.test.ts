import { describe, expect, it } from 'vitest';
import { FieldValueSchemas } from '../../src/domain/form-schema';
import { sha256Hex } from '../../src/domain/seal';
import { describeSignature, SIGNATURE_BOX, toBox, toScreen, type PadGroup } from '../../src/app/components/signature-geometry';
import { signatureBytes } from '../fixtures/visits';

const stroke = (extra: Record<string, unknown> = {}): PadGroup => ({
  penColor: '#111', dotSize: 0, minWidth: 1, maxWidth: 3, velocityFilterWeight: 0.7, compositeOperation: 'source-over',
  points: [{ x: 30, y: 12, pressure: 0.5, time: 1 }, { x: 150, y: 60, pressure: 0.5, time: 16 }, { x: 300, y: 119, pressure: 0.5, time: 33 }],
  ...extra,
});

describe('signature geometry', () => {
  it('keeps strokes in a fixed box whatever the screen width, pen widths included', () => {
    const box = toBox([stroke()], 300);
    expect(box[0]!.points.at(-1)).toMatchObject({ x: 600, y: 238 });
    expect(box[0]!.maxWidth).toBe(6);
    const onWider = toScreen(box, 450);
    expect(onWider[0]!.points.map((p) => [p.x, p.y])).toEqual([[45, 18], [225, 90], [450, 178.5]]);
  });

  it('round-trips through a rotation without moving a point', () => {
    const box = toBox([stroke()], 328);
    const back = toBox(toScreen(box, 712), 712);
    back[0]!.points.forEach((p, i) => {
      expect(p.x).toBeCloseTo(box[0]!.points[i]!.x, 9);
      expect(p.y).toBeCloseTo(box[0]!.points[i]!.y, 9);
    });
  });

  it('drops fields the form does not allow, so the descriptor passes the schema', async () => {
    const png = signatureBytes();
    const signature = await describeSignature(toBox([stroke({ extra: 'x' })], 300), png);
    expect(signature).toMatchObject({ mime: 'image/png', width: SIGNATURE_BOX.width, height: SIGNATURE_BOX.height, byteLength: png.length, sha256: await sha256Hex(png) });
    expect(FieldValueSchemas.signature.safeParse(signature).success).toBe(true);
  });
});
