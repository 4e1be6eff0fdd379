// The foot of every phase, in the same place within reach of a thumb: what the visit waits for next,
// one tap away — on this phase's tab or, when it is on another one, with that tab named; then it is held
// at the foot of the screen (sticky), since nothing on this tab is left to do before it.
import type { Phase } from '../../domain/checklist';
import { nextRequiredItem } from '../../domain/visit-workflow';
import { useI18n } from '../context';
import { useVisit } from './visit-context';

export function NextAction({ phase }: { phase: Phase }) {
  const { t, text } = useI18n();
  const { snapshot, goTo } = useVisit();
  const next = nextRequiredItem(snapshot.loaded.state);
  if (!next) return null;
  const elsewhere = next.phase !== phase;
  return (
    <div class={`next-action ${elsewhere ? 'next-action-held' : ''}`}>
      <button
        type="button"
        class={`button button-large ${elsewhere ? 'button-primary' : ''}`}
        onClick={() => goTo(next.id)}
        data-testid="next-action"
        data-next={next.id}
      >
        {elsewhere ? t('visit.nextElsewhere', { item: text(next.text), phase: t(`phase.${next.phase}`) }) : t('visit.next', { item: text(next.text) })}
      </button>
    </div>
  );
}
