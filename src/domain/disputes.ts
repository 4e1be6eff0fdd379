// Working a dispute (a form flagged with a dispute or a conduct breach) to the end: who has it, its
// thread, the outcome it was resolved with, and how old it is. Pure rules; storage and routes use them.

/** How a dispute ended; the labels are in the back office's dictionaries (disputes.outcome.*). */
export const DISPUTE_OUTCOMES = ['resolved-with-customer', 'compensated', 'no-fault', 'duplicate', 'other'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

/**
 * The outcome given to disputes resolved before outcomes were recorded (migration 4): their note is
 * kept, their outcome is "other".
 */
export const LEGACY_OUTCOME: DisputeOutcome = 'other';

/** What one line of a dispute's thread records. The thread is append-only. */
export const DISPUTE_EVENT_KINDS = ['assigned', 'noted', 'resolved', 'reopened'] as const;
export type DisputeEventKind = (typeof DISPUTE_EVENT_KINDS)[number];

/** "Open for more than 24 h": the list filter a team works its oldest disputes from. */
export const OVERDUE_AFTER_MS = 24 * 60 * 60 * 1000;

export const DISPUTE_NOTE_MAX = 4000;

/** A dispute's age: from when its form was received to its resolution, or to now while it is open; never negative. */
export function disputeAgeMs(receivedAt: string, resolvedAt: string | null, now: Date): number {
  const end = resolvedAt === null ? now.getTime() : Date.parse(resolvedAt);
  const age = end - Date.parse(receivedAt);
  return Number.isFinite(age) && age > 0 ? age : 0;
}

/** The received-at bound of the "open for more than 24 h" filter: forms received before it. */
export function overdueReceivedBefore(now: Date): string {
  return new Date(now.getTime() - OVERDUE_AFTER_MS).toISOString();
}

