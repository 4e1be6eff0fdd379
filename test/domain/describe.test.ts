// Events and incidents described as a key with parameters, from the events and the checklist version.
import { describe, expect, it } from 'vitest';
import { fieldItem, reminderFor, stepItem } from '../../src/domain/checklist';
import {
  DESCRIPTION_KEYS, describeAction, describeEvents, describeIncident, describeIncidents, type Description,
} from '../../src/domain/describe';
import type { Incident, VisitEvent } from '../../src/domain/form-schema';
import { incidents } from '../../src/domain/visit-workflow';
import { checklist } from '../fixtures/visits';
import { disputeText, eventfulForm, eventfulVisit, hostileNote } from '../fixtures/eventful-visit';

const at = '2026-03-10T01:00:00.000Z';
const incident = (kind: string, detail: string, rule = 'no-smoking') => ({ kind, rule, detail, at });
const isSentence = (d: Description) => Object.values(d.params).some((v) => typeof v === 'string' && / /.test(v) && !/[\u4e00-\u9fff]/.test(v) && v !== hostileNote);

describe('describing an event', () => {
  it('names the ticked or unticked item by id', () => {
    expect(describeAction(checklist, { type: 'tick', item: 'kit.gloves' })).toEqual({ key: 'event.tick', params: { item: 'kit.gloves' } });
    expect(describeAction(checklist, { type: 'untick', item: 'kit.mat' })).toEqual({ key: 'event.untick', params: { item: 'kit.mat' } });
  });

  it('names a step, a test run and a field by the item of the version that holds it', () => {
    expect(describeAction(checklist, { type: 'step', step: 'seal' })).toEqual({ key: 'event.step', params: { item: stepItem(checklist, 'seal').id } });
    expect(describeAction(checklist, { type: 'test', by: 'technician', passed: true, note: '' }, 1))
      .toEqual({ key: 'event.test-passed', params: { item: stepItem(checklist, 'technician-test').id, by: 'technician', round: 1, note: '' } });
    expect(describeAction(checklist, { type: 'test', by: 'customer', passed: false, note: '仍有异响' }, 3))
      .toEqual({ key: 'event.test-failed', params: { item: stepItem(checklist, 'customer-test').id, by: 'customer', round: 3, note: '仍有异响' } });
    expect(describeAction(checklist, { type: 'set', field: 'faultFound', value: 'x' }))
      .toEqual({ key: 'event.set', params: { item: fieldItem(checklist, 'faultFound').id, field: 'faultFound' } });
    expect(describeAction(checklist, { type: 'clear', field: 'signature' }))
      .toEqual({ key: 'event.clear', params: { item: fieldItem(checklist, 'signature').id, field: 'signature' } });
  });

  it('keeps a declined offer\'s kind and note, and a dispute\'s description, apart and as written', () => {
    expect(describeAction(checklist, { type: 'offer-declined', offer: 'gift', note: hostileNote }))
      .toEqual({ key: 'event.offer-declined', params: { item: reminderFor(checklist, 'gift').id, offer: 'gift', note: hostileNote } });
    expect(describeAction(checklist, { type: 'dispute', description: disputeText }))
      .toEqual({ key: 'event.dispute', params: { item: reminderFor(checklist, 'dispute').id, note: disputeText } });
  });

  it('names steps, fields and reminders by their names when the version is not known', () => {
    expect(describeAction(undefined, { type: 'step', step: 'seal' }).params).toEqual({ item: 'seal' });
    expect(describeAction(undefined, { type: 'test', by: 'customer', passed: true, note: '' }).params).toMatchObject({ item: 'customer-test' });
    expect(describeAction(undefined, { type: 'clear', field: 'signature' }).params).toEqual({ item: 'signature', field: 'signature' });
    expect(describeAction(undefined, { type: 'offer-declined', offer: 'gift', note: '' }).params).toEqual({ item: 'gift', offer: 'gift', note: '' });
    expect(describeAction(undefined, { type: 'dispute', description: 'x' }).params).toEqual({ item: 'dispute', note: 'x' });
  });

  it('gives each test run of a real visit the round it happened in: a customer\'s failed run starts the next', async () => {
    const { events } = await eventfulVisit();
    const tests = describeEvents(checklist, events).filter((d) => d.key === 'event.test-passed' || d.key === 'event.test-failed');
    expect(tests.map((d) => [d.key, 'round' in d.params ? d.params.round : null])).toEqual([
      ['event.test-passed', 1], ['event.test-failed', 1], ['event.test-passed', 2], ['event.test-passed', 2],
    ]);
    expect(describeEvents(checklist, [])).toEqual([]);
  });

  it('describes every event of a real visit, one description each, in order, with ids and codes but no sentence', async () => {
    const { events } = await eventfulVisit();
    const described = describeEvents(checklist, events);
    expect(described).toHaveLength(events.length);
    described.forEach((d, i) => expect(d).toEqual(describeAction(checklist, events[i]!.action, 'round' in d.params ? d.params.round : 1)));
    expect(new Set(described.map((d) => d.key))).toEqual(new Set(DESCRIPTION_KEYS.filter((k) => k.startsWith('event.') && k !== 'event.untick')));
    for (const d of described) expect(isSentence(d), JSON.stringify(d)).toBe(false);
  });
});

