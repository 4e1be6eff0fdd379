// Each form's dispute state in the exports: added after the columns that were there before (CSV) and
// beside the fields that were there before (NDJSON's `server`), so a reader of the older layout reads
// the newer file unchanged. Only columns and fields are ever added, at the end; none is renamed.
import type { FormDisputeState } from '../storage/storage';

/** The CSV's dispute columns, after every column of the first layout. */
export const DISPUTE_CSV_COLUMNS = [
  'disputeStatus', 'disputeAssignee', 'disputeOutcome', 'disputeResolvedBy', 'disputeResolvedAt', 'disputeNotes',
] as const;

/** The cells, in DISPUTE_CSV_COLUMNS order: a form with nothing flagged is `none` with empty cells and 0 notes. */
export function disputeCells(state: FormDisputeState): Array<string | number | null> {
  return [state.status, state.assignee?.name ?? null, state.outcome, state.resolvedBy, state.resolvedAt, state.notes];
}
