// The back office keeps nothing of the session in the page: it lives in an HttpOnly cookie, and the
// page asks the server (GET /api/v1/session) who is signed in. Only small preferences use storage.

/** Storage can be switched off or full: the page still works, it just forgets the preference. */
export function quietly<T>(action: () => T, fallback: T): T {
  try {
    return action();
  } catch {
    return fallback;
  }
}
