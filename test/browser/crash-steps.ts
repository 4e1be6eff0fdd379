// Killing the technician app's page at a chosen moment, and reading back what IndexedDB kept.
// The moment is fixed by the page's own events, or in its own time: the page's main thread is frozen
// (a busy loop) right after the visit's next write transaction's k-th write request has gone to the
// browser, as that transaction's commit is reported, a given time after it begins (a time taken from
// a measured transaction), or a given time after a click; the page reports the freeze on the console,
// and only then is its renderer killed with CDP `Page.crash`. Whatever the page had not committed by
// then dies with it, as in a real crash.
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Draft, StoredForm } from '../../src/device/db';
import type { VisitEvent } from '../../src/domain/form-schema';
import { createVisit } from '../../src/domain/visit-workflow';
import { checklist, completeVisitActions, fakeClock, run, signatureBytes, signatureFor } from '../fixtures/visits';
import { EVENT_TIMEOUT_MS } from './waits';

/** src/device/db.ts DB_NAME (not imported: that module pulls idb into Node) */
const DB_NAME = 'onsite';
const FROZEN = 'onsite-crash-test: frozen';

/**
 * A test that kills and reopens the page fifteen times can take minutes on a busy 2-core box (each
 * reopen cold-starts a renderer and the service worker). Nothing is timed.
 */
export const SWEEP_TIMEOUT_MS = 600_000;

export type CrashMoment =
  /** ms after the visit's next write transaction begins */
  | { afterTransactionMs: number }
  /** right after the k-th write request (add, put, delete) of the visit's next write transaction: it has not committed */
  | { afterWrites: number }
  /** as the visit's next write transaction reports its commit, before the app hears of it: it has committed */
  | { atCommit: true }
  /** ms after the click (or after now, when nothing is clicked) */
  | { afterMs: number };

interface FreezeHook {
  arm(moment: CrashMoment): void;
  /** resolves with how long (page time) the visit's next write transaction took, from its start to its commit */
  nextTransactionMs(): Promise<number>;
}

/**
 * In every page of the context: watches the visit's write transactions (readwrite, including the
 * 'drafts' store: each save and the seal; the outbox's own writes are not watched), and freezes the page
 * at an armed moment. Call before the context opens its pages.
 */
export async function installFreezeHook(context: BrowserContext): Promise<void> {
  await context.addInitScript((frozen: string) => {
    let armed: CrashMoment | null = null;
    let writesLeft = 0;
    const spanWaiters: Array<(ms: number) => void> = [];
    const freeze = () => {
      console.log(frozen);
      for (;;) {
        // the main thread stays here until the renderer is killed
      }
    };
    const isVisitWrite = (tx: IDBTransaction) => tx.mode === 'readwrite' && tx.objectStoreNames.contains('drafts');
    const nativeTransaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      const tx = nativeTransaction.apply(this, args);
      if (!isVisitWrite(tx)) return tx;
      const began = performance.now();
      // registered before the app's own listeners (it gets the transaction from this call), so it runs first
      const freezeAtCommit = armed !== null && 'atCommit' in armed;
      tx.addEventListener('complete', () => {
        spanWaiters.splice(0).forEach((resolve) => resolve(performance.now() - began));
        if (freezeAtCommit) freeze();
      });
      if (armed && 'afterTransactionMs' in armed) setTimeout(freeze, armed.afterTransactionMs);
      if (armed && 'afterWrites' in armed) writesLeft = armed.afterWrites;
      armed = null;
      return tx;
    };
    for (const method of ['add', 'put', 'delete'] as const) {
      const native = IDBObjectStore.prototype[method] as (...args: unknown[]) => IDBRequest;
      (IDBObjectStore.prototype as unknown as Record<string, unknown>)[method] = function (this: IDBObjectStore, ...args: unknown[]) {
        const request = native.apply(this, args);
        if (writesLeft > 0 && isVisitWrite(this.transaction) && --writesLeft === 0) freeze();
        return request;
      };
    }
    const hook: FreezeHook = {
      arm(moment) {
        if ('afterMs' in moment) setTimeout(freeze, moment.afterMs);
        else armed = moment;
      },
      nextTransactionMs: () => new Promise((resolve) => spanWaiters.push(resolve)),
    };
    Object.assign(window, { __onsiteFreezeHook: hook });
  }, FROZEN);
}

