// The messages the page may send the service worker; anything else is ignored. The bridge sends
// SKIP_WAITING through workbox-window (messageSkipWaiting). (The Background Sync tag is src/sync's.)

/**
 * SKIP_WAITING: the page agreed to an update (the technician tapped "reload"); the waiting worker takes over.
 * GET_BUILD_ID: which build is this worker? Answered on the message's port as `{ buildId }`.
 */
export type PageMessage = { type: 'SKIP_WAITING' } | { type: 'GET_BUILD_ID' };

const PAGE_MESSAGE_TYPES: ReadonlySet<string> = new Set<PageMessage['type']>(['SKIP_WAITING', 'GET_BUILD_ID']);

/** The message, or null for anything else (another library's message, a malformed post): ignored, never thrown on. */
export function readPageMessage(data: unknown): PageMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const type = (data as { type?: unknown }).type;
  return typeof type === 'string' && PAGE_MESSAGE_TYPES.has(type) ? ({ type } as PageMessage) : null;
}
