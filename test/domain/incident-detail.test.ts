// The one place the detail of a declined offer is written and read back (wire format 1).
import { describe, expect, it } from 'vitest';
import { OFFER_KINDS } from '../../src/domain/checklist';
import { declinedOfferDetail, readDeclinedOfferDetail } from '../../src/domain/incident-detail';

describe('the detail of a declined offer', () => {
  it('is the offer kind alone when there is no note, and kind ": " note otherwise, as forms already sealed carry it', () => {
    expect(declinedOfferDetail('cigarette', '')).toBe('cigarette');
    expect(declinedOfferDetail('food-drink', '一杯茶')).toBe('food-drink: 一杯茶');
  });

  it('reads back the offer and the note it was written from, for every offer kind and hostile notes', () => {
    const notes = ['', '一杯茶', 'tea: green: hot', ': starts with the separator', 'ends with it: ', ' spaced ', 'cigarette', 'gift: food-drink'];
    for (const offer of OFFER_KINDS) {
      for (const note of notes) expect(readDeclinedOfferDetail(declinedOfferDetail(offer, note)), `${offer} / ${note}`).toEqual({ offer, note });
    }
  });

  it('reads a bare separator after the kind as an empty note', () => {
    expect(readDeclinedOfferDetail('gift: ')).toEqual({ offer: 'gift', note: '' });
  });

  it('reads nothing from a detail that names no offer kind it knows', () => {
    for (const detail of ['', 'other', 'other: x', 'cigarettes', 'Cigarette', ' cigarette', 'cigarette:x', ': cigarette', 'food-drink:']) {
      expect(readDeclinedOfferDetail(detail), JSON.stringify(detail)).toBeNull();
    }
  });
});
