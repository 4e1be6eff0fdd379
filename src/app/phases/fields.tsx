// The form's answers, saved as they are given, with no save button: text a while after the last
// keystroke and at once on leaving the box or the page (useAutosave), a choice on each tap. Each save is
// one event; what is on screen as saved is always what the session has saved, and what the technician
// typed or picked stays on screen, marked unsaved, until it is saved (useAnswerEdit).
import { useEffect, useRef, useState } from 'preact/hooks';
import { prohibitionRules, type ChecklistItem } from '../../domain/checklist';
import type { ConductAnswer, FieldValues, VisitAction } from '../../domain/form-schema';
import { useI18n } from '../context';
import { namedRows, partRows, partRowsKey, partsOfRows, PartsPicker } from '../components/parts-picker';
import { describeError } from '../errors';
import { DoneNote, Feedback } from './controls';
import { useAnswerEdit } from './use-answer-edit';
import { useAutosave } from './use-autosave';
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

/**
 * Beside an answer, where it stands: "saving…" while its save is in flight, "not saved: why" when its last
 * save was refused or failed, "not saved yet" while what it shows differs from what is saved, else
 * "saved ✓ time". Tells the visit's saved indicator whether this answer has anything unsaved.
 */
function SavedNote({ itemId, edited, saving }: { itemId: string; edited: boolean; saving: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { snapshot, statuses, markUnsaved } = useVisit();
  useEffect(() => markUnsaved(itemId, edited), [edited]);
  useEffect(() => () => markUnsaved(itemId, false), []);
  if (saving) return <span class="muted" aria-live="polite" data-testid={`saving-${itemId}`}>{t('common.saving')}</span>;
  if (edited) {
    const { refusal, failure } = snapshot;
    const why = failure?.target === itemId ? describeError(i18n, failure.error) : refusal?.target === itemId ? t('common.refusedBelow') : null;
    return why
      ? <span class="not-saved" data-testid={`not-saved-${itemId}`}>{t('common.notSaved', { reason: why })}</span>
      : <span class="muted" data-testid={`unsaved-${itemId}`}>{t('common.unsaved')}</span>;
  }
  const status = statuses.get(itemId);
  if (status?.status !== 'done') return <DoneNote itemId={itemId} />;
  return <span class="done-note" data-testid={`saved-${itemId}`}>{t('common.savedAt', { time: i18n.time(status.at) })}</span>;
}

/**
 * Saves a text answer: blank text clears it. `shown` is the box's text as of the last keystroke (set by
 * the input handler itself, so a save right after it, in the same task, takes it).
 */
function useTextSave(itemId: string, field: TextFieldName, saved: string, shown: { current: string }) {
  const { session } = useVisit();
  // the text being saved now, so the pause after typing and leaving the box do not save it twice
  const inFlight = useRef<string | null>(null);
  return useAutosave(() => {
    const value = shown.current;
    if (textKey(value) === textKey(saved) || value === inFlight.current) return undefined;
    inFlight.current = value;
    return session.dispatch(itemId, value.trim() === '' ? { type: 'clear', field } : { type: 'set', field, value }).finally(() => {
      if (inFlight.current === value) inFlight.current = null;
    });
  });
}

export function TextField({ item, field, multiline }: { item: ChecklistItem; field: TextFieldName; multiline: boolean }) {
  const { snapshot } = useVisit();
  const saved = snapshot.loaded.state.fields[field] ?? '';
  const edit = useAnswerEdit(saved, textKey);
  const shown = useRef(edit.value);
  shown.current = edit.value;
  const autosave = useTextSave(item.id, field, saved, shown);
  const id = `field-${field}`;
  const props = {
    id,
    value: edit.value,
    class: 'input',
    'aria-describedby': `${id}-state`,
    onInput: (e: Event) => {
      shown.current = (e.currentTarget as HTMLInputElement).value;
      edit.set(shown.current);
      autosave.later();
    },
    onChange: autosave.now,
    onBlur: autosave.now,
    'data-testid': id,
  };
  return (
    <div class="item field">
      <Label item={item} htmlFor={id} />
      {multiline ? <textarea rows={4} {...props} /> : <input type="text" autoComplete="off" {...props} />}
      <div class="field-actions" id={`${id}-state`}>
        <SavedNote itemId={item.id} edited={edit.edited} saving={autosave.saving} />
      </div>
      <Feedback target={item.id} />
    </div>
  );
}

export function PartsField({ item }: { item: ChecklistItem }) {
  const { t, text } = useI18n();
  const { session, snapshot } = useVisit();
  const edit = useAnswerEdit(partRows(snapshot.loaded.state.fields.partsUsed), partRowsKey);
  const rows = edit.value;
  // the rows as of the last change, set by the change itself, so a save right after it takes them
  const shown = useRef(rows);
  shown.current = rows;
  const inFlight = useRef<string | null>(null);
  const autosave = useAutosave(() => {
    const named = namedRows(shown.current);
    const key = partRowsKey(named);
    if (key === partRowsKey(partRows(snapshot.loaded.state.fields.partsUsed)) || key === inFlight.current) return undefined;
    inFlight.current = key;
    const value = partsOfRows(named);
    return session.dispatch(item.id, { type: 'set', field: 'partsUsed', value }).finally(() => {
      if (inFlight.current === key) inFlight.current = null;
    });
  });
  return (
    <fieldset class="item field">
      <legend class="field-label">{text(item.text)} <span class="muted">({t('common.optional')})</span></legend>
      <PartsPicker rows={rows} onChange={(next, whole) => { shown.current = next; edit.set(next); (whole ? autosave.now : autosave.later)(); }} />
      <div class="field-actions">
        <SavedNote itemId={item.id} edited={edit.edited} saving={autosave.saving} />
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

/**
 * Saves a choice answer on each change, once it is whole (a partial one would only be refused): `value`
 * is what to save, `null` while it is not whole; a change back to nothing whole clears a saved answer.
 */
function useChoiceSave(itemId: string, field: 'conduct' | 'attestation') {
  const { session, snapshot } = useVisit();
  const hasSaved = snapshot.loaded.state.fields[field] !== undefined;
  const inFlight = useRef(0);
  const [, rerender] = useState(0);
  const save = (value: FieldValues['conduct'] | FieldValues['attestation'] | null) => {
    if (value === null && !hasSaved) return;
    inFlight.current++;
    rerender((n) => n + 1);
    const action = value === null ? { type: 'clear' as const, field } : ({ type: 'set', field, value } as VisitAction);
    void session.dispatch(itemId, action).finally(() => {
      inFlight.current--;
      rerender((n) => n + 1);
    });
  };
  return { save, saving: inFlight.current > 0 };
}

/** The customer's confirmation, one answer per prohibition, saved together once each is answered. */
export function ConductField({ item }: { item: ChecklistItem }) {
  const { t, text } = useI18n();
  const { snapshot } = useVisit();
  const { checklist } = snapshot.loaded.state;
  const rules = prohibitionRules(checklist);
  const edit = useAnswerEdit<Record<string, ConductAnswer>>(snapshot.loaded.state.fields.conduct ?? {}, (answers) => rules.map((rule) => answers[rule.id] ?? '').join());
  const answers = edit.value;
  const choice = useChoiceSave(item.id, 'conduct');
  const answer = (ruleId: string, value: ConductAnswer) => {
    if (answers[ruleId] === value) return;
    const next = { ...answers, [ruleId]: value };
    edit.set(next);
    if (rules.every((rule) => next[rule.id] !== undefined)) choice.save(next);
  };
  return (
    <fieldset class="item field">
      <legend class="field-label">{text(item.text)} <span class="muted">({t('common.required')})</span></legend>
      {rules.map((rule) => (
        <div class="conduct-row" key={rule.id}>
          <p id={`conduct-${rule.id}`}>{text(rule.text)}</p>
          <div role="radiogroup" aria-labelledby={`conduct-${rule.id}`} class="choice-row">
            {(['kept', 'not-kept'] as const).map((value) => (
              <button
                type="button"
                role="radio"
                aria-checked={answers[rule.id] === value}
                class={`choice ${value === 'not-kept' ? 'choice-warn' : ''}`}
                key={value}
                onClick={() => answer(rule.id, value)}
                aria-label={t('a11y.which', { which: text(rule.text).replace(/[。.]$/, ''), what: t(value === 'kept' ? 'sign.kept' : 'sign.notKept') })}
                data-testid={`conduct-${rule.id}-${value}`}
              >
                {t(value === 'kept' ? 'sign.kept' : 'sign.notKept')}
              </button>
            ))}
          </div>
        </div>
      ))}
      <div class="field-actions">
        <SavedNote itemId={item.id} edited={edit.edited} saving={choice.saving} />
      </div>
      <Feedback target={item.id} />
    </fieldset>
  );
}

/** The technician's attestation: the four prohibitions ticked, saved once all four are. */
export function AttestationField({ item }: { item: ChecklistItem }) {
  const { t, text } = useI18n();
  const { snapshot } = useVisit();
  const { checklist } = snapshot.loaded.state;
  const rules = prohibitionRules(checklist);
  const edit = useAnswerEdit<readonly string[]>(snapshot.loaded.state.fields.attestation ?? [], (ids) => rules.map((rule) => ids.includes(rule.id)).join());
  const ticked = edit.value;
  const choice = useChoiceSave(item.id, 'attestation');
  const toggle = (ruleId: string) => {
    const next = ticked.includes(ruleId) ? ticked.filter((id) => id !== ruleId) : [...ticked, ruleId];
    edit.set(next);
    // all four attested is saved; one taken back clears the saved attestation, so nothing partial stands
    choice.save(rules.every((rule) => next.includes(rule.id)) ? rules.map((rule) => rule.id) : null);
  };
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
            onClick={() => toggle(rule.id)}
            data-testid={`attest-${rule.id}`}
          >
            <span class="tick-box" aria-hidden="true">{on ? '✓' : ''}</span>
            <span class="tick-label">{text(rule.text)}</span>
          </button>
        );
      })}
      <div class="field-actions">
        <SavedNote itemId={item.id} edited={edit.edited} saving={choice.saving} />
      </div>
      <Feedback target={item.id} />
    </fieldset>
  );
}
