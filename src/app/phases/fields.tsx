// The form's answers, saved as they are given, with no save button: text a while after the last
// keystroke and at once on leaving the box or the page (useAutosave), a choice on each tap. Each save is
// one event; what is on screen as saved is always what the session has saved, and what the technician
// typed or picked stays on screen, marked unsaved, until it is saved (useAnswerEdit).
import { useEffect, useRef, useState } from 'preact/hooks';
import { prohibitionRules, type ChecklistItem, type FieldItem, type LocalizedText, type ValueSpec } from '../../domain/checklist';
import type { CatalogPart } from '../../domain/field-values';
import type { ConductAnswer, VisitAction } from '../../domain/form-schema';
import { useI18n } from '../context';
import { namedRows, partRows, partRowsKey, partsOfRows, PartsPicker } from '../components/parts-picker';
import { describeError } from '../errors';
import { DoneNote, Feedback } from './controls';
import { useAnswerEdit } from './use-answer-edit';
import { useAutosave } from './use-autosave';
import { useVisit } from './visit-context';

/** The saved answer to a field, as its value type has it. */
function useSaved<T>(item: FieldItem): T | undefined {
  return useVisit().snapshot.loaded.state.answers[item.id] as T | undefined;
}

const setAction = (item: FieldItem, value: unknown): VisitAction => ({ type: 'set', item: item.id, value });
const clearAction = (item: FieldItem): VisitAction => ({ type: 'clear', item: item.id });

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
function useTextSave(item: FieldItem, saved: string, shown: { current: string }, toValue: (text: string) => unknown = (text) => text) {
  const { session } = useVisit();
  // the text being saved now, so the pause after typing and leaving the box do not save it twice
  const inFlight = useRef<string | null>(null);
  return useAutosave(() => {
    const value = shown.current;
    if (textKey(value) === textKey(saved) || value === inFlight.current) return undefined;
    inFlight.current = value;
    return session.dispatch(item.id, value.trim() === '' ? clearAction(item) : setAction(item, toValue(value))).finally(() => {
      if (inFlight.current === value) inFlight.current = null;
    });
  });
}

