// The back office words the domain's descriptions of events and incidents: every key in both
// languages, items and rules in the words of the form's own version, notes as they were written.
import { describe, expect, it } from 'vitest';
import type { Checklist } from '../../src/domain/checklist';
import { DESCRIPTION_KEYS } from '../../src/domain/describe';
import { checklistOf } from '../../src/backoffice/checklist-labels';
import { describedText, eventLines, incidentDetails, incidentKindLabel } from '../../src/backoffice/describe-text';
import { LANGS, MESSAGES, translator } from '../../src/backoffice/i18n';
import { checklist as fixtureChecklist, sealedForm } from '../fixtures/visits';
import { SAMPLE_DESCRIPTIONS } from '../fixtures/descriptions';
import { disputeText, eventfulForm, hostileNote } from '../fixtures/eventful-visit';

const en = translator('en');
const zh = translator('zh-CN');
const at = '2026-03-10T01:00:00.000Z';

describe('the words for every description', () => {
  it('exist in both languages for every key the describer can produce', () => {
    expect(Object.keys(SAMPLE_DESCRIPTIONS).sort()).toEqual([...DESCRIPTION_KEYS].sort());
    for (const key of DESCRIPTION_KEYS) {
      for (const lang of LANGS) expect((MESSAGES[lang] as Record<string, string>)[key]?.trim(), `${lang} ${key}`).toBeTruthy();
    }
  });

  it('leave no placeholder unfilled and show no item or rule id', () => {
    for (const lang of LANGS) {
      for (const description of Object.values(SAMPLE_DESCRIPTIONS)) {
        const text = describedText(description, fixtureChecklist, lang, translator(lang));
        expect(text, `${lang} ${description.key}`).not.toMatch(/\{\w+\}/);
        expect(text.trim(), `${lang} ${description.key}`).not.toBe('');
        const p = description.params as Record<string, unknown>;
        for (const id of [p.item, p.rule]) if (typeof id === 'string') expect(text, `${lang} ${description.key}`).not.toContain(id);
      }
    }
  });
});

describe('the time line', () => {
  it('describes every event of a real first visit in a festival, with no placeholder left over', async () => {
    const { form } = await sealedForm({ facts: { date: '2026-02-20', firstVisit: true, festival: { id: 'spring', name: { 'zh-CN': '春节', en: 'Spring Festival' } } } });
    for (const lang of LANGS) {
      const lines = eventLines(checklistOf(form.checklist), form.events, lang, translator(lang));
      expect(lines).toHaveLength(form.events.length);
      for (const text of lines) {
        expect(text).not.toMatch(/\{\w+\}/);
        expect(text.trim()).not.toBe('');
      }
    }
  });

  it('names the item, the step, the field and the offer, with the round and the notes', async () => {
    const form = await eventfulForm();
    const lines = eventLines(fixtureChecklist, form.events, 'en', en);
    expect(lines).toContain('Ticked: Gloves');
    expect(eventLines(fixtureChecklist, form.events, 'zh-CN', zh)).toContain('勾选：手套');
    expect(lines).toContain('Gloves on');
    expect(lines).toContain("Customer's test run (round 1): failed 仍有异响");
    expect(lines).toContain("Technician's test run (round 2): passed");
    expect(lines).toContain('Filled in: Fault found');
    expect(lines).toContain('Cleared: Fault found');
    expect(lines).toContain("Declined the customer's cigarettes");
    expect(lines).toContain(`Declined the customer's food or drink ${hostileNote}`);
    expect(lines).toContain(`Reported a dispute: ${disputeText}`);
    expect(eventLines(fixtureChecklist, form.events, 'zh-CN', zh)).toContain('谢绝用户的香烟');
  });

  it('shows ids as they are for a version this back office does not know', async () => {
    const form = await eventfulForm();
    const lines = eventLines(undefined, form.events, 'en', en);
    expect(lines).toContain('Ticked: kit.gloves');
    expect(lines).toContain('Cleared: form.fault-found');
  });

  it('takes the items\' words from the version the form was filled under', () => {
    const renamed: Checklist = { ...fixtureChecklist, version: 2, items: fixtureChecklist.items.map((i) => (i.id === 'kit.gloves' ? { ...i, text: { 'zh-CN': '绝缘手套', en: 'Insulated gloves' } } : i)) };
    expect(describedText(SAMPLE_DESCRIPTIONS['event.tick'], renamed, 'en', en)).toBe('Ticked: Insulated gloves');
    expect(describedText(SAMPLE_DESCRIPTIONS['event.tick'], fixtureChecklist, 'en', en)).toBe('Ticked: Gloves');
  });
});

describe('incidents', () => {
  it('name the kind, and keep an unknown kind as it came', () => {
    expect(incidentKindLabel('conduct-breach', en)).toBe('Conduct breach');
    expect(incidentKindLabel('declined-offer', zh)).toBe('谢绝馈赠');
    expect(incidentKindLabel('something-new', en)).toBe('something-new');
  });

  it('describe the incidents of a real form from its events: the offer in words, a note with ": " whole', async () => {
    const form = await eventfulForm();
    expect(incidentDetails(form.incidents, form.events, fixtureChecklist, 'en', en)).toEqual(['cigarettes', `food or drink ${hostileNote}`, disputeText, 'Not kept']);
    expect(incidentDetails(form.incidents, form.events, fixtureChecklist, 'zh-CN', zh)).toEqual(['香烟', `食品、饮品 ${hostileNote}`, disputeText, '未遵守']);
  });

  it('read a record without events (a dispute record) and keep what they do not know as it came', () => {
    const rows = [
      { kind: 'conduct-breach', rule: 'no-gifts', detail: 'not-kept', at },
      { kind: 'dispute', rule: 'no-arguing', detail: 'not-kept', at },
      { kind: 'declined-offer', rule: 'no-smoking', detail: 'cigarette: 用户递烟: 两次', at },
      { kind: 'declined-offer', rule: 'no-smoking', detail: 'other: x', at },
      { kind: 'something-new', rule: 'x', detail: 'y', at },
    ];
    expect(incidentDetails(rows, undefined, undefined, 'en', en)).toEqual(['Not kept', 'not-kept', 'cigarettes 用户递烟: 两次', 'other: x', 'y']);
  });
});

