// Keyset paging: the server gives the cursor of the next page only, so "previous" walks back a
// stack of the cursors that opened each page so far (the first page opens with none).
export interface PagerState {
  readonly cursors: readonly (string | null)[];
}

export const firstPage: PagerState = { cursors: [null] };

export function currentCursor(state: PagerState): string | null {
  return state.cursors[state.cursors.length - 1] ?? null;
}

export function pageNumber(state: PagerState): number {
  return state.cursors.length;
}

export function hasPrevious(state: PagerState): boolean {
  return state.cursors.length > 1;
}

export function nextPage(state: PagerState, nextCursor: string): PagerState {
  return { cursors: [...state.cursors, nextCursor] };
}

export function previousPage(state: PagerState): PagerState {
  return hasPrevious(state) ? { cursors: state.cursors.slice(0, -1) } : state;
}
