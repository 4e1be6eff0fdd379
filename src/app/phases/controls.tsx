// The small controls every phase uses: the refusal next to a control, a tick box, a step button.
import type { ChecklistItem } from '../../domain/checklist';
import type { VisitAction } from '../../domain/form-schema';
import { checklist } from '../checklist';
import { useI18n } from '../context';
import { formatRefusal } from '../i18n/refusals';
import { useVisit } from './visit-context';

/** The refusal for this control, where the technician is looking (a failed write shows in the visit's sticky bar). */
export function Feedback({ target }: { target: string }) {
  const { locale } = useI18n();
  const { refusal } = useVisit().snapshot;
  if (refusal?.target !== target) return null;
  return <p role="alert" class="refusal" data-testid={`refusal-${target}`}>{formatRefusal(locale, checklist, refusal.refusal)}</p>;
}

export function DoneNote({ itemId }: { itemId: string }) {
  const { t, time } = useI18n();
  const status = useVisit().statuses.get(itemId);
  if (status?.status !== 'done') return null;
  return <span class="done-note">✓ {t('common.doneAt', { time: time(status.at) })}</span>;
}

export function TickItem({ item }: { item: ChecklistItem }) {
  const { text } = useI18n();
  const { session, statuses } = useVisit();
  const status = statuses.get(item.id);
  const done = status?.status === 'done';
  const toggle = () => void session.dispatch(item.id, { type: done ? 'untick' : 'tick', item: item.id });
  return (
    <div class={`item ${done ? 'is-done' : ''} ${status?.status === 'blocked' ? 'is-blocked' : ''}`}>
      <button type="button" role="checkbox" aria-checked={done} class="tick" onClick={toggle} data-testid={`tick-${item.id}`}>
        <span class="tick-box" aria-hidden="true">{done ? '✓' : ''}</span>
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
