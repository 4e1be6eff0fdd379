// Keyset paging: forward with the server's cursor, back through the stack of cursors seen so far.
import { describe, expect, it } from 'vitest';
import { currentCursor, firstPage, hasPrevious, nextPage, pageNumber, previousPage } from '../../src/backoffice/pager';

describe('pager', () => {
  it('starts at page 1 with no cursor and nothing before it', () => {
    expect(currentCursor(firstPage)).toBeNull();
    expect(pageNumber(firstPage)).toBe(1);
    expect(hasPrevious(firstPage)).toBe(false);
  });

  it('walks forward with each next cursor and back to exactly the cursors it came through', () => {
    const third = nextPage(nextPage(firstPage, 'c2'), 'c3');
    expect(currentCursor(third)).toBe('c3');
    expect(pageNumber(third)).toBe(3);
    const second = previousPage(third);
    expect(currentCursor(second)).toBe('c2');
    expect(hasPrevious(second)).toBe(true);
    const first = previousPage(second);
    expect(currentCursor(first)).toBeNull();
    expect(hasPrevious(first)).toBe(false);
  });

  it('stays on the first page when asked to go before it', () => {
    expect(previousPage(firstPage)).toBe(firstPage);
  });

  it('never changes the state it was given', () => {
    const state = nextPage(firstPage, 'c2');
    nextPage(state, 'c3');
    previousPage(state);
    expect(state.cursors).toEqual([null, 'c2']);
  });
});
