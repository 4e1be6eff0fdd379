// Writing CSV cells a spreadsheet cannot mistake for a formula, with csv-stringify: text always
// quoted, numbers and booleans bare, CRLF line ends. (Reading CSV is ../sheets/csv-sheet.ts.)
import { stringify, type Options } from 'csv-stringify/sync';

type Cell = string | number | boolean | null;

const OPTIONS: Options = {
  quoted_string: true,
  // a cell beginning with = + - @ tab or CR gets a leading ', so Excel shows it instead of running it
  escape_formulas: true,
  record_delimiter: '\r\n',
  cast: {
    boolean: (value) => (value ? 'true' : 'false'),
    number: (value) => (Number.isFinite(value) ? String(value) : ''),
  },
};

export function csvLine(cells: readonly Cell[]): string {
  return stringify([[...cells]], OPTIONS);
}

/** One CSV cell: text is quoted, and text a spreadsheet would run as a formula gets a leading '. */
export function csvCell(value: Cell): string {
  return csvLine([value]).slice(0, -2);
}
