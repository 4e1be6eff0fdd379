// One phase of the visit, drawn from the checklist: its items in order, grouped under the rule they
// serve, each as the control its kind calls for. Nothing here names a rule or an item itself.
import type { ComponentChildren } from 'preact';
import { ruleById, type ChecklistItem, type FieldItem, type Phase, type ReminderItem } from '../../domain/checklist';
import { fieldSpec } from '../../domain/field-spec';
import { Lazy } from '../components/lazy';
import { useI18n } from '../context';
import { StepButton, TickItem } from './controls';
import {
  AttestationField, ConductField, MultipleChoiceField, NumberField, PartsField, PhotosField, RatingField, SingleChoiceField, TextField, YesNoField,
} from './fields';
import './visit-flow.css';
import { NextAction } from './next-action';
import { Reminders } from './reminders';
import { SealButton } from './seal-button';
import { TestHistory, TestRunForm } from './test-run';
import { useVisit } from './visit-context';

const loadSignatureField = () => import('./signature-field').then((m) => m.SignatureField);

/** A field's widget, chosen by its value type alone. */
function FieldControl({ item }: { item: FieldItem }) {
  const spec = fieldSpec(item).value;
  switch (spec.type) {
    case 'short-text':
      return <TextField item={item} multiline={false} />;
    case 'long-text':
      return <TextField item={item} multiline />;
    case 'number':
      return <NumberField item={item} spec={spec} />;
    case 'single-choice':
      return <SingleChoiceField item={item} options={spec.options} />;
    case 'multiple-choice':
      return <MultipleChoiceField item={item} options={spec.options} />;
    case 'rating':
      return <RatingField item={item} max={spec.max} />;
    case 'yes-no':
      return <YesNoField item={item} />;
    case 'parts':
      return <PartsField item={item} />;
    case 'photos':
      return <PhotosField item={item} />;
    case 'conduct':
      return <ConductField item={item} />;
    case 'attestation':
      return <AttestationField item={item} />;
    case 'signature':
      return <Lazy load={loadSignatureField} props={{ item }} />;
  }
}

function Control({ item }: { item: ChecklistItem }) {
  switch (item.kind) {
    case 'tick':
      return <TickItem item={item} />;
    case 'step':
      if (item.step === 'technician-test' || item.step === 'customer-test') return <TestRunForm item={item} by={item.step === 'technician-test' ? 'technician' : 'customer'} />;
      if (item.step === 'seal') return <SealButton item={item} />;
      return <StepButton item={item} action={{ type: 'step', step: item.step }} />;
    case 'field':
      return <FieldControl item={item} />;
    // reminders are drawn together, as the standing reminder
    case 'reminder':
      return null;
  }
}

/** Consecutive items of one rule, under that rule's wording. */
function groupByRule(items: ChecklistItem[]): Array<{ rule: string; items: ChecklistItem[] }> {
  const groups: Array<{ rule: string; items: ChecklistItem[] }> = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last?.rule === item.rule) last.items.push(item);
    else groups.push({ rule: item.rule, items: [item] });
  }
  return groups;
}

function PhaseIntro({ phase }: { phase: Phase }) {
  const { t, text } = useI18n();
  const { facts } = useVisit().snapshot.loaded.state;
  if (phase !== 'prepare') return null;
  return facts.festival
    ? <p class="notice" data-testid="festival">{t('visit.festival', { festival: text(facts.festival.name) })}</p>
    : <p class="muted" data-testid="festival">{t('visit.noFestival')}</p>;
}

export function PhaseView({ phase }: { phase: Phase }) {
  const { text } = useI18n();
  const { statuses, snapshot } = useVisit();
  const { checklist } = snapshot.loaded.state;
  const items = checklist.items.filter((item) => item.phase === phase && statuses.get(item.id)?.status !== 'not-applicable');
  const reminders = items.filter((item): item is ReminderItem => item.kind === 'reminder');
  const groups = groupByRule(items.filter((item) => item.kind !== 'reminder'));
  let extra: ComponentChildren = null;
  if (reminders.length > 0) extra = <Reminders items={reminders} />;
  if (phase === 'verify') extra = <TestHistory />;
  // 四不准 holds from the arrival to the seal: on the other phases, the same one-tap logs, compact
  const standing = phase !== 'prepare' && reminders.length === 0
    ? <Reminders items={checklist.items.filter((item): item is ReminderItem => item.kind === 'reminder')} compact />
    : null;
  return (
    <div class="phase">
      <PhaseIntro phase={phase} />
      {groups.map((group) => (
        <section class="rule-group" key={group.rule}>
          <p class="rule-text">{text(ruleById(checklist, group.rule)!.text)}</p>
          {group.items.map((item) => <div data-item={item.id} key={item.id}><Control item={item} /></div>)}
        </section>
      ))}
      {extra}
      {standing}
      <NextAction phase={phase} />
    </div>
  );
}
