// Where to draw a signature's point data on a canvas of another size: scaled to fit, centred,
// never distorted. signature_pad then redraws the strokes exactly as they were captured.
import type { PointGroup } from '../domain/form-schema';

export interface Fit {
  scale: number;
  offsetX: number;
  offsetY: number;
}

/** Pen widths scale with the strokes: past this a tiny signature would turn into blots. */
export const MAX_SCALE = 3;

export function fitSignature(groups: readonly PointGroup[], width: number, height: number, padding = 8): Fit {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const group of groups) {
    for (const p of group.points) {
      minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x);
      minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
    }
  }
  if (minX === Infinity) return { scale: 1, offsetX: 0, offsetY: 0 };
  const room = { w: Math.max(1, width - 2 * padding), h: Math.max(1, height - 2 * padding) };
  // a single dot or a straight stroke has no extent on one axis: only the other one limits the scale
  const scale = Math.min(MAX_SCALE, room.w / Math.max(1, maxX - minX), room.h / Math.max(1, maxY - minY));
  return {
    scale,
    offsetX: (width - (maxX - minX) * scale) / 2 - minX * scale,
    offsetY: (height - (maxY - minY) * scale) / 2 - minY * scale,
  };
}
