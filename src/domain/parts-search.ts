// Finding parts in the catalog as the technician types, offline: by code or by name, the closest first.
// No zod here: the phone's parts picker imports it.

export interface SearchablePart {
  code: string;
  name: string;
  unit: string;
}

/**
 * How a query and a part are compared: full-width letters and digits as plain ones, lower case, without
 * spaces and the separators codes are written with (- _ . /), so XS1001 finds XS-1001.
 */
export const searchKey = (text: string): string => text.normalize('NFKC').toLowerCase().replace(/[\s\-_./]+/g, '');

/**
 * The parts whose code or name holds the query, best first: the code itself, then codes that begin with
 * it, names that begin with it, codes that hold it, names that hold it; within each, by code. A blank
 * query finds nothing (the picker lists no whole catalog).
 */
export function searchParts<P extends SearchablePart>(parts: readonly P[], query: string, limit = 8): P[] {
  const q = searchKey(query);
  if (q === '') return [];
  const ranked: Array<{ part: P; rank: number }> = [];
  for (const part of parts) {
    const code = searchKey(part.code);
    const name = searchKey(part.name);
    const rank = code === q ? 0 : code.startsWith(q) ? 1 : name.startsWith(q) ? 2 : code.includes(q) ? 3 : name.includes(q) ? 4 : -1;
    if (rank >= 0) ranked.push({ part, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || (a.part.code < b.part.code ? -1 : a.part.code > b.part.code ? 1 : 0));
  return ranked.slice(0, limit).map((r) => r.part);
}
