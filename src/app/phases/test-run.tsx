// 三必须②: the technician's test run, then the customer's; a failed one goes back to the repair.
import { useState } from 'preact/hooks';
import type { ChecklistItem } from '../../domain/checklist';
import { useI18n } from '../context';
import { DoneNote, Feedback } from './controls';
import { useVisit } from './visit-context';

/**
 * One test run's block. A pass is one tap (通过 records it, with the note if one was typed first); a
 * failure takes a second tap to confirm (it sends a customer's run back to the repair and stays on the
 * form), with the note box right under it for what failed.
 */
export function TestRunForm({ item, by }: { item: ChecklistItem; by: 'technician' | 'customer' }) {
  const { t, text } = useI18n();
  const { session, statuses, snapshot } = useVisit();
  const [failing, setFailing] = useState(false);
  const [note, setNote] = useState('');
  const done = statuses.get(item.id)?.status === 'done';
  const which = (what: string) => t('a11y.which', { which: text(item.text), what });
  const record = async (passed: boolean) => {
    if (await session.dispatch(item.id, { type: 'test', by, passed, note })) {
      // the form starts afresh for the next run, but a note typed while this one was saving stays
      setFailing(false);
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
          <div class="choice-row">
            <button
              type="button"
              class="button button-primary choice-pass"
              disabled={snapshot.saving}
              onClick={() => void record(true)}
              aria-label={which(t('test.passed'))}
              data-testid={`test-${by}-passed`}
            >
              {t('test.passed')}
            </button>
            <button
              type="button"
              class="button button-warn"
              aria-expanded={failing}
              aria-controls={`test-${by}-fail`}
              onClick={() => setFailing(!failing)}
              aria-label={which(t('test.failed'))}
              data-testid={`test-${by}-failed`}
            >
              {t('test.failed')}
            </button>
          </div>
          <label class="field-label" for={`test-${by}-note`}>{t('test.note')}</label>
          <p class="muted field-hint" id={`test-${by}-note-hint`}>{t('test.noteHint')}</p>
          <textarea id={`test-${by}-note`} aria-label={which(t('test.note'))} aria-describedby={`test-${by}-note-hint`} class="input" rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} data-testid={`test-${by}-note`} />
          <div id={`test-${by}-fail`} hidden={!failing}>
            {failing && (
              <button type="button" class="button button-warn" disabled={snapshot.saving} onClick={() => void record(false)} aria-label={which(t('test.recordFailed'))} data-testid={`test-${by}-record`}>
                {t('test.recordFailed')}
              </button>
            )}
          </div>
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
