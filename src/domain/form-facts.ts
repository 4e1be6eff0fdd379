// The figures the back office counts over many forms, read once from a sealed form so the database can
// aggregate columns instead of parsing form JSON: the equipment serial, whether the technician's first
// test run failed, the time on site (arrival to seal) and the declined offers by kind.
// Read defensively: the backfill runs it over every stored row, and no row may stop a server starting.
import { OFFER_KINDS, type OfferKind } from './checklist';

/** Bump when what formFacts reads changes; rows holding an older version are computed again. */
export const FORM_FACTS_VERSION = 1;

export interface FormFacts {
  equipmentSerial: string;
  /** the first test run the technician made did not pass */
  firstTestFailed: boolean;
  /**
   * From arrival (the start-visit step) to the seal on the visit's own monotonic clock, which a
   * changed phone clock does not move; null when the form holds no arrival before its seal.
   */
  onSiteMs: number | null;
  declinedOffers: Record<OfferKind, number>;
}

const DAY_MS = 86_400_000;

/** The Monday of the ISO week holding a YYYY-MM-DD date; '' for anything that is not one. */
export function mondayOf(date: unknown): string {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return '';
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) return '';
  return new Date(t - ((new Date(t).getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
}

type Loose = Record<string, unknown>;
const object = (value: unknown): Loose | null => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const wholeMs = (value: unknown): number | null => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null);

export function formFacts(form: unknown): FormFacts {
  const f = object(form) ?? {};
  const serial = object(f.equipment)?.serial;
  const firstTechnicianRun = list(f.testRuns).map(object).find((run) => run?.by === 'technician');
  const declinedOffers = Object.fromEntries(OFFER_KINDS.map((kind) => [kind, 0])) as Record<OfferKind, number>;
  let arrivedMs: number | null = null;
  for (const event of list(f.events).map(object)) {
    const action = object(event?.action);
    if (!action) continue;
    if (action.type === 'step' && action.step === 'start-visit' && arrivedMs === null) arrivedMs = wholeMs(event?.elapsedMs);
    if (action.type === 'offer-declined' && (OFFER_KINDS as readonly unknown[]).includes(action.offer)) declinedOffers[action.offer as OfferKind]++;
  }
  const sealedMs = wholeMs(f.sealedElapsedMs);
  return {
    equipmentSerial: typeof serial === 'string' ? serial : '',
    firstTestFailed: firstTechnicianRun?.passed === false,
    onSiteMs: arrivedMs !== null && sealedMs !== null && sealedMs >= arrivedMs ? sealedMs - arrivedMs : null,
    declinedOffers,
  };
}
