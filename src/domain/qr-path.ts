// A QR code's modules as one SVG path: each run of dark modules in a row is one rectangle, in module
// units (the SVG's viewBox is the matrix's size). A path with fill, not styles, so it prints crisply
// and passes the pages' Content-Security-Policy (no inline styles).

/** `modules[row][column]` is true for a dark module; every row as long as the matrix is high. */
export function qrPath(modules: readonly (readonly boolean[])[]): string {
  const size = modules.length;
  const parts: string[] = [];
  modules.forEach((row, y) => {
    if (row.length !== size) throw new Error(`qrPath: row ${y} has ${row.length} modules, expected ${size} (a square matrix)`);
    let x = 0;
    while (x < size) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && row[x]) x++;
      parts.push(`M${start} ${y}h${x - start}v1h${start - x}z`);
    }
  });
  return parts.join('');
}
