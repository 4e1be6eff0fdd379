// Labels from the form's own published checklist version in the clerk's language, and the words for every event and
// incident of real forms built by the real engine.
import { describe, expect, it } from 'vitest';
import type { VisitAction } from '../../src/domain/form-schema';
import { checklist as fixtureChecklist, sealedForm } from '../fixtures/visits';
import { checklistOf, describeAction, fieldLabel, incidentDetail, incidentKindLabel, itemLabel, prohibitions, publishedChecklists, ruleLabel, ruleLabelInAnyVersion, stepLabel } from '../../src/backoffice/checklist-labels';
import { published } from '../fixtures/checklists';
import { LANGS, translator } from '../../src/backoffice/i18n';

describe('checklist labels', () => {
  const checklist = checklistOf(fixtureChecklist);

  it('come from every published version, the ones the server loads', () => {
    expect(publishedChecklists.versions()).toEqual(published.versions());
    expect(checklist).toEqual(fixtureChecklist);
    expect(checklistOf({ id: 'onsite-service', version: 999 })).toBeUndefined();
  });

  it('name items and rules by id in each language', () => {
    expect(itemLabel(checklist, 'kit.gloves', 'zh-CN')).toBe('手套');
    expect(itemLabel(checklist, 'kit.gloves', 'en')).toBe('Gloves');
    expect(ruleLabel(checklist, 'no-smoking', 'en')).toContain('no smoking');
    expect(ruleLabelInAnyVersion('no-smoking', 'en')).toContain('no smoking');
    expect(prohibitions(checklist).map((r) => r.id)).toEqual(['no-smoking', 'no-food', 'no-gifts', 'no-arguing']);
  });

  it('show an unknown id, or any id of a version this back office does not know, as it is', () => {
    expect(itemLabel(checklist, 'kit.unknown', 'en')).toBe('kit.unknown');
    expect(ruleLabel(checklist, 'no-such-rule', 'zh-CN')).toBe('no-such-rule');
    expect(ruleLabelInAnyVersion('no-such-rule', 'zh-CN')).toBe('no-such-rule');
    expect(itemLabel(undefined, 'kit.gloves', 'en')).toBe('kit.gloves');
    expect(ruleLabel(undefined, 'no-smoking', 'en')).toBe('no-smoking');
    expect(fieldLabel(undefined, 'faultFound', 'en')).toBe('faultFound');
    expect(stepLabel(undefined, 'seal', 'en')).toBe('seal');
    expect(prohibitions(undefined)).toEqual([]);
    expect(describeAction(undefined, { type: 'tick', item: 'kit.gloves' }, 'en', translator('en'))).toBe('Ticked: kit.gloves');
  });
});

describe('describeAction', () => {
  it('describes every event of a real first visit in a festival, with no placeholder left over', async () => {
    const { form } = await sealedForm({ facts: { date: '2026-02-20', firstVisit: true, festival: { id: 'spring', name: { 'zh-CN': '春节', en: 'Spring Festival' } } } });
    for (const lang of LANGS) {
      const t = translator(lang);
      for (const event of form.events) {
        const text = describeAction(checklistOf(form.checklist), event.action, lang, t);
        expect(text, JSON.stringify(event.action)).not.toMatch(/\{\w+\}/);
        expect(text.trim()).not.toBe('');
      }
    }
  });

  it('names the item, the step, the field and the offer', () => {
    const en = translator('en');
    const zh = translator('zh-CN');
    const say = (action: VisitAction) => describeAction(fixtureChecklist, action, 'en', en);
    expect(say({ type: 'tick', item: 'kit.gloves' })).toBe('Ticked: Gloves');
    expect(describeAction(fixtureChecklist, { type: 'tick', item: 'kit.gloves' }, 'zh-CN', zh)).toBe('勾选：手套');
    expect(say({ type: 'untick', item: 'kit.mat' })).toBe('Unticked: Rubber mat (for removed small parts)');
    expect(say({ type: 'step', step: 'confirm-gloves' })).toBe('Gloves on');
    expect(say({ type: 'test', by: 'customer', passed: false, note: 'still noisy' })).toBe("Customer's test run: failed still noisy");
    expect(say({ type: 'test', by: 'technician', passed: true, note: '' })).toBe("Technician's test run: passed");
    expect(say({ type: 'set', field: 'faultFound', value: 'x' })).toBe('Filled in: Fault found');
    expect(say({ type: 'clear', field: 'signature' })).toBe("Cleared: Customer's signature");
    expect(say({ type: 'offer-declined', offer: 'gift', note: '' })).toBe("Declined the customer's gift");
    expect(describeAction(fixtureChecklist, { type: 'offer-declined', offer: 'cigarette', note: '递烟' }, 'zh-CN', zh)).toBe('谢绝用户的香烟 递烟');
    expect(say({ type: 'dispute', description: '<b>价格</b>' })).toBe('Reported a dispute: <b>价格</b>');
  });
});

describe('incidents', () => {
  const en = translator('en');
  it('name the kind, and keep an unknown kind as it came', () => {
    expect(incidentKindLabel('conduct-breach', en)).toBe('Conduct breach');
    expect(incidentKindLabel('something-new', en)).toBe('something-new');
  });

  it('put the phone\'s codes into words and keep free text', () => {
    expect(incidentDetail({ kind: 'conduct-breach', detail: 'not-kept' }, en)).toBe('Not kept');
    expect(incidentDetail({ kind: 'declined-offer', detail: 'cigarette: 用户递烟' }, en)).toBe('cigarettes: 用户递烟');
    expect(incidentDetail({ kind: 'declined-offer', detail: 'gift' }, en)).toBe('gift');
    expect(incidentDetail({ kind: 'declined-offer', detail: 'other: x' }, en)).toBe('other: x');
    expect(incidentDetail({ kind: 'dispute', detail: 'not-kept' }, en)).toBe('not-kept');
  });

  it('describe the incidents of a real form', async () => {
    const { form } = await sealedForm();
    expect(form.incidents.map((i) => incidentDetail(i, en))).toEqual(['cigarettes']);
  });
});
