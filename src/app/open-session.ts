// first-load bundle: keep it small
// The visit open on screen, if any, so that an update waits for its pending write before reloading.
import type { VisitSession } from './visit-session';

let open: VisitSession | null = null;

export function setOpenSession(session: VisitSession | null): void {
  open = session;
}

/** Resolves once the open visit (if any) has no write in flight. */
export async function whenSaved(): Promise<void> {
  await open?.idle();
}
