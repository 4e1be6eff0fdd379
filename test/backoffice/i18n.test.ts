// The two tables are complete and agree: every key in both, no empty text, the same placeholders;
// and the chosen language persists.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LANG, LANG_STORAGE_KEY, LANGS, loadLang, MESSAGES, saveLang, translator, type MessageKey } from '../../src/backoffice/i18n';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message tables', () => {
  const zhKeys = Object.keys(MESSAGES['zh-CN']).sort();

  it('have the same keys in both languages', () => {
    for (const lang of LANGS) expect(Object.keys(MESSAGES[lang]).sort()).toEqual(zhKeys);
  });

  it('have no empty message and no Chinese in the English table', () => {
    for (const lang of LANGS) {
      for (const [key, text] of Object.entries(MESSAGES[lang])) expect(text.trim(), `${lang} ${key}`).not.toBe('');
    }
    // the language switch names Chinese in Chinese on purpose
    const english = Object.entries(MESSAGES.en).filter(([key]) => key !== 'app.otherLanguage');
    for (const [key, text] of english) expect(/[\u4e00-\u9fff]/.test(text), `en ${key}: ${text}`).toBe(false);
  });

  it('use the same placeholders in both languages', () => {
    for (const key of zhKeys as MessageKey[]) {
      expect(placeholders(MESSAGES.en[key]), key).toEqual(placeholders(MESSAGES['zh-CN'][key]));
    }
  });

  it('have a message for every key the pages ask for', () => {
    const dir = new URL('../../src/backoffice/', import.meta.url);
    const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f) && !f.startsWith('i18n'))
      .map((f) => readFileSync(new URL(f, dir), 'utf8'));
    const literalKeys = sources.flatMap((src) => [...src.matchAll(/\bt\(\s*'([\w.-]+)'/g)].map((m) => m[1]!));
    expect(literalKeys.length).toBeGreaterThan(100);
    for (const key of literalKeys) expect(zhKeys, key).toContain(key);
  });
});

describe('translator', () => {
  it('fills placeholders and leaves a missing one visible', () => {
    const t = translator('en');
    expect(t('forms.page', { n: 3 })).toBe('Page 3');
    expect(t('forms.page')).toBe('Page {n}');
    expect(translator('zh-CN')('forms.page', { n: 3 })).toBe('第 3 页');
  });

  it('inserts values as they are, with no second substitution', () => {
    expect(translator('en')('disputes.heading', { customer: '{date}<script>', date: '2026-03-10' })).toBe('{date}<script>, 2026-03-10');
  });
});

describe('language choice', () => {
  const storage = () => {
    const map = new Map<string, string>();
    return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), map };
  };

  it('defaults to Chinese', () => {
    expect(DEFAULT_LANG).toBe('zh-CN');
    expect(loadLang(storage())).toBe('zh-CN');
    expect(loadLang(null)).toBe('zh-CN');
  });

  it('persists a switch to English', () => {
    const s = storage();
    saveLang(s, 'en');
    expect(s.map.get(LANG_STORAGE_KEY)).toBe('en');
    expect(loadLang(s)).toBe('en');
  });

  it('ignores a stored value that is not a language', () => {
    const s = storage();
    s.setItem(LANG_STORAGE_KEY, 'fr');
    expect(loadLang(s)).toBe('zh-CN');
  });

  it('works when storage throws (disabled or full)', () => {
    const broken = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(loadLang(broken)).toBe('zh-CN');
    expect(() => saveLang(broken, 'en')).not.toThrow();
  });
});
