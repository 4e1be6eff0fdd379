// A CSV file → a Sheet: its text decoded as UTF-8 (with or without a BOM) or, when it is not UTF-8,
// as GB18030 (what Excel and WPS save as "CSV" on Chinese Windows), then parsed by csv-parse.
import { CsvError, parse, type InfoRecord } from 'csv-parse/sync';
import { HttpError } from '../http/errors';
import { invalidUtf8Offset, withoutBom } from '../http/body';
import { isBlankRow, type Sheet } from './sheet';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// GB18030 is a superset of GBK and GB2312; Node's full ICU decodes it
const gb18030 = new TextDecoder('gb18030', { fatal: true });

/** The file's text and the encoding it was read in: valid UTF-8 is UTF-8, anything else must be GB18030. */
export function decodeCsvText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  const body = withoutBom(bytes);
  try {
    return { text: utf8.decode(body), encoding: 'utf-8' };
  } catch {
    // not UTF-8: a Chinese Excel's or WPS's own "CSV" is GB18030 (GBK)
  }
  try {
    return { text: gb18030.decode(body), encoding: 'gb18030' };
  } catch {
    throw new HttpError(400, 'invalid-encoding',
      `the CSV file is neither UTF-8 nor GB18030 (GBK) text (the byte at offset ${invalidUtf8Offset(body)} is not UTF-8); in Excel, save it as "CSV UTF-8"`);
  }
}

/** What each csv-parse refusal means to someone who saved the file from a spreadsheet. */
const SYNTAX_REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'text after a closing quote; a quote inside a field must be doubled ("")',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field; put the field in quotes and double the quote ("")',
};

/** Parses CSV text: quoted fields, doubled quotes, line breaks inside quotes, CRLF, LF or CR line ends. */
export function parseCsvSheet(text: string, encoding: Sheet['encoding']): Sheet {
  let records: Array<{ record: string[]; info: InfoRecord }>;
  try {
    // with `info`, each record comes with where it was found (the types know only the plain form)
    records = parse(text, {
      info: true,
      // rows of differing widths are each reported by the import, with their row, not refused as a file
      relax_column_count: true,
      // blank lines are kept so that each record's number is the row a spreadsheet shows it on
      skip_empty_lines: false,
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as typeof records;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // the record being read when the parser stopped: the one after the records it had finished
    const row = (typeof error.records === 'number' ? error.records : 0) + 1;
    const message = `CSV row ${row}: ${SYNTAX_REASONS[error.code] ?? error.message}`;
    throw new HttpError(400, 'bad-request', message, [{ path: `row ${row}`, message }]);
  }
  const rows = records
    .map(({ record, info }) => ({ row: info.records, cells: record }))
    .filter((row) => !isBlankRow(row.cells));
  return { format: 'csv', encoding, rows };
}
