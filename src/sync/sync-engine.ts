// The client sync engine: sends the outbox's due forms to POST /api/v1/forms and applies the server's
// answer to each. The page runs it with its triggers (start(): on start, on `online`, on a timer, after
// each seal); the service worker runs it once on Background Sync. A form leaves the queue only on the
// server's answer for it, so a page that dies mid-request loses nothing: the form is resent and the
// server answers duplicate.
import { API, API_LIMITS, type SubmitResult } from '../domain/api';
import type { OnsiteDatabase, StoredForm } from '../device/db';
import {
  earliestNextAttempt, getSignature, markFailedAttempt, markHeld, markRejected, markSending, markSynced, recoverInterrupted,
  returnToQueue, takeDue,
} from '../device/outbox';
import { apiUrl, defaultSetTimer, type FetchLike, type SetTimer } from './api-client';
import { bytesToBase64 } from '../domain/base64';
import { packBatches, submitBatch, toOutgoing, type OutgoingForm } from './submit-batch';

/** Why a run ended before the outbox was empty. */
export type SyncStop = 'enrollment-needed' | 'offline' | 'server-unavailable' | 'device-error';

export interface SyncReport {
  reason: string;
  /** forms put on the wire, each counted once however often a 413 split resent it */
  sent: number;
  synced: number;
  rejected: number;
  held: number;
  /** forms that got no answer this time and wait for their backoff */
  retrying: number;
  stopped: SyncStop | null;
  /** the last error, for the technician: the server's message or what went wrong on the way */
  error: string | null;
}

export interface SyncState {
  running: boolean;
  enrollmentNeeded: boolean;
  lastReport: SyncReport | null;
}

export interface NetworkSignals {
  isOnline(): boolean;
  /** calls `listener` on every `online` event; returns the unsubscribe */
  onOnline(listener: () => void): () => void;
}

export interface SyncEngineOptions {
  db: OnsiteDatabase;
  fetch: FetchLike;
  /** the server's origin; a function so a changed server URL in the settings takes effect at the next run */
  baseUrl: string | (() => string | Promise<string>);
  getToken: () => string | null | Promise<string | null>;
  now?: () => number;
  random?: () => number;
  setTimer?: SetTimer;
  onChange?: (state: SyncState) => void;
  network?: NetworkSignals;
  /** after a run that could not reach the server: ask the browser to wake the service worker when the network is back (Background Sync) */
  requestWakeUp?: () => Promise<unknown>;
  /** the longest the engine waits between looks at the outbox while forms are queued */
  periodMs?: number;
  /** a request that has not been answered in this time is abandoned (and the forms retried later) */
  requestTimeoutMs?: number;
}

export interface SyncEngine {
  /** sends what is due now; a call while a run is going joins it (and makes it look again before ending) */
  syncNow(reason: string): Promise<SyncReport>;
  /** recovers forms left 'sending' by a crash, syncs, and wires the triggers */
  start(): Promise<SyncReport>;
  stop(): void;
  /** after each seal: send it now */
  notifySealed(): Promise<SyncReport>;
  state(): SyncState;
}

export const SYNC_DEFAULTS = { periodMs: 60_000, requestTimeoutMs: 180_000 } as const;

