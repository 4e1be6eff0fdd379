// What the phase views share: the session, its saved snapshot and every item's status.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ItemStatus } from '../../domain/visit-workflow';
import type { SessionSnapshot, VisitSession } from '../visit-session';

export interface VisitView {
  session: VisitSession;
  snapshot: SessionSnapshot;
  statuses: ReadonlyMap<string, ItemStatus>;
  /** shows an item: its phase's tab, scrolled to and focused (a refusal's link to what is missing) */
  goTo(itemId: string): void;
  /** an answer control says whether it shows something not saved yet, so the visit's saved indicator stays true */
  markUnsaved(itemId: string, unsaved: boolean): void;
}

export const VisitContext = createContext<VisitView | null>(null);

export function useVisit(): VisitView {
  const view = useContext(VisitContext);
  if (!view) throw new Error('useVisit outside <VisitContext.Provider>');
  return view;
}
