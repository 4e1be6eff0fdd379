// One phase of the visit, drawn from the checklist: its items in order, grouped under the rule they
// serve, each as the control its kind calls for. Nothing here names a rule or an item itself.
import type { ComponentChildren } from 'preact';
import { ruleById, type ChecklistItem, type FieldItem, type Phase, type ReminderItem } from '../../domain/checklist';
import { fieldSpec } from '../../domain/field-spec';
import { useI18n } from '../context';
import { StepButton, TickItem } from './controls';
import { FieldControl } from './field-control';
import { HandOverBlock } from './hand-over';
import './visit-flow.css';
import { NextAction } from './next-action';
import { Reminders } from './reminders';
import { SealButton } from './seal-button';
import { TestHistory, TestRunForm } from './test-run';
import { useVisit } from './visit-context';

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

/** A field the customer answers: drawn on the hand-over screen, never among the technician's controls. */
const isCustomers = (item: ChecklistItem): item is FieldItem => item.kind === 'field' && fieldSpec(item).by === 'customer';

function RuleGroups({ items }: { items: ChecklistItem[] }) {
  const { text } = useI18n();
  const { checklist } = useVisit().snapshot.loaded.state;
  return (
    <>
      {groupByRule(items).map((group) => (
        <section class="rule-group" key={group.rule}>
          <p class="rule-text">{text(ruleById(checklist, group.rule)!.text)}</p>
          {group.items.map((item) => <div data-item={item.id} key={item.id}><Control item={item} /></div>)}
        </section>
      ))}
    </>
  );
}

export function PhaseView({ phase }: { phase: Phase }) {
  const { statuses, snapshot } = useVisit();
  const { checklist } = snapshot.loaded.state;
  const items = checklist.items.filter((item) => item.phase === phase && statuses.get(item.id)?.status !== 'not-applicable');
  const reminders = items.filter((item): item is ReminderItem => item.kind === 'reminder');
  // the customer's answers are handed over together, in place of the last of them: what comes before
  // it (the technician's answers, the attestation) is done first, what comes after (the seal) once handed back
  const body = items.filter((item) => item.kind !== 'reminder');
  let lastCustomers = -1;
  body.forEach((item, i) => { if (isCustomers(item)) lastCustomers = i; });
  const customers = body.filter(isCustomers);
  const before = body.slice(0, lastCustomers + 1).filter((item) => !isCustomers(item));
  const after = body.slice(lastCustomers + 1);
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
      <RuleGroups items={before} />
      {customers.length > 0 && <HandOverBlock items={customers} />}
      <RuleGroups items={after} />
      {extra}
      {standing}
      <NextAction phase={phase} />
    </div>
  );
}
