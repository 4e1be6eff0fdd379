// A visit: its header, the phase tabs (always visible) and the phase on screen, which follows the
// workflow's current phase as the visit moves on. The state shown is always the saved one.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PastRepair } from '../../domain/api';
import { itemById, PHASES } from '../../domain/checklist';
import type { Holder } from '../../domain/hand-over';
import { currentPhase, itemStatuses, nextRequiredItem, type VisitPhase } from '../../domain/visit-workflow';
import { useI18n, useServices } from '../context';
import '../i18n/screens'; // this screen's messages
import { VisitBrief } from '../components/visit-brief';
import { describeError } from '../errors';
import { setOpenSession } from '../open-session';
import { HandOverScreen } from '../phases/hand-over';
import { PhaseView } from '../phases/phase-view';
import { SealedView } from '../phases/sealed-view';
import { VisitContext, type VisitView } from '../phases/visit-context';
import { useSubscribed } from '../store';
import { createVisitSession, type VisitSession } from '../visit-session';

/**
 * Who holds the phone, kept for the tab's life (sessionStorage): the customer who reloads the page or
 * goes to another screen and back still has their own screen, not the technician's.
 */
const holderKey = (formId: string) => `onsite.holder.${formId}`;
function heldBy(formId: string): Holder {
  try {
    return sessionStorage.getItem(holderKey(formId)) === 'customer' ? 'customer' : 'technician';
  } catch {
    return 'technician';
  }
}
function keepHolder(formId: string, holder: Holder): void {
  try {
    if (holder === 'customer') sessionStorage.setItem(holderKey(formId), holder);
    else sessionStorage.removeItem(holderKey(formId));
  } catch {
    // storage refused (a private window's quota): the hand-over lasts as long as this screen
  }
}

export function VisitScreen({ formId }: { formId: string }) {
  const services = useServices();
  const i18n = useI18n();
  const [session, setSession] = useState<VisitSession | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    services.drafts.load(formId).then(
      (loaded) => {
        if (!live) return;
        const opened = createVisitSession(services.drafts, loaded, () => services.sync.notifySealed(), heldBy(formId));
        opened.subscribe((snapshot) => keepHolder(formId, snapshot.holder));
        setOpenSession(opened);
        setSession(opened);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
      setOpenSession(null);
    };
  }, [formId]);
  if (error) {
    return (
      <section>
        <p role="alert" class="alert">{i18n.t('error.load', { message: describeError(i18n, error) })}</p>
        <a class="button" href="#/">{i18n.t('nav.back')}</a>
      </section>
    );
  }
  if (!session) return <p class="muted" aria-busy="true">{i18n.t('common.loading')}</p>;
  return <OpenVisit session={session} />;
}

/**
 * What the visit as downloaded adds to the draft's header: the dispatcher's notes and the equipment's
 * history (undefined when the visit has none: made on the phone, older server). Nothing while reading.
 */
function useVisitRecord(visitId: string): { notes: string; history?: PastRepair[] } | null {
  const services = useServices();
  const [record, setRecord] = useState<{ notes: string; history?: PastRepair[] } | null>(null);
  useEffect(() => {
    let live = true;
    // this is extra: a failed read leaves it out and never blocks the visit
    services.visits.get(visitId).then((visit) => live && visit && setRecord({ notes: visit.notes, history: visit.history }), () => {});
    return () => {
      live = false;
    };
  }, [visitId]);
  return record;
}

/** An item's control on screen (PhaseView marks each with data-item); undefined while its phase is not shown. */
const itemElement = (itemId: string) => document.querySelector<HTMLElement>(`[data-item="${CSS.escape(itemId)}"]`) ?? undefined;

/** The controls an item's focus may go to: any (a refusal's link, the next-action bar), or only buttons (the screen moving on by itself must not open the keyboard). */
const FOCUSABLE = { any: 'button:not([disabled]), input, textarea, [tabindex]', button: 'button:not([disabled])' } as const;

/**
 * Scrolls to an item and puts the focus on its first control. Scrolled to the middle of what the sticky
 * tabs and the next-action bar leave (the root's scroll padding): never under the bar.
 */
function focusItem(itemId: string, focusable: keyof typeof FOCUSABLE): boolean {
  const element = itemElement(itemId);
  if (!element) return false;
  element.scrollIntoView({ block: 'center' });
  element.querySelector<HTMLElement>(FOCUSABLE[focusable])?.focus({ preventScroll: true });
  return true;
}

