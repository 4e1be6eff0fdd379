// The signature's fixed coordinate space: strokes are kept in a 600 × 240 box whatever the phone, so
// a rotation redraws them exactly, the PNG has the same size on every phone, and a print scales cleanly.
import type { PointGroup, Signature } from '../../domain/form-schema';
import { sha256Hex } from '../../domain/seal';

export const SIGNATURE_BOX = { width: 600, height: 240, pngScale: 2 } as const;

/** A stroke as signature_pad gives it, reduced to exactly the fields the form's schema allows. */
export interface PadGroup {
  penColor: string;
  dotSize: number;
  minWidth: number;
  maxWidth: number;
  velocityFilterWeight: number;
  compositeOperation: string;
  points: ReadonlyArray<{ x: number; y: number; pressure: number; time: number }>;
}

/** Scales strokes (positions and pen widths) by `factor`; keeps only the schema's fields. */
export function scaleGroups(groups: readonly PadGroup[], factor: number): PointGroup[] {
  return groups.map((g) => ({
    penColor: g.penColor,
    dotSize: g.dotSize * factor,
    minWidth: g.minWidth * factor,
    maxWidth: g.maxWidth * factor,
    velocityFilterWeight: g.velocityFilterWeight,
    compositeOperation: g.compositeOperation,
    points: g.points.map((p) => ({ x: p.x * factor, y: p.y * factor, pressure: p.pressure, time: p.time })),
  }));
}

/** Screen strokes of a pad `screenWidth` CSS px wide → the fixed box. */
export const toBox = (groups: readonly PadGroup[], screenWidth: number) => scaleGroups(groups, SIGNATURE_BOX.width / screenWidth);
/** Strokes in the fixed box → a pad `screenWidth` CSS px wide. */
export const toScreen = (groups: readonly PadGroup[], screenWidth: number) => scaleGroups(groups, screenWidth / SIGNATURE_BOX.width);

/** The form's description of a signature: its strokes in the fixed box and the PNG's length and hash. */
export async function describeSignature(groups: PointGroup[], png: Uint8Array): Promise<Signature> {
  return {
    mime: 'image/png',
    byteLength: png.length,
    sha256: await sha256Hex(png),
    width: SIGNATURE_BOX.width,
    height: SIGNATURE_BOX.height,
    points: groups,
  };
}