/**
 * What starts the write: a click on the control with this test id, or `type` typed into the text box with
 * this test id and the box left (an input event, then a change event, in one task: an answer is saved as
 * the technician leaves its box, so no save after a typing pause can come first).
 */
export type Trigger = string | { testId: string; type: string };

/**
 * Arms `moment`, does `trigger` (null: nothing) and kills the page's renderer once it has frozen;
 * resolves when the page has crashed and is closed. Throws if the page never froze (the action wrote nothing).
 */
export async function crashDuring(context: BrowserContext, page: Page, trigger: Trigger | null, moment: CrashMoment): Promise<void> {
  const cdp = await context.newCDPSession(page);
  const frozen = page.waitForEvent('console', { predicate: (message) => message.text() === FROZEN, timeout: EVENT_TIMEOUT_MS });
  await page.evaluate(({ trigger, moment }) => {
    const hook = (window as unknown as { __onsiteFreezeHook?: FreezeHook }).__onsiteFreezeHook;
    if (!hook) throw new Error('the freeze hook is not installed in this page (installFreezeHook before opening it)');
    const testId = trigger === null ? null : typeof trigger === 'string' ? trigger : trigger.testId;
    const target = testId === null ? null : document.querySelector(`[data-testid="${CSS.escape(testId)}"]`);
    if (testId !== null && !(target instanceof HTMLElement)) throw new Error(`nothing with data-testid="${testId}" to click`);
    hook.arm(moment);
    if (trigger !== null && typeof trigger === 'object') {
      const box = target as HTMLInputElement;
      box.value = trigger.type;
      box.dispatchEvent(new Event('input', { bubbles: true }));
      box.dispatchEvent(new Event('change', { bubbles: true }));
    } else (target as HTMLElement | null)?.click();
  }, { trigger, moment });
  await frozen;
  const crashed = page.waitForEvent('crash');
  // the renderer dies before it can answer
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;
  await page.close();
}

/** Does `trigger` and resolves how long the visit's write transaction took, from its start to its commit (page time). */
export function measureTransactionMs(page: Page, trigger: Trigger): Promise<number> {
  return page.evaluate(async (trigger) => {
    const hook = (window as unknown as { __onsiteFreezeHook?: FreezeHook }).__onsiteFreezeHook;
    if (!hook) throw new Error('the freeze hook is not installed in this page (installFreezeHook before opening it)');
    const testId = typeof trigger === 'string' ? trigger : trigger.testId;
    const target = document.querySelector(`[data-testid="${CSS.escape(testId)}"]`);
    if (!(target instanceof HTMLElement)) throw new Error(`nothing with data-testid="${testId}" to click`);
    const span = hook.nextTransactionMs();
    if (typeof trigger === 'object') {
      const box = target as HTMLInputElement;
      box.value = trigger.type;
      box.dispatchEvent(new Event('input', { bubbles: true }));
      box.dispatchEvent(new Event('change', { bubbles: true }));
    } else target.click();
    return span;
  }, trigger);
}

/** A kill moment and what a reopen must find: the action's writes not there, there, or either (whole, in both cases). */
export interface Kill {
  moment: CrashMoment;
  outcome: 'before' | 'after' | 'either';
}

/**
 * `count` kills of one kind of save: the first after its first write request (nothing is committed:
 * before), the last as its commit is reported (after), and between them kills at times after the
 * transaction begins, from 0 to half as long again as its measured span (either). The first and last
 * are fixed by the transaction's own events, so every sweep sees both outcomes, however fast the
 * machine; the timed ones land wherever this machine's speed puts them.
 */
