// A spreadsheet file as it was uploaded → a Sheet. The bytes say what the file is (a name or a
// Content-Type can lie: Windows calls every .csv "application/vnd.ms-excel"): a zip is read as .xlsx,
// text as CSV, and anything else is refused with what it looks like and how to save it instead.
import { HttpError } from '../http/errors';
import { decodeCsvText, parseCsvSheet } from './csv-sheet';
import type { Sheet } from './sheet';
import { readXlsxSheet } from './xlsx-sheet';

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);
const ascii = (text: string) => [...text].map((ch) => ch.charCodeAt(0));

const SAVE_AS = 'save it as .xlsx or CSV';
const NOT_SHEETS: ReadonlyArray<{ magic: readonly number[]; what: string; hint: string }> = [
  { magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'a .xls (Excel 97–2003) file, or a password-protected workbook', hint: 'save it as .xlsx or CSV (without a password)' },
  { magic: [0xff, 0xfe], what: 'UTF-16 text (Excel\'s "Unicode text")', hint: 'in Excel, save it as "CSV UTF-8"' },
  { magic: [0xfe, 0xff], what: 'UTF-16 text', hint: 'in Excel, save it as "CSV UTF-8"' },
  { magic: ascii('PK\x05\x06'), what: 'an empty zip archive', hint: SAVE_AS },
  { magic: ascii('%PDF'), what: 'a PDF document', hint: SAVE_AS },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image', hint: SAVE_AS },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image', hint: SAVE_AS },
  { magic: ascii('GIF8'), what: 'a GIF image', hint: SAVE_AS },
  { magic: [0x1f, 0x8b], what: 'a gzip archive', hint: SAVE_AS },
  { magic: ascii('Rar!'), what: 'a RAR archive', hint: SAVE_AS },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive', hint: SAVE_AS },
];

const ZIP = ascii('PK\x03\x04');
const SAMPLE = 4096;

/**
 * Text has no control bytes but tab, line ends and form feed; a file whose first 4 KiB have many is
 * binary (a stray NUL in a cell is the import's to report, with its row and column).
 */
function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, SAMPLE);
  let controls = 0;
  for (const b of sample) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) controls++;
  return controls >= 8 && controls > sample.length / 50;
}

/** Markup where a CSV was expected: some systems export an HTML or XML table and name it .xls. */
function looksLikeMarkup(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 256)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  return head.startsWith('<?xml') || head.startsWith('<html') || head.startsWith('<!doctype') || head.startsWith('<table');
}

export async function readSheet(bytes: Uint8Array): Promise<Sheet> {
  if (bytes.length === 0) throw new HttpError(400, 'bad-request', 'the file is empty (0 bytes): there is nothing to import');
  if (startsWith(bytes, ZIP)) return readXlsxSheet(bytes);
  const known = NOT_SHEETS.find((kind) => startsWith(bytes, kind.magic));
  if (known) throw new HttpError(415, 'unsupported-file', `this looks like ${known.what}; ${known.hint}`);
  if (looksBinary(bytes)) throw new HttpError(415, 'unsupported-file', `this is a binary file, neither CSV text nor an .xlsx workbook; ${SAVE_AS}`);
  if (looksLikeMarkup(bytes)) throw new HttpError(415, 'unsupported-file', `this looks like an HTML or XML file (some systems save these as .xls); open it in Excel and ${SAVE_AS}`);
  const { text, encoding } = decodeCsvText(bytes);
  return parseCsvSheet(text, encoding);
}
