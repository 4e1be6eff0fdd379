// The small controls every phase uses: the refusal next to a control, a tick box, a step button.
import type { ChecklistItem } from '../../domain/checklist';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { VisitAction } from '../../domain/form-schema';
import { decide } from '../../domain/visit-workflow';
import { useI18n } from '../context';
import { formatRefusalParts } from '../i18n/refusals';
import { useVisit } from './visit-context';

/**
 * The refusal for this control, where the technician is looking (a failed write shows in the visit's
 * sticky bar): what was refused, every item it still waits for — each a link to that item — and the rule.
 * It comes into view as it appears (above the next-action bar, which would otherwise hide it at the foot).
 */
export function Feedback({ target }: { target: string }) {
  const { locale, t } = useI18n();
  const { snapshot, goTo } = useVisit();
  const { refusal, loaded } = snapshot;
  const shown = refusal?.target === target ? refusal : null;
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (shown) box.current?.scrollIntoView({ block: 'nearest' });
  }, [shown]);
  if (!shown) return null;
  const parts = formatRefusalParts(locale, loaded.state.checklist, shown.refusal, true);
  return (
    <div role="alert" class="refusal" ref={box} data-testid={`refusal-${target}`}>
      <p>{parts.sentence}</p>
      {parts.missing.length > 0 && (
        <ul class="missing-list" data-testid={`missing-${target}`}>
          {parts.missing.map((link) => (
            <li key={link.id}>
              <button type="button" class="button-quiet" aria-label={t('refusal.goTo', { item: link.label })} onClick={() => goTo(link.id)} data-testid={`goto-${link.id}`}>
                {link.label}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p>{parts.because}</p>
    </div>
  );
}

export function DoneNote({ itemId }: { itemId: string }) {
  const { t, time } = useI18n();
  const status = useVisit().statuses.get(itemId);
  if (status?.status !== 'done') return null;
  return <span class="done-note">✓ {t('common.doneAt', { time: time(status.at) })}</span>;
}

/**
 * A tick box. The tap shows at once when the rules allow it — checked, marked "saving" (data-pending,
 * a dashed box) — and turns solid when its event is saved; a refused tap never flips, and a write that
 * fails flips back, with the reason beside it or in the visit's bar. Taps while saving are ignored.
 */
export function TickItem({ item }: { item: ChecklistItem }) {
  const { text } = useI18n();
  const { session, statuses, snapshot } = useVisit();
  const status = statuses.get(item.id);
  const done = status?.status === 'done';
  const [pending, setPending] = useState<boolean | null>(null);
  const shown = pending ?? done;
  const toggle = async () => {
    if (pending !== null) return;
    const action: VisitAction = { type: done ? 'untick' : 'tick', item: item.id };
    // the same rules the session applies; a refusal is published by the session, without a flip
    if (decide(snapshot.loaded.state, action).ok) setPending(!done);
    try {
      await session.dispatch(item.id, action);
    } finally {
      setPending(null);
    }
  };
  return (
    <div class={`item ${shown ? 'is-done' : ''} ${status?.status === 'blocked' ? 'is-blocked' : ''}`}>
      <button
        type="button"
        role="checkbox"
        aria-checked={shown}
        aria-busy={pending !== null}
        class="tick"
        onClick={() => void toggle()}
        data-testid={`tick-${item.id}`}
        data-pending={pending !== null}
      >
        <span class="tick-box" aria-hidden="true">{shown ? '✓' : ''}</span>
        <span class="tick-label">{text(item.text)}</span>
      </button>
      <DoneNote itemId={item.id} />
      <Feedback target={item.id} />
    </div>
  );
}

/** A workflow step: a button while open, a done note once done. */
export function StepButton({ item, action, primary = true }: { item: ChecklistItem; action: VisitAction; primary?: boolean }) {
  const { text } = useI18n();
  const { session, statuses, snapshot } = useVisit();
  const done = statuses.get(item.id)?.status === 'done';
  const testId = `step-${item.kind === 'step' ? item.step : item.id}`;
  return (
    <div class={`item ${done ? 'is-done' : ''}`}>
      {done ? (
        <p class="step-done" data-testid={testId} data-done="true">✓ {text(item.text)}</p>
      ) : (
        <button
          type="button"
          class={`button ${primary ? 'button-primary' : ''}`}
          disabled={snapshot.saving}
          onClick={() => void session.dispatch(item.id, action)}
          data-testid={testId}
        >
          {text(item.text)}
        </button>
      )}
      <DoneNote itemId={item.id} />
      <Feedback target={item.id} />
    </div>
  );
}
