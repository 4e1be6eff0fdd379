import { beforeAll, describe, expect, it } from 'vitest';
import { describeIncidentDetail } from '../../src/app/incident-text';
import { loadLocale, translate } from '../../src/app/i18n';
import '../../src/app/i18n/screens';
import type { Incident } from '../../src/domain/form-schema';
import type { Locale } from '../../src/domain/locales';
import { checklist } from '../fixtures/visits';

const i18n = (locale: Locale) => ({ t: (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(locale, key, params) });
const at = '2026-03-10T01:00:00.000Z';

beforeAll(() => loadLocale('en'));

describe('an incident as people read it', () => {
  it('names a declined offer in the reader\'s language, never by its code, and keeps the note', () => {
    const cigarette: Incident = { kind: 'declined-offer', rule: 'no-smoking', detail: 'cigarette', at, flagged: false };
    const tea: Incident = { kind: 'declined-offer', rule: 'no-food', detail: 'food-drink: 一杯茶', at, flagged: false };
    expect(describeIncidentDetail(i18n('zh-CN'), checklist, cigarette)).toBe(translate('zh-CN', 'offer.cigarette'));
    expect(describeIncidentDetail(i18n('zh-CN'), checklist, cigarette)).not.toContain('cigarette');
    expect(describeIncidentDetail(i18n('en'), checklist, tea)).toBe(`${translate('en', 'offer.food-drink')}: 一杯茶`);
  });

  it('words a conduct breach as "not kept" and leaves a dispute\'s description as the technician wrote it', () => {
    const breach: Incident = { kind: 'conduct-breach', rule: 'no-gifts', detail: 'not-kept', at, flagged: true };
    const dispute: Incident = { kind: 'dispute', rule: 'no-arguing', detail: '用户认为收费过高', at, flagged: true };
    expect(describeIncidentDetail(i18n('zh-CN'), checklist, breach)).toBe(translate('zh-CN', 'sign.notKept'));
    expect(describeIncidentDetail(i18n('en'), checklist, dispute)).toBe('用户认为收费过高');
  });
});
