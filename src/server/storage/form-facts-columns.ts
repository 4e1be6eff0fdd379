// The form-facts columns (migration 2), shared by both adapters: their names and values at ingest,
// and the backfill that fills them for rows stored before, from the same formFacts as ingest uses.
import { OFFER_KINDS, type OfferKind } from '../../domain/checklist';
import { formFacts, mondayOf, type FormFacts } from '../../domain/form-facts';
import { columnText } from './rows';

export const OFFER_COLUMNS: Record<OfferKind, string> = {
  cigarette: 'declined_cigarette',
  'food-drink': 'declined_food_drink',
  gift: 'declined_gift',
};

/** In the order of factValues. */
export const FACT_COLUMNS = ['equipment_serial', 'visit_week', 'first_test_failed', 'on_site_ms', ...OFFER_KINDS.map((k) => OFFER_COLUMNS[k])] as const;

/**
 * The columns' values: the facts, and the week of the visit date (the row's own, so the week and the
 * date never disagree). `bool` turns a flag into the dialect's value (0/1 for SQLite, a boolean for PostgreSQL).
 */
export function factValues(facts: FormFacts, visitDate: string, bool: (value: boolean) => unknown): unknown[] {
  return [columnText(facts.equipmentSerial), mondayOf(visitDate), bool(facts.firstTestFailed), facts.onSiteMs, ...OFFER_KINDS.map((k) => facts.declinedOffers[k])];
}

/** `SET equipment_serial = ?, …` for an UPDATE, numbering placeholders from `first`. */
export function factAssignments(placeholder: (n: number) => string, first = 1): string {
  return FACT_COLUMNS.map((column, i) => `${column} = ${placeholder(first + i)}`).join(', ');
}

/** A stored row's facts: its JSON unreadable (never expected) counts as a form with no facts. */
export function factsOfStoredJson(formJson: string): FormFacts {
  let form: unknown = null;
  try {
    form = JSON.parse(formJson);
  } catch {
    // left as null: formFacts answers the empty facts
  }
  return formFacts(form);
}

/** Rows read per step of the backfill: enough to be quick, few enough that the forms' JSON fits in memory. */
export const BACKFILL_PAGE = 200;