describe('describing an incident', () => {
  it('takes a declined offer\'s kind and note from the event that logged it, whatever the note holds', async () => {
    const state = await eventfulVisit();
    const described = describeIncidents(incidents(state), state.events);
    expect(described).toEqual([
      { key: 'incident.declined-offer', params: { rule: 'no-smoking', offer: 'cigarette', note: '' } },
      { key: 'incident.declined-offer', params: { rule: 'no-food', offer: 'food-drink', note: hostileNote } },
      { key: 'incident.dispute', params: { rule: 'no-arguing', note: disputeText } },
      { key: 'incident.conduct-breach', params: { rule: 'no-gifts' } },
    ]);
  });

  it('describes a sealed form\'s incidents the same from its own events', async () => {
    const form = await eventfulForm();
    const state = await eventfulVisit();
    expect(describeIncidents(form.incidents, form.events)).toEqual(describeIncidents(incidents(state), state.events));
  });

  it('reads the detail when the event that would have logged it is missing or did not write it', async () => {
    const state = await eventfulVisit();
    const logged: Incident[] = incidents(state);
    const offerEvents = state.events.filter((e) => e.action.type === 'offer-declined');
    // the event's time differs: not the one that wrote it, so the detail is read (the same answer here)
    const moved: VisitEvent[] = offerEvents.map((e) => ({ ...e, at: '2026-03-10T09:00:00.000Z' }));
    expect(describeIncidents(logged, moved)).toEqual(describeIncidents(logged, state.events));
    // the event says another offer than the detail: the detail the form carries wins
    const other: VisitEvent[] = offerEvents.map((e) => ({ ...e, action: { type: 'offer-declined', offer: 'gift', note: '' } }));
    expect(describeIncidents(logged, other)[0]).toEqual({ key: 'incident.declined-offer', params: { rule: 'no-smoking', offer: 'cigarette', note: '' } });
    // no events at all (a dispute record)
    expect(describeIncidents(logged)).toEqual(describeIncidents(logged, state.events));
    // more declined offers than events
    expect(describeIncidents(logged, offerEvents.slice(0, 1))[1]).toEqual({ key: 'incident.declined-offer', params: { rule: 'no-food', offer: 'food-drink', note: hostileNote } });
  });

  it('reads a declined offer without its event: the first ": " ends the kind, an empty note is none, an unknown kind is kept as it came', () => {
    expect(describeIncident(incident('declined-offer', 'food-drink: a: b'))).toEqual({ key: 'incident.declined-offer', params: { rule: 'no-smoking', offer: 'food-drink', note: 'a: b' } });
    expect(describeIncident(incident('declined-offer', 'gift'))).toEqual({ key: 'incident.declined-offer', params: { rule: 'no-smoking', offer: 'gift', note: '' } });
    expect(describeIncident(incident('declined-offer', 'other: x'))).toEqual({ key: 'incident.declined-offer-unread', params: { rule: 'no-smoking', note: 'other: x' } });
    expect(describeIncident(incident('declined-offer', ''))).toEqual({ key: 'incident.declined-offer-unread', params: { rule: 'no-smoking', note: '' } });
  });

  it('keeps a dispute\'s description, words a breach by its rule, and keeps what it does not know as it came', () => {
    expect(describeIncident(incident('dispute', 'not-kept', 'no-arguing'))).toEqual({ key: 'incident.dispute', params: { rule: 'no-arguing', note: 'not-kept' } });
    expect(describeIncident(incident('conduct-breach', 'not-kept', 'no-gifts'))).toEqual({ key: 'incident.conduct-breach', params: { rule: 'no-gifts' } });
    expect(describeIncident(incident('conduct-breach', 'kept?', 'no-gifts'))).toEqual({ key: 'incident.unknown', params: { kind: 'conduct-breach', rule: 'no-gifts', note: 'kept?' } });
    expect(describeIncident(incident('something-new', 'x: y', 'r'))).toEqual({ key: 'incident.unknown', params: { kind: 'something-new', rule: 'r', note: 'x: y' } });
  });

  it('lists every key it can produce, each produced by some event or incident above', () => {
    expect([...DESCRIPTION_KEYS].sort()).toEqual([
      'event.clear', 'event.dispute', 'event.offer-declined', 'event.set', 'event.step', 'event.test-failed', 'event.test-passed', 'event.tick', 'event.untick',
      'incident.conduct-breach', 'incident.declined-offer', 'incident.declined-offer-unread', 'incident.dispute', 'incident.unknown',
    ]);
  });
});