export function killsAcross(spanMs: number, count: number): Kill[] {
  const timed = count - 2;
  return [
    { moment: { afterWrites: 1 }, outcome: 'before' },
    ...Array.from({ length: timed }, (_, i): Kill => ({ moment: { afterTransactionMs: Math.round((i * 1.5 * spanMs) / (timed - 1)) }, outcome: 'either' })),
    { moment: { atCommit: true }, outcome: 'after' },
  ];
}

/** Checks a reopen's outcome against what the kill's moment allows. */
export function expectOutcome(kill: Kill, saved: boolean): void {
  if (kill.outcome !== 'either') expect(saved ? 'after' : 'before', `killed at ${JSON.stringify(kill.moment)}`).toBe(kill.outcome);
}

/** A new page of the context at `url`, once the app has drawn its first screen. */
export async function reopen(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('#app > *').first().waitFor();
  return page;
}

/** Every record the app keeps for one visit's form, as IndexedDB holds it. */
export interface DraftRecords {
  draft: Draft | undefined;
  events: VisitEvent[];
  /** the event records' keys, in key order */
  seqs: number[];
  form: StoredForm | undefined;
  signature: { sha256: string; byteLength: number; mime: string } | undefined;
}

/** Reads a visit's records straight from IndexedDB ('drafts', 'draftEvents', 'forms', 'signatures'), in one transaction. */
export function readDraftRecords(page: Page, formId: string): Promise<DraftRecords> {
  return page.evaluate(
    async ({ name, formId }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        const tx = db.transaction(['drafts', 'draftEvents', 'forms', 'signatures'], 'readonly');
        const read = <T>(request: IDBRequest) =>
          new Promise<T>((resolve, reject) => {
            request.onsuccess = () => resolve(request.result as T);
            request.onerror = () => reject(request.error);
          });
        const [draft, eventRecords, form, signature] = await Promise.all([
          read<Draft | undefined>(tx.objectStore('drafts').get(formId)),
          read<Array<{ seq: number; event: VisitEvent }>>(tx.objectStore('draftEvents').getAll(IDBKeyRange.bound([formId, 0], [formId, Infinity]))),
          read<StoredForm | undefined>(tx.objectStore('forms').get(formId)),
          read<{ sha256: string; bytes: ArrayBuffer; mime: string } | undefined>(tx.objectStore('signatures').get(formId)),
        ]);
        return {
          draft,
          events: eventRecords.map((record) => record.event),
          seqs: eventRecords.map((record) => record.seq),
          form,
          signature: signature && { sha256: signature.sha256, byteLength: signature.bytes.byteLength, mime: signature.mime },
        };
      } finally {
        db.close();
      }
    },
    { name: DB_NAME, formId },
  );
}

const isSeal = (event: VisitEvent | undefined) => event?.action.type === 'step' && event.action.step === 'seal';

/**
 * The records of one form are whole: the draft is there, its event log has no gap, the draft record
 * moved with its last event, and sealed ⇔ a seal event ⇔ a form in the outbox holding exactly this
 * log, whose signature bytes are on the phone.
 */
export function expectWhole(records: DraftRecords): void {
  const { draft, events, seqs, form, signature } = records;
  expect(draft, 'the draft record').toBeDefined();
  expect(seqs, 'event records are keyed 0…n-1 with no gap').toEqual(events.map((_, i) => i));
  expect(events.map((event) => event.seq), "each event's own seq is its key").toEqual(seqs);
  const last = events.at(-1);
  if (last) expect({ updatedAt: draft!.updatedAt, elapsedBaseMs: draft!.elapsedBaseMs }, 'the draft record was saved with its last event').toEqual({ updatedAt: last.at, elapsedBaseMs: last.elapsedMs });
  else expect(draft!.updatedAt, 'a draft with no events is as created').toBe(draft!.createdAt);
  expect({ sealed: draft!.sealed, inOutbox: form !== undefined }, 'sealed and in the outbox, or neither').toEqual({ sealed: isSeal(last), inOutbox: isSeal(last) });
  if (form) {
    expect(form.form.events, 'the sealed form holds the whole log').toEqual(events);
    expect(signature, 'a sealed form has its signature bytes').toMatchObject({ sha256: form.form.signature.sha256, byteLength: form.form.signature.byteLength, mime: 'image/png' });
  }
}

