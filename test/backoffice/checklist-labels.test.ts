// Labels from the form's own published checklist version in the clerk's language.
import { describe, expect, it } from 'vitest';
import { checklist as fixtureChecklist } from '../fixtures/visits';
import { checklistOf, fieldLabel, itemLabel, prohibitions, publishedChecklists, ruleLabel, ruleLabelInAnyVersion, stepLabel } from '../../src/backoffice/checklist-labels';
import { published } from '../fixtures/checklists';

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
  });
});