export function TextField({ item, multiline }: { item: FieldItem; multiline: boolean }) {
  const saved = useSaved<string>(item) ?? '';
  const edit = useAnswerEdit(saved, textKey);
  const shown = useRef(edit.value);
  shown.current = edit.value;
  const autosave = useTextSave(item, saved, shown);
  const id = `field-${item.id}`;
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

export function PartsField({ item }: { item: FieldItem }) {
  const { t, text } = useI18n();
  const { session } = useVisit();
  const savedParts = useSaved<CatalogPart[]>(item);
  const edit = useAnswerEdit(partRows(savedParts), partRowsKey);
  const rows = edit.value;
  // the rows as of the last change, set by the change itself, so a save right after it takes them
  const shown = useRef(rows);
  shown.current = rows;
  const inFlight = useRef<string | null>(null);
  const autosave = useAutosave(() => {
    const named = namedRows(shown.current);
    const key = partRowsKey(named);
    if (key === partRowsKey(partRows(savedParts)) || key === inFlight.current) return undefined;
    inFlight.current = key;
    const value = partsOfRows(named);
    return session.dispatch(item.id, setAction(item, value)).finally(() => {
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

/** One tap among a few: a rating 1–N, a single choice, yes or no. Saved on the tap; the chosen one tapped again stays. */
function TapChoice<T extends string | number | boolean>({ item, choices }: { item: FieldItem; choices: ReadonlyArray<{ value: T; label: string; name?: string }> }) {
  const { session } = useVisit();
  const saved = useSaved<T>(item);
  const labelId = `label-${item.id}`;
  return (
    <div class="item field">
      <Label item={item} id={labelId} />
      <div role="radiogroup" aria-labelledby={labelId} class="choice-row">
        {choices.map(({ value, label, name }) => (
          <button
            type="button"
            role="radio"
            aria-checked={saved === value}
            class="choice"
            key={String(value)}
            aria-label={name}
            onClick={() => saved !== value && void session.dispatch(item.id, setAction(item, value))}
            data-testid={`choice-${item.id}-${String(value)}`}
          >
            {label}
          </button>
        ))}
      </div>
      <DoneNote itemId={item.id} />
      <Feedback target={item.id} />
    </div>
  );
}

export function RatingField({ item, max }: { item: FieldItem; max: number }) {
  const { t } = useI18n();
  const choices = Array.from({ length: max }, (_, i) => ({ value: i + 1, label: t('field.rating.n', { n: i + 1 }), name: t('field.rating.of', { n: i + 1, max }) }));
  return <TapChoice item={item} choices={choices} />;
}

export function YesNoField({ item }: { item: FieldItem }) {
  const { t } = useI18n();
  return <TapChoice item={item} choices={[{ value: true, label: t('field.yes') }, { value: false, label: t('field.no') }]} />;
}

export function SingleChoiceField({ item, options }: { item: FieldItem; options: ReadonlyArray<{ id: string; text: LocalizedText }> }) {
  const { text } = useI18n();
  return <TapChoice item={item} choices={options.map((o) => ({ value: o.id, label: text(o.text) }))} />;
}

/** Several of a list: saved on each tap, as the options ticked so far (none ticked clears the answer). */
export function MultipleChoiceField({ item, options }: { item: FieldItem; options: ReadonlyArray<{ id: string; text: LocalizedText }> }) {
  const { text } = useI18n();
  const { session } = useVisit();
  const saved = useSaved<string[]>(item);
  const edit = useAnswerEdit<readonly string[]>(saved ?? [], (ids) => options.filter((o) => ids.includes(o.id)).map((o) => o.id).join());
  const toggle = (id: string) => {
    const next = options.map((o) => o.id).filter((o) => (o === id ? !edit.value.includes(o) : edit.value.includes(o)));
    edit.set(next);
    void session.dispatch(item.id, next.length === 0 ? clearAction(item) : setAction(item, next));
  };
  return (
    <fieldset class="item field">
      <legend class="field-label">{text(item.text)}</legend>
      {options.map((option) => {
        const on = edit.value.includes(option.id);
        return (
          <button type="button" role="checkbox" aria-checked={on} class="tick" key={option.id} onClick={() => toggle(option.id)} data-testid={`choice-${item.id}-${option.id}`}>
            <span class="tick-box" aria-hidden="true">{on ? '✓' : ''}</span>
            <span class="tick-label">{text(option.text)}</span>
          </button>
        );
      })}
      <DoneNote itemId={item.id} />
      <Feedback target={item.id} />
    </fieldset>
  );
}

/** A number typed as text ("12,5" as well as "12.5"); what is not a number stays on screen, unsaved, with a hint. */
const parseNumber = (text: string): number | null => {
  const n = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(n) ? n : null;
};

export function NumberField({ item, spec }: { item: FieldItem; spec: ValueSpec & { type: 'number' } }) {
  const { t, text } = useI18n();
  const saved = useSaved<number>(item);
  const savedText = saved === undefined ? '' : String(saved);
  const edit = useAnswerEdit(savedText, (value) => { const n = parseNumber(value); return n === null ? value.trim() : String(n); });
  const shown = useRef(edit.value);
  shown.current = edit.value;
  const valid = edit.value.trim() === '' || parseNumber(edit.value) !== null;
  const autosave = useTextSave(item, valid ? savedText : edit.value, shown, (value) => parseNumber(value) ?? value);
  const id = `field-${item.id}`;
  const unit = spec.unit ? text(spec.unit) : '';
  const range = spec.min !== undefined && spec.max !== undefined ? t('field.number.range', { min: spec.min, max: spec.max, unit })
    : spec.min !== undefined ? t('field.number.atLeast', { min: spec.min, unit })
    : spec.max !== undefined ? t('field.number.atMost', { max: spec.max, unit }) : '';
  return (
    <div class="item field">
      <Label item={item} htmlFor={id} />
      <div class="number-row">
        <input
          id={id}
          class="input"
          type="text"
          inputMode={spec.integer ? 'numeric' : 'decimal'}
          autoComplete="off"
          value={edit.value}
          aria-describedby={`${id}-state`}
          onInput={(e) => {
            shown.current = e.currentTarget.value;
            edit.set(shown.current);
            if (parseNumber(shown.current) !== null || shown.current.trim() === '') autosave.later();
          }}
          onChange={() => valid && autosave.now()}
          onBlur={() => valid && autosave.now()}
          data-testid={id}
        />
        {unit && <span class="unit">{unit}</span>}
      </div>
      <div class="field-actions" id={`${id}-state`}>
        {range && <span class="muted">{range}</span>}
        {valid ? <SavedNote itemId={item.id} edited={edit.edited} saving={autosave.saving} /> : <span class="not-saved">{t('field.number.invalid')}</span>}
      </div>
      <Feedback target={item.id} />
    </div>
  );
}

/** Photos are taken with the evidence screens; a version asking for them is shown as such until then. */
export function PhotosField({ item }: { item: FieldItem }) {
  const { t } = useI18n();
  return (
    <div class="item field">
      <Label item={item} />
      <p class="notice">{t('field.photos.notInThisVersion')}</p>
    </div>
  );
}

/**
 * Saves a choice answer on each change, once it is whole (a partial one would only be refused): `value`
 * is what to save, `null` while it is not whole; a change back to nothing whole clears a saved answer.
 */
function useChoiceSave(item: FieldItem) {
  const { session } = useVisit();
  const hasSaved = useSaved(item) !== undefined;
  const inFlight = useRef(0);
  const [, rerender] = useState(0);
  const save = (value: Record<string, ConductAnswer> | readonly string[] | null) => {
    if (value === null && !hasSaved) return;
    inFlight.current++;
    rerender((n) => n + 1);
    const action = value === null ? clearAction(item) : setAction(item, value);
    void session.dispatch(item.id, action).finally(() => {
      inFlight.current--;
      rerender((n) => n + 1);
    });
  };
  return { save, saving: inFlight.current > 0 };
}

/** The customer's confirmation, one answer per prohibition, saved together once each is answered. */
export function ConductField({ item }: { item: FieldItem }) {
  const { t, text } = useI18n();
  const { snapshot } = useVisit();
  const { checklist } = snapshot.loaded.state;
  const rules = prohibitionRules(checklist);
  const edit = useAnswerEdit<Record<string, ConductAnswer>>(useSaved<Record<string, ConductAnswer>>(item) ?? {}, (answers) => rules.map((rule) => answers[rule.id] ?? '').join());
  const answers = edit.value;
  const choice = useChoiceSave(item);
  const answer = (ruleId: string, value: ConductAnswer) => {
    if (answers[ruleId] === value) return;
    const next = { ...answers, [ruleId]: value };
    edit.set(next);
    if (rules.every((rule) => next[rule.id] !== undefined)) choice.save(next);
  };
  const allKept = () => {
    if (rules.every((rule) => answers[rule.id] === 'kept')) return;
    const next = Object.fromEntries(rules.map((rule) => [rule.id, 'kept' as const]));
    edit.set(next);
    choice.save(next);
  };
  const name = text(item.text);
  return (
    <fieldset class="item field">
      <legend class="field-label">{name} <span class="muted">({t('common.required')})</span></legend>
      <button
        type="button"
        class="button button-large all-at-once"
        aria-pressed={rules.every((rule) => answers[rule.id] === 'kept')}
        aria-label={t('a11y.which', { which: name, what: t('sign.allKept') })}
        onClick={allKept}
        data-testid="conduct-all-kept"
      >
        {t('sign.allKept')}
      </button>
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
export function AttestationField({ item }: { item: FieldItem }) {
  const { t, text } = useI18n();
  const { snapshot } = useVisit();
  const { checklist } = snapshot.loaded.state;
  const rules = prohibitionRules(checklist);
  const edit = useAnswerEdit<readonly string[]>(useSaved<string[]>(item) ?? [], (ids) => rules.map((rule) => ids.includes(rule.id)).join());
  const ticked = edit.value;
  const choice = useChoiceSave(item);
  const toggle = (ruleId: string) => {
    const next = ticked.includes(ruleId) ? ticked.filter((id) => id !== ruleId) : [...ticked, ruleId];
    edit.set(next);
    // all four attested is saved; one taken back clears the saved attestation, so nothing partial stands
    choice.save(rules.every((rule) => next.includes(rule.id)) ? rules.map((rule) => rule.id) : null);
  };
  const attestAll = () => {
    if (rules.every((rule) => ticked.includes(rule.id))) return;
    const all = rules.map((rule) => rule.id);
    edit.set(all);
    choice.save(all);
  };
  const name = text(item.text);
  return (
    <fieldset class="item field">
      <legend class="field-label">{name} <span class="muted">({t('common.required')})</span></legend>
      <button
        type="button"
        class="button button-large all-at-once"
        aria-pressed={rules.every((rule) => ticked.includes(rule.id))}
        aria-label={t('a11y.which', { which: name, what: t('sign.attestAll') })}
        onClick={attestAll}
        data-testid="attest-all"
      >
        {t('sign.attestAll')}
      </button>
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
