// The form's answers. Each is saved as one event when the technician saves it (or leaves a text box);
// what is on screen as saved is always what the session has saved, and what the technician typed or
// picked stays on screen, marked unsaved, until it is saved (useAnswerEdit).
import { useRef } from 'preact/hooks';
import { prohibitionRules, type ChecklistItem } from '../../domain/checklist';
import type { ConductAnswer, FieldValues } from '../../domain/form-schema';
import { useI18n } from '../context';
import { DoneNote, Feedback } from './controls';
import { useAnswerEdit } from './use-answer-edit';
import { useVisit } from './visit-context';

type TextFieldName = 'customerAccount' | 'faultFound' | 'workDone' | 'customerOpinion' | 'signerName';

function Label({ item, htmlFor, id }: { item: ChecklistItem; htmlFor?: string; id?: string }) {
  const { t, text } = useI18n();
  return (
    <label class="field-label" for={htmlFor} id={id}>
      {text(item.text)} <span class="muted">({t(item.required ? 'common.required' : 'common.optional')})</span>
    </label>
  );
}

/** Blank text is no answer: typing spaces into an empty box leaves nothing to save. */
const textKey = (value: string) => (value.trim() === '' ? '' : value);

/** "saved" beside an answer, or "not saved yet" while what it shows differs from what is saved. */
function SavedNote({ itemId, edited }: { itemId: string; edited: boolean }) {
  const { t } = useI18n();
  return edited ? <span class="muted" data-testid={`unsaved-${itemId}`}>{t('common.unsaved')}</span> : <DoneNote itemId={itemId} />;
}

export function TextField({ item, field, multiline }: { item: ChecklistItem; field: TextFieldName; multiline: boolean }) {
  const { t, text } = useI18n();
  const { session, snapshot } = useVisit();
  const saved = snapshot.loaded.state.fields[field] ?? '';
  const edit = useAnswerEdit(saved, textKey);
  // the text being saved now, so leaving the box and pressing save do not save it twice
  const inFlight = useRef<string | null>(null);
  const save = async () => {
    const value = edit.value;
    if (!edit.edited || value === inFlight.current) return;
    inFlight.current = value;
    try {
      await session.dispatch(item.id, value.trim() === '' ? { type: 'clear', field } : { type: 'set', field, value });
    } finally {
      inFlight.current = null;
    }
  };
  const id = `field-${field}`;
  const props = {
    id,
    value: edit.value,
    class: 'input',
    onInput: (e: Event) => edit.set((e.currentTarget as HTMLInputElement).value),
    onChange: () => void save(),
    'data-testid': id,
  };
  return (
    <div class="item field">
      <Label item={item} htmlFor={id} />
      {multiline ? <textarea rows={4} {...props} /> : <input type="text" autoComplete="off" {...props} />}
      <div class="field-actions">
        <button type="button" class="button" onClick={() => void save()} data-testid={`save-${field}`} aria-label={`${t('common.save')}: ${text(item.text)}`}>
          {t('common.save')}
        </button>
        <SavedNote itemId={item.id} edited={edit.edited} />
      </div>
      <Feedback target={item.id} />
    </div>
  );
}

interface PartRow {
  name: string;
  quantity: string;
}

const partRows = (parts: FieldValues['partsUsed'] | undefined): PartRow[] => (parts ?? []).map((p) => ({ name: p.name, quantity: String(p.quantity) }));
const partRowsKey = (rows: PartRow[]) => JSON.stringify(rows.map((row) => [row.name, row.quantity]));

export function PartsField({ item }: { item: ChecklistItem }) {
  const { t, text } = useI18n();
  const { session, snapshot } = useVisit();
  const edit = useAnswerEdit(partRows(snapshot.loaded.state.fields.partsUsed), partRowsKey);
  const rows = edit.value;
  const update = (i: number, change: Partial<PartRow>) => edit.set((shown) => shown.map((row, j) => (j === i ? { ...row, ...change } : row)));
  const save = () => {
    const value = rows.map((row) => ({ name: row.name, quantity: Number(row.quantity) }));
    void session.dispatch(item.id, { type: 'set', field: 'partsUsed', value });
  };
  return (
    <fieldset class="item field">
      <legend class="field-label">{text(item.text)} <span class="muted">({t('common.optional')})</span></legend>
      {rows.length === 0 && <p class="muted">{t('sign.parts.none')}</p>}
      {rows.map((row, i) => (
        <div class="part-row" key={i}>
          <label class="part-name">
            <span>{t('sign.parts.name')} {i + 1}</span>
            <input class="input" type="text" value={row.name} onInput={(e) => update(i, { name: e.currentTarget.value })} data-testid={`part-name-${i}`} />
          </label>
          <label class="part-quantity">
            <span>{t('sign.parts.quantity')}</span>
            <input class="input" type="number" inputMode="numeric" min={1} max={9999} value={row.quantity} onInput={(e) => update(i, { quantity: e.currentTarget.value })} data-testid={`part-quantity-${i}`} />
          </label>
          <button type="button" class="button-quiet" onClick={() => edit.set((shown) => shown.filter((_, j) => j !== i))} aria-label={`${t('sign.parts.remove')} ${i + 1}`} data-testid={`part-remove-${i}`}>
            {t('sign.parts.remove')}
          </button>
        </div>
      ))}
      <div class="field-actions">
        <button type="button" class="button" onClick={() => edit.set((shown) => [...shown, { name: '', quantity: '1' }])} data-testid="part-add">{t('sign.parts.add')}</button>
        <button type="button" class="button" onClick={save} data-testid="save-partsUsed">{t('sign.parts.save')}</button>
        <SavedNote itemId={item.id} edited={edit.edited} />
      </div>
      <Feedback target={item.id} />
    </fieldset>
  );
}

