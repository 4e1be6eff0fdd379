// Imports forms read from a file through the same ingest as the API, in groups of GROUP forms per
// commit. A group is one transaction, so a failure mid-file leaves each form either fully in or not at all.
import type { ImportSummary, SubmitResult } from '../../domain/api';
import { checkSubmission, land, type CheckedSubmission, type IngestDeps } from '../ingest';
import type { FormItem } from './form-sources';

const GROUP = 100;

export interface ImportOptions {
  /** called with each form's answer, in file order, once it has landed */
  onResult?: (result: SubmitResult) => void;
  /** keep every answer in the summary (the API does); a CLI importing 20,000 forms keeps only counts */
  keepResults: boolean;
}

export async function importForms(deps: IngestDeps, items: AsyncIterable<FormItem>, options: ImportOptions): Promise<ImportSummary> {
  const summary: ImportSummary = { accepted: 0, duplicate: 0, conflict: 0, rejected: 0, results: [] };
  let group: CheckedSubmission[] = [];
  const flush = async () => {
    for (const result of await land(deps, group)) {
      summary[result.status]++;
      if (options.keepResults) summary.results.push(result);
      options.onResult?.(result);
    }
    group = [];
  };
  for await (const item of items) {
    group.push('error' in item
      ? { index: item.index, rejected: { index: item.index, id: null, status: 'rejected', errors: [item.error] } }
      : await checkSubmission(deps, item.value, item.index, { kind: 'import' }, deps.now()));
    if (group.length >= GROUP) await flush();
  }
  await flush();
  return summary;
}
