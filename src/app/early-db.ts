// first-load bundle: keep it small
// Opens the phone's database the moment the first module runs, so the open overlaps the evaluation of
// the rest of the app (main.tsx imports this module first; ES modules evaluate in import order).
import { openOnsiteDB, type ConnectionClosedReason, type OnsiteDatabase } from '../device/db';

let opening: Promise<OnsiteDatabase> | undefined;
let closed: (reason: ConnectionClosedReason) => void;

/** Settles when the open connection is closed under the page (a newer version in another tab, the browser). */
export const databaseClosed = new Promise<ConnectionClosedReason>((resolve) => (closed = resolve));

/** The database opened at start-up; opened again if the first attempt failed. */
export function earlyDatabase(): Promise<OnsiteDatabase> {
  return (opening ??= openOnsiteDB(undefined, { onClosed: closed }).catch((error: unknown) => {
    opening = undefined;
    throw error;
  }));
}

// observed by main(); a failure here is reported there, with the reason
earlyDatabase().catch(() => undefined);
