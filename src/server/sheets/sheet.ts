// A spreadsheet read into text: what the visits import works on, whether it came as CSV or as .xlsx.

export type SheetFormat = 'csv' | 'xlsx';

export interface SheetRow {
  /** the row's number as the spreadsheet shows it (the header is usually row 1) */
  row: number;
  /** each cell's text, as a CSV of the same sheet would hold it */
  cells: string[];
  /** cells that could not be read as text (an .xlsx error value, a formula without a saved result), by index */
  unreadable?: ReadonlyArray<{ index: number; message: string }>;
}

export interface Sheet {
  format: SheetFormat;
  /** how the text was encoded: the CSV's encoding, or 'xlsx' */
  encoding: 'utf-8' | 'gb18030' | 'xlsx';
  /** the non-blank rows, in order */
  rows: SheetRow[];
}

/** A row whose every cell is empty or spaces: a blank line, or a formatted but empty spreadsheet row. */
export const isBlankRow = (cells: readonly string[]): boolean => cells.every((cell) => cell.trim() === '');

/** A column's letters as a spreadsheet names it: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
