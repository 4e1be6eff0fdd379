// `npm run import -- FILE…`: each file through the same ingest as the API, a summary per file, and
// every rejected form with its reasons. A file that is not a readable bundle imports nothing.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import type { SubmitResult } from '../../domain/api';
import type { IngestDeps } from '../ingest';
import { bundleForms, checkBundle, ndjsonForms, SourceError, type ByteSource } from './form-sources';
import { importForms } from './import-forms';

export interface ImportIo {
  out(line: string): void;
  err(line: string): void;
}

const isNdjson = (file: string) => /\.(ndjson|jsonl)$/i.test(file);

/** Answers the exit code: 0 when every form landed (accepted, duplicate or conflict), 1 otherwise. */
export async function importFiles(files: readonly string[], deps: IngestDeps, io: ImportIo): Promise<number> {
  const total = { accepted: 0, duplicate: 0, conflict: 0, rejected: 0 };
  let unreadable = 0;
  for (const file of files) {
    io.out(`${file}:`);
    try {
      await access(file);
    } catch {
      io.err(`  not imported: cannot read the file`);
      unreadable++;
      continue;
    }
    const source: ByteSource = () => createReadStream(file, { highWaterMark: 1024 * 1024 });
    try {
      if (!isNdjson(file)) await checkBundle(source);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      io.err(`  not imported: ${error.message}`);
      for (const e of error.errors) io.err(`    ${e.path}: ${e.message}`);
      unreadable++;
      continue;
    }
    const summary = await importForms(deps, isNdjson(file) ? ndjsonForms(source) : bundleForms(source), {
      keepResults: false,
      onResult: (result) => report(result, io),
    });
    io.out(`  accepted ${summary.accepted}, duplicate ${summary.duplicate}, conflict ${summary.conflict}, rejected ${summary.rejected}`);
    for (const key of Object.keys(total) as Array<keyof typeof total>) total[key] += summary[key];
  }
  if (files.length > 1) {
    io.out(`total: accepted ${total.accepted}, duplicate ${total.duplicate}, conflict ${total.conflict}, rejected ${total.rejected}` +
      (unreadable ? `, ${unreadable} file(s) not imported` : ''));
  }
  return total.rejected > 0 || unreadable > 0 ? 1 : 0;
}

function report(result: SubmitResult, io: ImportIo): void {
  const which = `form #${result.index + 1}${result.id ? ` (${result.id})` : ''}`;
  if (result.status === 'rejected') {
    io.err(`  rejected ${which}:`);
    for (const e of result.errors ?? []) io.err(`    ${e.path}: ${e.message}`);
  } else if (result.status === 'conflict') {
    io.out(`  conflict ${which}: another form with this id, sealed differently, was received first; this one is kept aside for the back office`);
  }
}
