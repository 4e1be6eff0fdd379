// The form's answers. Each is saved as one event when the technician saves it (or leaves a text box);
// what is on screen as saved is always what the session has saved.
import { useEffect, useRef, useState } from 'preact/hooks';
import { prohibitionRules, type ChecklistItem } from '../../domain/checklist';
import type { ConductAnswer, FieldValues } from '../../domain/form-schema';
import { useI18n } from '../context';
import { DoneNote, Feedback } from './controls';
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

export function TextField({ item, field, multiline }: { item: ChecklistItem; field: TextFieldName; multiline: boolean }) {
  const { t, text } = useI18n();
  const { session, snapshot } = useVisit();
  const saved = snapshot.loaded.state.fields[field] ?? '';
  const [value, setValue] = useState(saved);
  // the value last handed to the session, so leaving the box and pressing save do not save twice
  const sent = useRef(saved);
  useEffect(() => {
    setValue(saved);
    sent.current = saved;
  }, [saved]);
  const save = async () => {
    if (value === sent.current) return;
    sent.current = value;
    const ok = value.trim() === ''
      ? saved === '' || (await session.dispatch(item.id, { type: 'clear', field }))
      : await session.dispatch(item.id, { type: 'set', field, value });
    if (!ok) sent.current = saved;
  };
  const id = `field-${field}`;
  const props = {
    id,
    value,
    class: 'input',
    onInput: (e: Event) => setValue((e.currentTarget as HTMLInputElement).value),
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
        {value !== saved ? <span class="muted">{t('common.unsaved')}</span> : <DoneNote itemId={item.id} />}
      </div>
      <Feedback target={item.id} />
    </div>
  );
}

interface PartRow {
  name: string;
  quantity: string;
}

export function PartsField({ item }: { item: ChecklistItem }) {
  const { t, text } = useI18n();
  const { session, snapshot } = useVisit();
  const saved = snapshot.loaded.state.fields.partsUsed;
  const fromSaved = (parts: FieldValues['partsUsed'] | undefined): PartRow[] => (parts ?? []).map((p) => ({ name: p.name, quantity: String(p.quantity) }));
  const [rows, setRows] = useState<PartRow[]>(() => fromSaved(saved));
  useEffect(() => setRows(fromSaved(saved)), [saved]);
  const update = (i: number, change: Partial<PartRow>) => setRows(rows.map((row, j) => (j === i ? { ...row, ...change } : row)));
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
          <button type="button" class="button-quiet" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={`${t('sign.parts.remove')} ${i + 1}`} data-testid={`part-remove-${i}`}>
            {t('sign.parts.remove')}
          </button>
        </div>
      ))}
      <div class="field-actions">
        <button type="button" class="button" onClick={() => setRows([...rows, { name: '', quantity: '1' }])} data-testid="part-add">{t('sign.parts.add')}</button>
        <button type="button" class="button" onClick={save} data-testid="save-partsUsed">{t('sign.parts.save')}</button>
        <DoneNote itemId={item.id} />
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
  const saved = snapshot.loaded.state.fields.conduct;
  const [answers, setAnswers] = useState<Record<string, ConductAnswer>>(() => ({ ...saved }));
  useEffect(() => setAnswers({ ...saved }), [saved]);
  return (
    <fieldset class="item field">
      <legend class="field-label">{text(item.text)} <span class="muted">({t('common.required')})</span></legend>
      {prohibitionRules(checklist).map((rule) => (
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
                onClick={() => setAnswers({ ...answers, [rule.id]: answer })}
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
        <DoneNote itemId={item.id} />
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
  const saved = snapshot.loaded.state.fields.attestation;
  const [ticked, setTicked] = useState<string[]>(() => [...(saved ?? [])]);
  useEffect(() => setTicked([...(saved ?? [])]), [saved]);
  const rules = prohibitionRules(checklist);
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
            onClick={() => setTicked(on ? ticked.filter((id) => id !== rule.id) : [...ticked, rule.id])}
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
        <DoneNote itemId={item.id} />
      </div>
      <Feedback target={item.id} />
    </fieldset>
  );
}