/** Whether the technician is typing: the focus is in a text box (moving the screen then would take their place). */
function typing(): boolean {
  const focused = document.activeElement;
  return focused instanceof HTMLTextAreaElement || (focused instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit'].includes(focused.type)) || (focused instanceof HTMLElement && focused.isContentEditable);
}

function OpenVisit({ session }: { session: VisitSession }) {
  const i18n = useI18n();
  const { t, text } = i18n;
  const snapshot = useSubscribed(session.get, session.subscribe);
  const { draft, state } = snapshot.loaded;
  const statuses = useMemo(() => itemStatuses(state), [state]);
  const current = currentPhase(state);
  const [tab, setTab] = useState<VisitPhase>(current);
  // the screen follows the visit: when the current phase moves on, show it
  useEffect(() => setTab(current), [current]);
  // answers shown but not saved yet (typed, a save pending): the visit is not "saved" while there are any
  const [unsaved, setUnsaved] = useState<ReadonlySet<string>>(new Set());
  const markUnsaved = (itemId: string, edited: boolean) =>
    setUnsaved((shown) => {
      if (shown.has(itemId) === edited) return shown;
      const next = new Set(shown);
      if (edited) next.add(itemId);
      else next.delete(itemId);
      return next;
    });
  // an item to show once its phase's tab is drawn
  const [shown, setShown] = useState<{ id: string; focus: keyof typeof FOCUSABLE } | null>(null);
  useEffect(() => {
    if (shown) focusItem(shown.id, shown.focus);
  }, [shown, tab]);
  const goTo = (itemId: string) => {
    const item = itemById(state.checklist, itemId);
    if (!item) return;
    setTab(item.phase);
    setShown({ id: itemId, focus: 'any' });
  };
  // after a step or a test run, what the visit waits for next comes into view when it is on this tab
  // (never after an answer: the technician may still be typing in it). After a step whose phase holds
  // nothing more required while the workflow stays on it (开始维修: the technician's test run is on the
  // 试车 tab), the screen moves on to it by itself — unless the technician is typing somewhere: then the
  // next-action bar names it and they go when they are done.
  const lastAction = state.events.at(-1)?.action.type;
  const next = nextRequiredItem(state);
  const eventsSeen = useRef(state.events.length);
  useEffect(() => {
    const isNew = state.events.length > eventsSeen.current;
    eventsSeen.current = state.events.length;
    if (!next || (lastAction !== 'step' && lastAction !== 'test')) return;
    if (isNew && lastAction === 'step' && tab === current && next.phase !== current && !typing() && unsaved.size === 0) {
      setTab(next.phase);
      setShown({ id: next.id, focus: 'button' });
      return;
    }
    itemElement(next.id)?.scrollIntoView({ block: 'nearest' });
  }, [state.events.length]);
  const view: VisitView = { session, snapshot, statuses, goTo, markUnsaved };
  const tabs: VisitPhase[] = state.sealed ? [...PHASES, 'sealed'] : [...PHASES];
  const lastSaved = state.events.at(-1);
  const record = useVisitRecord(draft.visitId);
  // handed to the customer: their screen alone — no tabs, no technician's control, not the dispatcher's notes
  const handedOver = snapshot.holder === 'customer';

  return (
    <VisitContext.Provider value={view}>
      <article class="visit" aria-labelledby="visit-title">
        <header class="visit-head">
          <h1 id="visit-title">{draft.header.customer.name}</h1>
          <p class="muted">
            {[draft.header.equipment.type, draft.header.equipment.model, draft.header.equipment.serial].filter(Boolean).join(' · ')}
          </p>
          <p class="muted">
            {draft.facts.date} · {draft.visitId}
            {draft.facts.festival ? ` · ${text(draft.facts.festival.name)}` : ''}
          </p>
          {!handedOver && <VisitBrief
            address={draft.header.customer.address}
            phone={draft.header.customer.phone}
            notes={record?.notes ?? ''}
            history={record?.history}
            historyOpen={current === 'prepare' || current === 'arrive'}
          />}
          <p class="save-status" aria-live="polite" data-testid="save-status" data-saving={snapshot.saving} data-unsaved={unsaved.size > 0}>
            {snapshot.saving ? t('common.saving') : unsaved.size > 0 ? t('common.unsavedAnswers') : lastSaved ? `✓ ${t('common.saved')} ${i18n.time(lastSaved.at)}` : ''}
          </p>
        </header>
        {snapshot.failure && (
          <p role="alert" class="alert" data-testid="write-failure">
            {describeError(i18n, snapshot.failure.error)}
            <button type="button" class="button-quiet" onClick={session.dismiss}>{t('banner.dismiss')}</button>
          </p>
        )}
        {handedOver ? <HandOverScreen /> : <>
        <nav class="tabs" role="tablist" aria-label={t('visit.phases')}>
          {tabs.map((phase) => (
            <button
              type="button"
              role="tab"
              id={`tab-${phase}`}
              aria-selected={tab === phase}
              aria-controls="phase-panel"
              class={`tab ${phase === current ? 'tab-current' : ''}`}
              key={phase}
              onClick={() => setTab(phase)}
              data-testid={`phase-tab-${phase}`}
              data-current={phase === current}
            >
              {t(`phase.${phase}`)}
              {phase === current && <span class="visually-hidden"> ({t('visit.current')})</span>}
            </button>
          ))}
        </nav>
        <div id="phase-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} data-testid={`phase-${tab}`}>
          {tab === 'sealed' ? <SealedView /> : <PhaseView phase={tab} />}
        </div>
        </>}
      </article>
    </VisitContext.Provider>
  );
}
