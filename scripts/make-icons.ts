// Draws the app icons into public/icons/ (run: npx tsx scripts/make-icons.ts; the PNGs are committed).
// A white wrench on the theme colour, anti-aliased by 4×4 supersampling, written by a minimal PNG encoder
// (RGBA, filter 0, zlib from node:zlib) so no image tool is needed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const THEME: Rgb = [0x0a, 0x5c, 0x7a];
const WHITE: Rgb = [0xff, 0xff, 0xff];
type Rgb = readonly [number, number, number];

interface IconSpec {
  file: string;
  size: number;
  /** glyph scale: maskable icons keep it inside the 80 % safe circle */
  glyph: number;
  /** corner radius as a fraction of the size; 0 = full-bleed square */
  corner: number;
}

const ICONS: IconSpec[] = [
  { file: 'icon-192.png', size: 192, glyph: 1, corner: 0.18 },
  { file: 'icon-512.png', size: 512, glyph: 1, corner: 0.18 },
  { file: 'icon-maskable-512.png', size: 512, glyph: 0.72, corner: 0 },
  { file: 'apple-touch-icon.png', size: 180, glyph: 0.9, corner: 0 },
];

// Signed distances in unit coordinates (the icon spans [-0.5, 0.5]); negative inside.
const circle = (x: number, y: number, cx: number, cy: number, r: number): number => Math.hypot(x - cx, y - cy) - r;
function box(x: number, y: number, cx: number, cy: number, hw: number, hh: number): number {
  const dx = Math.abs(x - cx) - hw;
  const dy = Math.abs(y - cy) - hh;
  return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0);
}
function roundedSquare(x: number, y: number, radius: number): number {
  return box(x, y, 0, 0, 0.5 - radius, 0.5 - radius) - radius;
}

/** An open-end wrench along the 45° diagonal: a head with a jaw, a handle, a ring with a hole. */
function wrench(px: number, py: number, scale: number): number {
  const c = Math.SQRT1_2;
  const x = (px * c + py * c) / scale;
  const y = (-px * c + py * c) / scale;
  const solid = Math.min(circle(x, y, 0, -0.27, 0.15), box(x, y, 0, 0.02, 0.055, 0.27), circle(x, y, 0, 0.3, 0.1));
  const jaw = box(x, y, 0, -0.4, 0.055, 0.13);
  const hole = circle(x, y, 0, 0.3, 0.045);
  return Math.max(solid, -jaw, -hole) * scale;
}

function render(spec: IconSpec): Buffer {
  const { size } = spec;
  const samples = 4;
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let background = 0;
      let glyph = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size - 0.5;
          const y = (py + (sy + 0.5) / samples) / size - 0.5;
          if (spec.corner === 0 || roundedSquare(x, y, spec.corner) <= 0) background++;
          if (wrench(x, y, spec.glyph) <= 0) glyph++;
        }
      }
      const n = samples * samples;
      const g = glyph / n;
      const o = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) rgba[o + i] = Math.round(THEME[i]! * (1 - g) + WHITE[i]! * g);
      rgba[o + 3] = Math.round((background / n) * 255);
    }
  }
  return encodePng(size, size, rgba);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit depth, RGBA, deflate, filter method 0, no interlace
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const outDir = new URL('../public/icons/', import.meta.url);
mkdirSync(outDir, { recursive: true });
for (const spec of ICONS) {
  writeFileSync(new URL(spec.file, outDir), render(spec));
  console.log(`public/icons/${spec.file} ${spec.size}×${spec.size}`);
}