export function defaultNetworkSignals(): NetworkSignals {
  return {
    isOnline: () => globalThis.navigator?.onLine !== false,
    onOnline(listener) {
      globalThis.addEventListener('online', listener);
      return () => globalThis.removeEventListener('online', listener);
    },
  };
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const setTimer = options.setTimer ?? defaultSetTimer;
  const network = options.network ?? defaultNetworkSignals();
  const periodMs = options.periodMs ?? SYNC_DEFAULTS.periodMs;
  const requestTimeoutMs = options.requestTimeoutMs ?? SYNC_DEFAULTS.requestTimeoutMs;

  let state: SyncState = { running: false, enrollmentNeeded: false, lastReport: null };
  let current: Promise<SyncReport> | null = null;
  let lookAgain = false;
  /** a token the server refused with 401: not sent again, the technician must enroll */
  let refusedToken: string | null = null;
  /** after a run that found the server unreachable, the timer waits at least until then */
  let pausedUntil = 0;
  let started = false;
  let cancelTimer: (() => void) | null = null;
  let unsubscribeOnline: (() => void) | null = null;

  const publish = (change: Partial<SyncState>) => {
    state = { ...state, ...change };
    options.onChange?.(state);
  };

  function syncNow(reason: string): Promise<SyncReport> {
    if (current) {
      lookAgain = true;
      return current;
    }
    current = (async () => {
      publish({ running: true });
      let report = emptyReport(reason);
      try {
        do {
          lookAgain = false;
          report = merge(report, await runOnce(reason));
        } while (lookAgain && report.stopped === null);
      } catch (error) {
        // IndexedDB failed under us (quota, a closed connection): say so, and put back what this run left 'sending' if we still can
        report = { ...report, stopped: 'device-error', error: `the phone's storage failed: ${error instanceof Error ? error.message : String(error)}` };
        pausedUntil = now() + periodMs;
        await recoverInterrupted(db).catch(() => undefined);
      }
      current = null;
      publish({ running: false, lastReport: report, enrollmentNeeded: report.stopped === 'enrollment-needed' });
      if (report.stopped === 'offline' || report.stopped === 'server-unavailable') await options.requestWakeUp?.().catch(() => undefined);
      await schedule().catch(() => undefined);
      return report;
    })();
    return current;
  }

  async function runOnce(reason: string): Promise<SyncReport> {
    const report = emptyReport(reason);
    const token = await options.getToken();
    if (!token || token === refusedToken) {
      return { ...report, stopped: 'enrollment-needed', error: token ? 'the server refused this phone\'s token' : 'this phone is not enrolled' };
    }
    const url = apiUrl(typeof options.baseUrl === 'string' ? options.baseUrl : await options.baseUrl(), API.forms);
    const tried = new Set<string>();
    for (;;) {
      const due = await takeDue(db, now(), API_LIMITS.maxBatch, tried);
      if (due.length === 0) return report;
      for (const form of due) tried.add(form.formId);
      const outgoing = await prepare(due, report);
      for (const batch of packBatches(outgoing, API_LIMITS.maxBodyBytes, API_LIMITS.maxBatch)) {
        const marked = new Set((await markSending(db, batch.map((f) => f.formId))).map((f) => f.formId));
        const live = batch.filter((f) => marked.has(f.formId));
        if (live.length === 0) continue;
        const stopped = await deliver(live, token, url, report);
        publish({}); // the forms' states changed: let the UI re-read its counts
        if (stopped) {
          if (stopped === 'enrollment-needed') refusedToken = token;
          return { ...report, stopped };
        }
      }
    }
  }

  /** The wire form of each due form; a form whose signature bytes are missing cannot be sent and is held. */
  async function prepare(due: readonly StoredForm[], report: SyncReport): Promise<OutgoingForm[]> {
    const outgoing: OutgoingForm[] = [];
    for (const form of due) {
      const signature = await getSignature(db, form.formId);
      if (!signature) {
        if (await markHeld(db, form.formId, 'the signature of this form is missing on this phone')) report.held++;
        continue;
      }
      outgoing.push(toOutgoing({ form: form.form, signaturePng: bytesToBase64(signature.bytes), ...(form.device ? { device: form.device } : {}) }));
    }
    return outgoing;
  }

  /** Sends one batch of 'sending' forms and applies the answer; returns why the run must stop, if it must. */
  async function deliver(batch: OutgoingForm[], token: string, url: string, report: SyncReport): Promise<SyncStop | null> {
    report.sent += batch.length;
    const outcome = await submitBatch({ fetch: options.fetch, url, token, now: now(), batch, timeoutMs: requestTimeoutMs, setTimer });
    const ids = batch.map((f) => f.formId);
    switch (outcome.kind) {
      case 'answered':
        for (const [i, form] of batch.entries()) await apply(form.formId, outcome.answers[i], report);
        return null;
      case 'unauthorized':
        await returnToQueue(db, ids, outcome.error);
        report.error = outcome.error;
        return 'enrollment-needed';
      case 'too-large': {
        if (batch.length === 1) {
          if (await markHeld(db, ids[0]!, outcome.error)) report.held++;
          report.error = outcome.error;
          return null;
        }
        // the server's limit is tighter than ours: halve the batch until each half fits, or a lone form is held
        report.sent -= batch.length;
        const half = Math.ceil(batch.length / 2);
        const stopped = await deliver(batch.slice(0, half), token, url, report);
        if (stopped === null) return deliver(batch.slice(half), token, url, report);
        await returnToQueue(db, ids.slice(half));
        return stopped;
      }
      case 'retry-later': {
        const at = now();
        let earliest = Infinity;
        for (const formId of ids) {
          const form = await markFailedAttempt(db, formId, { now: at, error: outcome.error, random, retryAfterMs: outcome.retryAfterMs ?? undefined });
          if (form) {
            earliest = Math.min(earliest, form.nextAttemptAt);
            report.retrying++;
          }
        }
        report.error = outcome.error;
        pausedUntil = earliest === Infinity ? at : earliest;
        return outcome.offline ? 'offline' : 'server-unavailable';
      }
    }
  }

  async function apply(formId: string, answer: SubmitResult | undefined, report: SyncReport): Promise<void> {
    if (!answer) {
      if (await markFailedAttempt(db, formId, { now: now(), error: 'the server did not answer for this form', random })) report.retrying++;
    } else if (answer.status === 'rejected') {
      if (await markRejected(db, formId, answer.errors ?? [])) report.rejected++;
    } else if (await markSynced(db, formId, answer.status, new Date(now()).toISOString())) {
      report.synced++;
    }
  }

  /** One timer at a time: at the earliest due form (not sooner than minDelay), but never later than periodMs nor before a pause ends. */
  async function schedule(minDelay = 0): Promise<void> {
    cancelTimer?.();
    cancelTimer = null;
    if (!started || state.enrollmentNeeded) return;
    const next = await earliestNextAttempt(db);
    if (next === null || !started || cancelTimer) return;
    const delay = Math.min(periodMs, Math.max(minDelay, next - now(), pausedUntil - now()));
    cancelTimer = setTimer(() => {
      cancelTimer = null;
      // offline: look again a period later; the 'online' event comes sooner if the network does
      if (network.isOnline()) void syncNow('timer');
      else void schedule(periodMs).catch(() => undefined);
    }, delay);
  }

  async function start(): Promise<SyncReport> {
    if (!started) {
      started = true;
      unsubscribeOnline = network.onOnline(() => void syncNow('online'));
      // a storage failure here shows up as the run's device-error just below
      await recoverInterrupted(db).catch(() => undefined);
    }
    return syncNow('start');
  }

  function stop(): void {
    started = false;
    cancelTimer?.();
    cancelTimer = null;
    unsubscribeOnline?.();
    unsubscribeOnline = null;
  }

  return { syncNow, start, stop, notifySealed: () => syncNow('sealed'), state: () => state };
}

function emptyReport(reason: string): SyncReport {
  return { reason, sent: 0, synced: 0, rejected: 0, held: 0, retrying: 0, stopped: null, error: null };
}

function merge(a: SyncReport, b: SyncReport): SyncReport {
  return {
    reason: a.reason,
    sent: a.sent + b.sent,
    synced: a.synced + b.synced,
    rejected: a.rejected + b.rejected,
    held: a.held + b.held,
    retrying: a.retrying + b.retrying,
    stopped: b.stopped,
    error: b.error ?? a.error,
  };
}
