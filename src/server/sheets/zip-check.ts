// Looks inside a zip before anything unpacks it for real: how many entries, how large they unpack
// (the sizes the directory declares are checked against the bytes inflated, by yauzl), and how many
// cells its worksheets hold, so a small file that unpacks into gigabytes (a zip bomb) is refused.
import yauzl from 'yauzl';
import { HttpError } from '../http/errors';

export const ZIP_LIMITS = {
  maxEntries: 1000,
  /** all entries together, unpacked */
  maxUnpackedBytes: 32 * 1024 * 1024,
  /** cells in all worksheets together: 200,000 is some 18,000 visits of 11 columns */
  maxCells: 200_000,
};

export interface ZipContents {
  names: Set<string>;
  unpackedBytes: number;
  cells: number;
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
const WORKSHEET = /^xl\/worksheets\/[^/]+\.xml$/;
// a cell element, with or without a namespace prefix: <c r="A1" …>, <c/>, <x:c …>
const CELL_TAG = /<(?:[A-Za-z_][\w.-]*:)?c[\s/>]/g;

function tooLarge(what: string): HttpError {
  return new HttpError(413, 'payload-too-large', `the .xlsx file ${what}; split the visits into several files`);
}

/** Reads every entry once (discarding it), counting; refuses a damaged zip or one past ZIP_LIMITS. */
export async function checkZip(bytes: Uint8Array, limits = ZIP_LIMITS): Promise<ZipContents> {
  const contents: ZipContents = { names: new Set(), unpackedBytes: 0, cells: 0 };
  let zip: yauzl.ZipFile | undefined;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true, validateEntrySizes: true, strictFileNames: false, autoClose: false,
    });
    if (zip.entryCount > limits.maxEntries) throw tooLarge(`holds ${zip.entryCount} parts (at most ${limits.maxEntries} are read)`);
    for await (const entry of zip.eachEntry()) {
      contents.names.add(entry.fileName);
      contents.unpackedBytes += entry.uncompressedSize;
      if (contents.unpackedBytes > limits.maxUnpackedBytes) throw tooLarge(`unpacks to more than ${mib(limits.maxUnpackedBytes)}`);
      if (entry.fileName.endsWith('/')) continue;
      const stream = await zip.openReadStreamPromise(entry);
      const countCells = WORKSHEET.test(entry.fileName);
      let carry = '';
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (!countCells) continue;
        let text = carry + chunk.toString('latin1');
        // a tag cut by the chunk's end is counted with the next chunk
        const cut = text.lastIndexOf('<');
        carry = cut !== -1 && text.indexOf('>', cut) === -1 ? text.slice(cut, cut + 64) : '';
        if (carry) text = text.slice(0, cut);
        contents.cells += text.match(CELL_TAG)?.length ?? 0;
        if (contents.cells > limits.maxCells) {
          stream.destroy();
          throw tooLarge(`holds more than ${limits.maxCells.toLocaleString('en')} cells`);
        }
      }
    }
    return contents;
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, 'unreadable-xlsx', `the .xlsx file is damaged or cut short (${reason}); open it in Excel and save it again`);
  } finally {
    zip?.close();
  }
}
