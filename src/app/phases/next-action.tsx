// The foot of every phase, in the same place within reach of a thumb: what the visit waits for next,
// one tap away — on this phase's tab or, when it is on another one, with that tab named. It is a bar
// fixed to the bottom of the screen (above the phone's home indicator); it says how tall it is
// (--next-action-height on the page's root), so the phase is padded by as much and a control scrolled
// to (a refusal's link, the next item, the signature pad) comes to rest above the bar, never under it.
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Phase } from '../../domain/checklist';
import { nextRequiredItem } from '../../domain/visit-workflow';
import { useI18n } from '../context';
import { useVisit } from './visit-context';

const HEIGHT = '--next-action-height';

/** Keeps --next-action-height on the root equal to the bar's height while it is on screen. */
function useHeightOnRoot(bar: { current: HTMLElement | null }, shown: boolean): void {
  useLayoutEffect(() => {
    const element = bar.current;
    if (!shown || !element) return;
    const root = document.documentElement;
    const publish = () => root.style.setProperty(HEIGHT, `${Math.ceil(element.getBoundingClientRect().height)}px`);
    publish();
    const observer = new ResizeObserver(publish);
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.removeProperty(HEIGHT);
    };
  }, [shown]);
}

export function NextAction({ phase }: { phase: Phase }) {
  const { t, text } = useI18n();
  const { snapshot, goTo } = useVisit();
  const bar = useRef<HTMLDivElement>(null);
  const next = nextRequiredItem(snapshot.loaded.state);
  useHeightOnRoot(bar, next !== undefined);
  if (!next) return null;
  const elsewhere = next.phase !== phase;
  return (
    <div class="next-action" ref={bar} data-testid="next-action-bar">
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
