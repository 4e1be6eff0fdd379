// The `detail` of a declined offer's incident, as the sealed form (wire format 1) carries it: the offer's
// kind, then ": " and the technician's note when there is one. The engine writes it here and only here;
// it is read back here and only here, for an incident that comes without the event that logged it.
import { OFFER_KINDS, type OfferKind } from './checklist';

const SEPARATOR = ': ';

export function declinedOfferDetail(offer: OfferKind, note: string): string {
  return note ? `${offer}${SEPARATOR}${note}` : offer;
}

const isOfferKind = (text: string): text is OfferKind => (OFFER_KINDS as readonly string[]).includes(text);

/**
 * The offer and the note a detail was written from, or null when it was not written by
 * declinedOfferDetail (an unknown offer kind). The offer's kind never holds ": ", so the first one
 * ends it and the note keeps any later ones.
 */
export function readDeclinedOfferDetail(detail: string): { offer: OfferKind; note: string } | null {
  const end = detail.indexOf(SEPARATOR);
  const offer = end === -1 ? detail : detail.slice(0, end);
  if (!isOfferKind(offer)) return null;
  return { offer, note: end === -1 ? '' : detail.slice(end + SEPARATOR.length) };
}
