// The open visit as a small state service (Proxx style): the UI dispatches actions, the session asks
// the rules, saves the accepted event and only then publishes the new state. The screen never shows
// a state that is not saved; a refusal or a failed write is published next to the control that caused it.
import type { StoredForm } from '../device/db';
import type { DraftStore, LoadedDraft } from '../device/drafts';
import type { VisitAction } from '../domain/form-schema';
import { holderMay, type Holder } from '../domain/hand-over';
import type { Refusal } from '../domain/visit-workflow';

/** Which control an outcome belongs to, so the message appears next to it. */
export type Target = string;

export interface SessionSnapshot {
  /** the last saved draft and its state */
  readonly loaded: LoadedDraft;
  /** a write is in flight */
  readonly saving: boolean;
  readonly refusal: { readonly target: Target; readonly refusal: Refusal } | null;
  readonly failure: { readonly target: Target; readonly error: Error } | null;
  /** set once the seal's strict transaction has completed */
  readonly sealed: StoredForm | null;
  /** who holds the phone: handed to the customer, only the customer's own answers are taken */
  readonly holder: Holder;
}

export type SessionListener = (snapshot: SessionSnapshot) => void;

export interface VisitSession {
  get(): SessionSnapshot;
  subscribe(listener: SessionListener): () => void;
  /** resolves true once the event is saved and published; false when refused or not saved */
  dispatch(target: Target, action: VisitAction, signaturePng?: Uint8Array): Promise<boolean>;
  seal(target: Target): Promise<boolean>;
  /**
   * Hands the phone to the customer (or back to the technician) once the writes before it are done:
   * from then on every dispatch and the seal are checked against who holds it.
   */
  handTo(holder: Holder): Promise<void>;
  /** resolves when no write is pending (before an update reloads the page) */
  idle(): Promise<void>;
  /** forgets a shown refusal or failure */
  dismiss(): void;
}

/** `holder`: who holds the phone as the session opens (a visit reopened while the customer held it). */
export function createVisitSession(store: Pick<DraftStore, 'append' | 'seal'>, initial: LoadedDraft, onSealed?: (stored: StoredForm) => void, holder: Holder = 'technician'): VisitSession {
  let snapshot: SessionSnapshot = { loaded: initial, saving: false, refusal: null, failure: null, sealed: null, holder };
  const listeners = new Set<SessionListener>();
  // writes run one after another, each against the state the previous one saved
  let queue: Promise<unknown> = Promise.resolve();

  const publish = (next: Partial<SessionSnapshot>) => {
    snapshot = { ...snapshot, ...next };
    for (const listener of listeners) listener(snapshot);
  };

  function enqueue(target: Target, write: (loaded: LoadedDraft) => Promise<{ ok: true; loaded: LoadedDraft; stored?: StoredForm } | { ok: false; refusal: Refusal }>): Promise<boolean> {
    const run = async (): Promise<boolean> => {
      publish({ saving: true });
      try {
        const result = await write(snapshot.loaded);
        if (!result.ok) {
          publish({ saving: false, refusal: { target, refusal: result.refusal }, failure: null });
          return false;
        }
        publish({ saving: false, loaded: result.loaded, refusal: null, failure: null, ...(result.stored ? { sealed: result.stored } : {}) });
        if (result.stored) onSealed?.(result.stored);
        return true;
      } catch (error) {
        publish({ saving: false, refusal: null, failure: { target, error: error instanceof Error ? error : new Error(String(error)) } });
        return false;
      }
    };
    const next = queue.then(run);
    queue = next;
    return next;
  }

  return {
    get: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispatch: (target, action, signaturePng) =>
      enqueue(target, async (loaded) => {
        const allowed = holderMay(loaded.state.checklist, snapshot.holder, action);
        if (!allowed.ok) return allowed;
        const result = await store.append(loaded, action, signaturePng);
        return result.ok ? { ok: true, loaded: result.loaded } : result;
      }),
    seal: (target) =>
      enqueue(target, async (loaded) => {
        const allowed = holderMay(loaded.state.checklist, snapshot.holder, 'seal');
        return allowed.ok ? store.seal(loaded) : allowed;
      }),
    handTo(holder) {
      const next = queue.then(() => publish({ holder, refusal: null, failure: null }));
      queue = next;
      return next;
    },
    idle: () => queue.then(() => undefined),
    dismiss: () => publish({ refusal: null, failure: null }),
  };
}
