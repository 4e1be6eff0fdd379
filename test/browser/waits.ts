// How long browser tests wait. Nothing in them is timed: a wait ends when the event it is about happens
// (a worker installed, an update found, a sync run, a write committed, a page frozen), and its bound is
// only there so that an event that never comes fails the test instead of hanging it. A shared 2-core box
// under load can be many times slower than a desk, so the bounds are generous.

/** The bound on one wait for an event: a locator, a poll, a page event. */
export const EVENT_TIMEOUT_MS = 60_000;

/** The bound on a browser test that names none of its own: a few such waits end to end. */
export const BROWSER_TEST_TIMEOUT_MS = 180_000;