export function SatisfactionField({ item }: { item: ChecklistItem }) {
  const { t } = useI18n();
  const { session, snapshot } = useVisit();
  const saved = snapshot.loaded.state.fields.satisfaction;
  return (
    <div class="item field">
      <Label item={item} id="satisfaction-label" />
      <div role="radiogroup" aria-labelledby="satisfaction-label" class="choice-row">
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            type="button"
            role="radio"
            aria-checked={saved === n}
            class="choice"
            key={n}
            onClick={() => saved !== n && void session.dispatch(item.id, { type: 'set', field: 'satisfaction', value: n })}
            data-testid={`satisfaction-${n}`}
          >
            {t('sign.satisfaction.n', { n })}
          </button>
        ))}
      </div>
      <DoneNote itemId={item.id} />
      <Feedback target={item.id} />
    </div>
  );
}

/** The customer's confirmation, one answer per prohibition, saved together. */
export function ConductField({ item }: { item: ChecklistItem }) {
  const { t, text } = useI18n();
  const { session, snapshot } = useVisit();
  const { checklist } = snapshot.loaded.state;
  const rules = prohibitionRules(checklist);
  const edit = useAnswerEdit<Record<string, ConductAnswer>>(snapshot.loaded.state.fields.conduct ?? {}, (answers) => rules.map((rule) => answers[rule.id] ?? '').join());
  const answers = edit.value;
  return (
    <fieldset class="item field">
      <legend class="field-label">{text(item.text)} <span class="muted">({t('common.required')})</span></legend>
      {rules.map((rule) => (
        <div class="conduct-row" key={rule.id}>
          <p id={`conduct-${rule.id}`}>{text(rule.text)}</p>
          <div role="radiogroup" aria-labelledby={`conduct-${rule.id}`} class="choice-row">
            {(['kept', 'not-kept'] as const).map((answer) => (
              <button
                type="button"
                role="radio"
                aria-checked={answers[rule.id] === answer}
                class={`choice ${answer === 'not-kept' ? 'choice-warn' : ''}`}
                key={answer}
                onClick={() => edit.set((shown) => ({ ...shown, [rule.id]: answer }))}
                data-testid={`conduct-${rule.id}-${answer}`}
              >
                {t(answer === 'kept' ? 'sign.kept' : 'sign.notKept')}
              </button>
            ))}
          </div>
        </div>
      ))}
      <div class="field-actions">
        <button type="button" class="button" onClick={() => void session.dispatch(item.id, { type: 'set', field: 'conduct', value: answers })} data-testid="save-conduct">
          {t('sign.conduct.save')}
        </button>
        <SavedNote itemId={item.id} edited={edit.edited} />
      </div>
      <Feedback target={item.id} />
    </fieldset>
  );
}

/** The technician's attestation: each of the four prohibitions ticked, saved together. */
export function AttestationField({ item }: { item: ChecklistItem }) {
  const { t, text } = useI18n();
  const { session, snapshot } = useVisit();
  const { checklist } = snapshot.loaded.state;
  const rules = prohibitionRules(checklist);
  const edit = useAnswerEdit<readonly string[]>(snapshot.loaded.state.fields.attestation ?? [], (ids) => rules.map((rule) => ids.includes(rule.id)).join());
  const ticked = edit.value;
  return (
    <fieldset class="item field">
      <legend class="field-label">{text(item.text)} <span class="muted">({t('common.required')})</span></legend>
      {rules.map((rule) => {
        const on = ticked.includes(rule.id);
        return (
          <button
            type="button"
            role="checkbox"
            aria-checked={on}
            class="tick"
            key={rule.id}
            onClick={() => edit.set((shown) => (shown.includes(rule.id) ? shown.filter((id) => id !== rule.id) : [...shown, rule.id]))}
            data-testid={`attest-${rule.id}`}
          >
            <span class="tick-box" aria-hidden="true">{on ? '✓' : ''}</span>
            <span class="tick-label">{text(rule.text)}</span>
          </button>
        );
      })}
      <div class="field-actions">
        <button
          type="button"
          class="button"
          onClick={() => void session.dispatch(item.id, { type: 'set', field: 'attestation', value: rules.map((r) => r.id).filter((id) => ticked.includes(id)) })}
          data-testid="save-attestation"
        >
          {t('sign.attest.save')}
        </button>
        <SavedNote itemId={item.id} edited={edit.edited} />
      </div>
      <Feedback target={item.id} />
    </fieldset>
  );
}
