// The hand-over at the sign phase. On the technician's side, in place of the customer's answers: what the
// customer entered, read only, and the button that hands them the phone. On the customer's side, the whole
// screen: in large type a summary of what they are signing — the customer, the equipment, the
// technician's answers, the test runs — then only their own inputs, then the button that hands the phone
// back. Which answers are whose comes from the checklist (each field's side); nothing here names a field.
import { prohibitionRules, type FieldItem } from '../../domain/checklist';
import { fieldSpec } from '../../domain/field-spec';
import { customerItems, summaryItems } from '../../domain/hand-over';
import { nextRequiredItem } from '../../domain/visit-workflow';
import { AnswerView } from '../components/answer-view';
import { useI18n } from '../context';
import { DoneNote, Feedback } from './controls';
import { FieldControl } from './field-control';
import { NextAction } from './next-action';
import { useVisit } from './visit-context';

/** An answer as the customer confirmed it: the four prohibitions each kept or not, the signature given or not. */
function EnteredValue({ item }: { item: FieldItem }) {
  const { t, text } = useI18n();
  const { state } = useVisit().snapshot.loaded;
  const spec = fieldSpec(item).value;
  const value = state.answers[item.id];
  if (spec.type === 'conduct') {
    if (value === undefined) return <span class="muted">{t('copy.none')}</span>;
    const answers = value as Record<string, 'kept' | 'not-kept'>;
    return (
      <ul class="entered-conduct">
        {prohibitionRules(state.checklist).map((rule) => (
          <li key={rule.id} class={answers[rule.id] === 'not-kept' ? 'not-saved' : ''}>
            {text(rule.text)} — {t(answers[rule.id] === 'kept' ? 'sign.kept' : 'sign.notKept')}
          </li>
        ))}
      </ul>
    );
  }
  if (spec.type === 'signature') return <span>{value === undefined ? t('handOver.notSigned') : t('sign.pad.done')}</span>;
  return <AnswerView spec={spec} value={value} />;
}

/** The technician's side: what the customer entered (handing the phone back shows it), and the hand-over. */
export function HandOverBlock({ items }: { items: FieldItem[] }) {
  const { t, text } = useI18n();
  const { session, snapshot } = useVisit();
  const { state } = snapshot.loaded;
  const entered = items.some((item) => state.answers[item.id] !== undefined);
  const signature = items.find((item) => fieldSpec(item).value.type === 'signature');
  const signed = signature !== undefined && state.answers[signature.id] !== undefined;
  const redo = async () => {
    if (!signature || !(await session.dispatch(signature.id, { type: 'clear', item: signature.id }))) return;
    await session.handTo('customer');
  };
  return (
    <section class="rule-group hand-over-block" aria-labelledby="entered-title" data-testid="hand-over-block">
      <h2 id="entered-title" class="field-label">{t('handOver.entered')}</h2>
      <dl class="entered" data-testid="entered">
        {items.map((item) => (
          <div key={item.id} data-item={item.id} data-testid={`entered-${item.id}`}>
            <dt>{text(item.text)}</dt>
            <dd><EnteredValue item={item} /> <DoneNote itemId={item.id} /></dd>
          </div>
        ))}
      </dl>
      {!state.sealed && (
        <div class="field-actions">
          <button type="button" class="button button-primary button-large" disabled={snapshot.saving} onClick={() => void session.handTo('customer')} data-testid="hand-over">
            {t(entered ? 'handOver.giveAgain' : 'handOver.give')}
          </button>
          {signed && (
            <button type="button" class="button" disabled={snapshot.saving} onClick={() => void redo()} data-testid="signature-redo">
              {t('sign.pad.redo')}
            </button>
          )}
        </div>
      )}
      {signature && <Feedback target={signature.id} />}
    </section>
  );
}

/** The customer's side: the whole screen while they hold the phone. */
export function HandOverScreen() {
  const { t, text } = useI18n();
  const { session, snapshot, statuses } = useVisit();
  const { draft, state } = snapshot.loaded;
  const applies = (item: FieldItem) => statuses.get(item.id)?.status !== 'not-applicable';
  const summary = summaryItems(state.checklist).filter(applies);
  const yours = customerItems(state.checklist).filter(applies);
  const next = nextRequiredItem(state);
  const nextIsYours = next?.kind === 'field' && fieldSpec(next).by === 'customer';
  const { equipment } = draft.header;
  return (
    <section class="hand-over" aria-labelledby="hand-over-title" data-testid="hand-over-screen">
      <h2 id="hand-over-title">{t('handOver.title')}</h2>
      <p>{t('handOver.intro')}</p>
      <dl class="summary" data-testid="hand-over-summary">
        <div>
          <dt>{t('handOver.customer')}</dt>
          <dd data-testid="summary-customer">{draft.header.customer.name}</dd>
        </div>
        <div>
          <dt>{t('handOver.equipment')}</dt>
          <dd data-testid="summary-equipment">{[equipment.type, equipment.model, equipment.serial].filter(Boolean).join(' · ')}</dd>
        </div>
        {summary.map((item) => (
          <div key={item.id}>
            <dt>{text(item.text)}</dt>
            <dd data-testid={`summary-${item.id}`} data-answer={item.id}><AnswerView spec={fieldSpec(item).value} value={state.answers[item.id]} /></dd>
          </div>
        ))}
        <div>
          <dt>{t('copy.testRuns')}</dt>
          <dd>
            {state.testRuns.length === 0 ? <span class="muted">{t('copy.none')}</span> : (
              <ul data-testid="summary-tests">
                {state.testRuns.map((run, i) => (
                  <li key={i} data-testid={`summary-test-${run.by}`}>
                    {t(`test.by.${run.by}`)}：{t(run.passed ? 'test.passed' : 'test.failed')}{run.note ? ` · ${run.note}` : ''}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      <h2>{t('handOver.yours')}</h2>
      {yours.map((item) => <div data-item={item.id} key={item.id}><FieldControl item={item} /></div>)}
      {nextIsYours && <NextAction phase="sign" />}
      <div class="hand-back">
        <button type="button" class="button button-primary button-large" disabled={snapshot.saving} onClick={() => void session.handTo('technician')} data-testid="hand-back">
          {t('handOver.giveBack')}
        </button>
      </div>
    </section>
  );
}
