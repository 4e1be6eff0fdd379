// 三必须②: the technician's test run, then the customer's; a failed one goes back to the repair.
import { useState } from 'preact/hooks';
import type { ChecklistItem } from '../../domain/checklist';
import { useI18n } from '../context';
import { DoneNote, Feedback } from './controls';
import { useVisit } from './visit-context';

export function TestRunForm({ item, by }: { item: ChecklistItem; by: 'technician' | 'customer' }) {
  const { t, text } = useI18n();
  const { session, statuses, snapshot } = useVisit();
  const [passed, setPassed] = useState<boolean | null>(null);
  const [note, setNote] = useState('');
  const done = statuses.get(item.id)?.status === 'done';
  const record = async () => {
    if (passed === null) return;
    if (await session.dispatch(item.id, { type: 'test', by, passed, note })) {
      // the form starts afresh for the next run, but a note typed while this one was saving stays
      setPassed(null);
      setNote((shown) => (shown === note ? '' : shown));
    }
  };
  return (
    <fieldset class={`item field ${done ? 'is-done' : ''}`} data-testid={`test-${by}`}>
      <legend class="field-label" id={`test-${by}-label`}>{text(item.text)}</legend>
      {done ? (
        <DoneNote itemId={item.id} />
      ) : (
        <>
          <div role="radiogroup" aria-labelledby={`test-${by}-label`} class="choice-row">
            {([true, false] as const).map((value) => (
              <button
                type="button"
                role="radio"
                aria-checked={passed === value}
                class={`choice ${value ? '' : 'choice-warn'}`}
                key={String(value)}
                onClick={() => setPassed(value)}
                aria-label={t('a11y.which', { which: text(item.text), what: t(value ? 'test.passed' : 'test.failed') })}
                data-testid={`test-${by}-${value ? 'passed' : 'failed'}`}
              >
                {t(value ? 'test.passed' : 'test.failed')}
              </button>
            ))}
          </div>
          <label class="field-label" for={`test-${by}-note`}>{t('test.note')}</label>
          <textarea id={`test-${by}-note`} aria-label={t('a11y.which', { which: text(item.text), what: t('test.note') })} class="input" rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} data-testid={`test-${by}-note`} />
          <button type="button" class="button button-primary" disabled={passed === null || snapshot.saving} onClick={() => void record()} aria-label={t('a11y.which', { which: text(item.text), what: t('test.record') })} data-testid={`test-${by}-record`}>
            {t('test.record')}
          </button>
        </>
      )}
      <Feedback target={item.id} />
    </fieldset>
  );
}

export function TestHistory() {
  const { t, time } = useI18n();
  const { state } = useVisit().snapshot.loaded;
  if (state.testRuns.length === 0) return null;
  const last = state.testRuns.at(-1)!;
  const backToRepair = last.by === 'customer' && !last.passed;
  return (
    <section class="history">
      {backToRepair && <p class="notice" data-testid="back-to-repair">{t('test.backToRepair')}</p>}
      <h3>{t('test.history')}</h3>
      <ol class="timeline" data-testid="test-history">
        {state.testRuns.map((run, i) => (
          <li key={i} class={run.passed ? '' : 'warn'}>
            <time dateTime={run.at}>{time(run.at)}</time> {t(`test.by.${run.by}`)} · {t('test.round', { round: run.round })} ·{' '}
            <strong>{t(run.passed ? 'test.passed' : 'test.failed')}</strong>
            {run.note && <span> — {run.note}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
