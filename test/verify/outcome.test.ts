// The verify page's words for every outcome, in both languages: a plain result and the facts beside it.
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/domain/checklist';
import { pickLocale, VERIFY_MESSAGES } from '../../src/verify/i18n';
import { viewOf, type Outcome } from '../../src/verify/outcome';

const code = { formId: '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', seal: 'ab'.repeat(32) };
const time = (iso: string) => `<${iso}>`;
const held = {
  result: 'held' as const, formId: code.formId, seal: 'verified' as const, visitDate: '2026-03-10', sealedAt: '2026-03-10T10:00:00.000+08:00',
  equipment: { type: '洗扫车', model: 'XS-5000' }, technicianName: '张师傅', deviceSignature: 'not-recorded' as const,
};

describe('verify page outcomes', () => {
  it('has every message in both languages, none empty', () => {
    const keys = Object.keys(VERIFY_MESSAGES['zh-CN']).sort();
    for (const locale of LOCALES) {
      expect(Object.keys(VERIFY_MESSAGES[locale]).sort()).toEqual(keys);
      for (const key of keys) expect(VERIFY_MESSAGES[locale][key as keyof (typeof VERIFY_MESSAGES)['en']].trim(), `${locale} ${key}`).not.toBe('');
    }
  });

  it('says a genuine form is genuine, with its date, equipment, technician, seal and device signature state', () => {
    const zh = viewOf({ kind: 'answer', code, answer: held }, 'zh-CN', time);
    expect(zh).toMatchObject({ result: 'held-verified', tone: 'ok', heading: '真实有效', retry: false, problems: [] });
    expect(zh.facts).toEqual([
      ['上门日期', '2026-03-10'], ['封签时间', '<2026-03-10T10:00:00.000+08:00>'], ['设备', '洗扫车 · XS-5000'], ['维修师傅', '张师傅'],
      ['封签核验', '已核验（SHA-256 与存档一致）'], ['设备签名', '未记录'], ['服务单编号', code.formId, 'code'], ['封签码', code.seal, 'code'],
    ]);
    const en = viewOf({ kind: 'answer', code, answer: { ...held, equipment: { type: 'sweeper', model: '' } } }, 'en', time);
    expect(en).toMatchObject({ heading: 'Genuine' });
    expect(en.facts).toContainEqual(['Equipment', 'sweeper']);
    expect(en.facts).toContainEqual(['Device signature', 'not recorded']);
  });

  it('says plainly when the seal fails, differs, is a rival\'s, or the form is unknown, and gives no facts but the code', () => {
    const cases: Array<[Outcome, string, string, RegExp]> = [
      [{ kind: 'answer', code, answer: { ...held, seal: 'failed' } }, 'held-failed', 'bad', /recomputed over the stored form differs/],
      [{ kind: 'answer', code, answer: { result: 'seal-differs', formId: code.formId } }, 'seal-differs', 'bad', /forged or altered/],
      [{ kind: 'answer', code, answer: { result: 'conflict', formId: code.formId } }, 'conflict', 'notice', /second version/],
      [{ kind: 'answer', code, answer: { result: 'unknown', formId: code.formId } }, 'unknown', 'notice', /may not have sent it yet/],
    ];
    for (const [outcome, result, tone, text] of cases) {
      const view = viewOf(outcome, 'en', time);
      expect(view, result).toMatchObject({ result, tone });
      expect(view.text, result).toMatch(text);
      if (result !== 'held-failed') expect(view.facts).toEqual([['Form number', code.formId, 'code'], ['Seal (SHA-256)', code.seal, 'code']]);
    }
    expect(viewOf(cases[1]![0], 'zh-CN', time).heading).toBe('与存档不符');
  });

  it('names the wrong parts of a malformed code, and offers a retry after a refusal or a network failure', () => {
    const malformed = viewOf({ kind: 'malformed', problems: [{ path: 'seal', message: 'x' }] }, 'zh-CN', time);
    expect(malformed).toMatchObject({ result: 'malformed', tone: 'bad', heading: '二维码内容不完整或被改动', problems: ['封签有误'], facts: [] });
    expect(viewOf({ kind: 'rate-limited', retryAfterSeconds: 42 }, 'en', time)).toMatchObject({ result: 'rate-limited', retry: true, text: expect.stringContaining('42 s') });
    expect(viewOf({ kind: 'error', code, detail: 'Failed to fetch' }, 'en', time)).toMatchObject({ result: 'error', retry: true, text: expect.stringContaining('Failed to fetch') });
  });

  it('follows the saved choice, else the browser\'s first Chinese or English language, else Chinese', () => {
    expect(pickLocale('en', ['zh-CN'])).toBe('en');
    expect(pickLocale(null, ['fr-FR', 'en-GB', 'zh-TW'])).toBe('en');
    expect(pickLocale(null, ['zh-HK', 'en'])).toBe('zh-CN');
    expect(pickLocale('de', ['de-DE'])).toBe('zh-CN');
  });
});
