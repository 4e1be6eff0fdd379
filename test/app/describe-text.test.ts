// The phone words the domain's descriptions of events and incidents: every key in both languages,
// items and rules in the words of the form's own checklist version, notes as they were written.
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, type Checklist } from '../../src/domain/checklist';
import { DESCRIPTION_KEYS } from '../../src/domain/describe';
import { describedText, eventLines, incidentLines } from '../../src/app/describe-text';
import { loadLocale, translate } from '../../src/app/i18n';
import { screensEn } from '../../src/app/i18n/screens.en';
import { screensZh } from '../../src/app/i18n/screens.zh-CN';
import { checklist } from '../fixtures/visits';
import { SAMPLE_DESCRIPTIONS } from '../fixtures/descriptions';
import { disputeText, eventfulForm, hostileNote } from '../fixtures/eventful-visit';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const tables: Record<string, Record<string, string>> = { 'zh-CN': screensZh, en: screensEn };

beforeAll(() => loadLocale('en'));

describe('the words for every description', () => {
  it('exist in both languages for every key the describer can produce, with the same placeholders', () => {
    expect(Object.keys(SAMPLE_DESCRIPTIONS).sort()).toEqual([...DESCRIPTION_KEYS].sort());
    for (const key of DESCRIPTION_KEYS) {
      for (const locale of LOCALES) expect(tables[locale]![key]?.trim(), `${locale} ${key}`).toBeTruthy();
      expect(placeholders(screensEn[key]), key).toEqual(placeholders(screensZh[key]));
    }
  });

  it.each(LOCALES)('leave no placeholder unfilled and name no id or code in %s', (locale) => {
    for (const description of Object.values(SAMPLE_DESCRIPTIONS)) {
      const line = describedText(locale, checklist, description);
      expect(line, description.key).not.toMatch(/\{\w+\}/);
      expect(line.trim(), description.key).not.toBe('');
      for (const [name, value] of Object.entries(description.params)) {
        // ids everywhere; codes in the Chinese text (English words may spell a code, as "cigarette")
        const coded = locale === 'zh-CN' ? ['item', 'rule', 'offer', 'by'] : ['item', 'rule'];
        if (coded.includes(name)) expect(line, `${description.key} ${name}`).not.toContain(String(value));
      }
    }
  });
});

describe('the time line and the incidents of a real form', () => {
  it.each(LOCALES)('describe every event in %s in the checklist\'s words, with the notes as written', async (locale) => {
    const form = await eventfulForm();
    const lines = eventLines(locale, checklist, form.events);
    expect(lines).toHaveLength(form.events.length);
    const leak = locale === 'zh-CN' ? /\{\w+\}|[a-z]{3,}/ : /\{\w+\}|food-drink|technician-test|customer-test|\w\.\w/;
    for (const line of lines) expect(line).not.toMatch(leak);
    const gift = checklist.items.find((i) => i.id === 'kit.gift')!.text[locale];
    expect(lines.some((l) => l === translate(locale, 'event.tick', { item: gift }))).toBe(true);
    expect(lines.some((l) => l.includes(disputeText))).toBe(true);
    expect(lines.some((l) => l.includes(hostileNote))).toBe(true);
    expect(lines.filter((l) => l.includes(translate(locale, 'test.by.customer')) && l.includes('2'))).toHaveLength(1);
  });

  it('name a declined offer in the reader\'s language, keep a note with ": " whole, and word a breach and a dispute', async () => {
    const form = await eventfulForm();
    expect(incidentLines('zh-CN', checklist, form.incidents, form.events)).toEqual([
      translate('zh-CN', 'offer.cigarette'),
      `${translate('zh-CN', 'offer.food-drink')} ${hostileNote}`,
      `争议：${disputeText}`,
      '用户反映未遵守',
    ]);
    expect(incidentLines('en', checklist, form.incidents, form.events)[1]).toBe(`Declined food or drink ${hostileNote}`);
  });

  it('show a declined offer of an unknown kind and an unknown incident as they came', () => {
    const at = '2026-03-10T01:00:00.000Z';
    expect(incidentLines('en', checklist, [{ kind: 'declined-offer', rule: 'no-food', detail: 'other: x', at }], [])).toEqual(['Declined: other: x']);
    expect(incidentLines('zh-CN', checklist, [{ kind: 'later-kind', rule: 'no-food', detail: 'x', at }], [])).toEqual(['later-kind：x']);
  });

  it('take the items\' words from the version the form was filled under', () => {
    const renamed: Checklist = { ...checklist, version: 2, items: checklist.items.map((i) => (i.id === 'kit.gloves' ? { ...i, text: { 'zh-CN': '绝缘手套', en: 'Insulated gloves' } } : i)) };
    const tick = SAMPLE_DESCRIPTIONS['event.tick'];
    expect(describedText('en', checklist, tick)).toBe('Ticked: Gloves');
    expect(describedText('en', renamed, tick)).toBe('Ticked: Insulated gloves');
    expect(describedText('zh-CN', renamed, tick)).toBe('勾选：绝缘手套');
    expect(describedText('en', checklist, { key: 'event.tick', params: { item: 'kit.unknown' } })).toBe('Ticked: kit.unknown');
  });
});
