// A spreadsheet's header row read against the columns an import takes: which column is where, under
// the header the file gives it (what the row errors name), and one 400 naming every missing, unknown
// or repeated column. Shared by the visits and the parts-catalog imports.
import { badRequest } from '../http/errors';
import { columnLetters, type SheetRow } from './sheet';

export interface ColumnSpec {
  zh: string;
  required: boolean;
}

/** Where each column is in this file, and the header the file gives it. */
export interface Layout<C extends string> {
  index: Partial<Record<C, number>>;
  headers: string[];
}

export interface HeaderReader<C extends string> {
  /** "the header row must name the columns …": said with every header problem and for an empty file */
  rule: string;
  read(header: SheetRow): Layout<C>;
}

export function headerReader<C extends string>(columns: readonly C[], specs: Record<C, ColumnSpec>, columnOfHeader: (name: string) => C | null): HeaderReader<C> {
  const named = (column: C) => `${column} (${specs[column].zh})`;
  const required = columns.filter((c) => specs[c].required);
  const optional = columns.filter((c) => !specs[c].required);
  const rule = `the header row must name the columns ${required.map(named).join(', ')}, and may name ${optional.map(named).join(', ')}`;
  return {
    rule,
    read(header) {
      const headers = header.cells.map((cell) => cell.trim());
      const index: Partial<Record<C, number>> = {};
      const unknown: string[] = [];
      const repeated: C[] = [];
      headers.forEach((name, i) => {
        const column = columnOfHeader(name);
        if (column === null) unknown.push(name === '' ? `"" (column ${columnLetters(i)} has no name)` : JSON.stringify(name));
        else if (index[column] !== undefined) repeated.push(column);
        else index[column] = i;
      });
      const missing = required.filter((c) => index[c] === undefined);
      if (missing.length || unknown.length || repeated.length) {
        const problems = [
          missing.length ? `missing ${missing.map(named).join(', ')}` : '',
          unknown.length ? `unknown ${unknown.join(', ')}` : '',
          repeated.length ? `repeated ${repeated.join(', ')}` : '',
        ].filter(Boolean).join('; ');
        throw badRequest(`${rule} (row ${header.row}: ${problems})`);
      }
      return { index, headers };
    },
  };
}
