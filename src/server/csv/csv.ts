// RFC 4180 CSV: reading what Excel and WPS write (quoted fields, doubled quotes, CRLF or LF, line
// breaks inside quotes), and writing cells a spreadsheet cannot mistake for a formula.

export interface CsvRecord {
  /** 1-based record number, as a spreadsheet numbers its rows (the header is row 1) */
  row: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(readonly row: number, reason: string) {
    super(`CSV row ${row}: ${reason}`);
    this.name = 'CsvSyntaxError';
  }
}

/** Parses CSV text (a leading BOM is dropped); blank lines are skipped. */
export function parseCsv(input: string): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let row = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ row, fields });
    row++;
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' && field === '') {
      // a quoted field: runs to the next quote not doubled
      const startRow = row;
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvSyntaxError(startRow, 'a quoted field is never closed');
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += q;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
        throw new CsvSyntaxError(startRow, 'text after a closing quote; a quote inside a field must be doubled ("")');
      }
      // mark the field as quoted so an empty "" is still a field, then let the separator be handled below
      if (next === undefined) break;
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else if (ch === '"') {
      throw new CsvSyntaxError(row, 'a quote inside an unquoted field; put the field in quotes and double the quote ("")');
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: text is quoted, and text a spreadsheet would run as a formula gets a leading '. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

export function csvLine(cells: ReadonlyArray<string | number | boolean | null>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