/**
 * Copies a draft's records (draft, events, signature) under a new form id, in one transaction, and
 * returns the new id: a visit walked once to the seal can be sealed many times over.
 */
export function cloneDraft(page: Page, formId: string): Promise<string> {
  return page.evaluate(
    async ({ name, formId }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        const tx = db.transaction(['drafts', 'draftEvents', 'signatures'], 'readwrite');
        const read = <T>(request: IDBRequest) => new Promise<T>((resolve) => void (request.onsuccess = () => resolve(request.result as T)));
        const [draft, events, signature] = await Promise.all([
          read<Draft>(tx.objectStore('drafts').get(formId)),
          read<Array<{ formId: string }>>(tx.objectStore('draftEvents').getAll(IDBKeyRange.bound([formId, 0], [formId, Infinity]))),
          read<{ formId: string } | undefined>(tx.objectStore('signatures').get(formId)),
        ]);
        const copy = crypto.randomUUID();
        tx.objectStore('drafts').add({ ...draft, formId: copy, header: { ...draft.header, formId: copy } });
        for (const record of events) tx.objectStore('draftEvents').add({ ...record, formId: copy });
        if (signature) tx.objectStore('signatures').add({ ...signature, formId: copy });
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onabort = () => reject(tx.error);
        });
        return copy;
      } finally {
        db.close();
      }
    },
    { name: DB_NAME, formId },
  );
}

/** Waits until the form has left 'sending' (a page that starts puts an interrupted send back in the queue) and returns the records. */
export async function settledRecords(page: Page, formId: string): Promise<DraftRecords> {
  let records = await readDraftRecords(page, formId);
  await expect
    .poll(async () => (records = await readDraftRecords(page, formId)).form?.status, { timeout: EVENT_TIMEOUT_MS })
    .not.toBe('sending');
  return records;
}

/**
 * Fills an open draft up to the seal without walking the screens: the events of a complete visit, all
 * but the seal, made by the real rules engine for the draft's own facts, and the signature's bytes,
 * written as the app writes them (a record per event, the draft record with its last event) in one
 * transaction. Reload the page to see it.
 */
export async function seedSignedDraft(page: Page, formId: string): Promise<void> {
  const { draft } = await readDraftRecords(page, formId);
  if (!draft) throw new Error(`no draft ${formId} to fill`);
  const bytes = signatureBytes();
  const described = await signatureFor(bytes);
  const actions = completeVisitActions(draft.facts, described).slice(0, -1);
  const { events } = run(createVisit(checklist, draft.facts), actions, fakeClock(new Date(Date.now() - 60_000).toISOString()));
  const signature = { formId, bytes: [...bytes], mime: 'image/png', sha256: described.sha256 };
  const last = events.at(-1)!;
  await page.evaluate(
    async ({ name, draft, events, signature }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = db.transaction(['drafts', 'draftEvents', 'signatures'], 'readwrite');
      for (const event of events) tx.objectStore('draftEvents').add({ formId: draft.formId, seq: event.seq, event });
      tx.objectStore('drafts').put(draft);
      tx.objectStore('signatures').put({ ...signature, bytes: new Uint8Array(signature.bytes).buffer });
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(tx.error);
      });
      db.close();
    },
    { name: DB_NAME, draft: { ...draft, updatedAt: last.at, elapsedBaseMs: last.elapsedMs }, events, signature },
  );
}
