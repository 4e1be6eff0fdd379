import { beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '../../src/domain/checklist';
import { REJECTION_CODES, type RejectionCode } from '../../src/domain/rejection';
import { loadLocale } from '../../src/app/i18n';
import { formatRejection } from '../../src/app/i18n/rejections';
import { checklist } from '../fixtures/visits';

/** The parameters the server sends with each code (src/server/ingest.ts, src/domain/service-form.ts). */
const PARAMS: Record<RejectionCode, Record<string, string | number>> = {
  'invalid-field': {},
  'technician-mismatch': { claimed: 'tech-1', sender: 'tech-2' },
  'unknown-technician': { claimed: 'ghost' },
  'unknown-checklist': { checklist: 'onsite-service v9', known: 'onsite-service v1' },
  'festival-mismatch': { date: '2027-02-06', expected: 'spring', claimed: '' },
  'signature-mismatch': {},
  'signature-too-large': { maxKiB: 512 },
  'seal-mismatch': {},
  'event-refused': { seq: 11, rule: 'must-gloves', refusal: 'refusal.missingPrerequisite' },
  'form-mismatch': { field: 'satisfaction' },
  'uncheckable': {},
  'device-signature-missing': { technician: 'tech-1' },
  'device-key-unknown': { keyId: '0123456789ab' },
  'device-key-other-technician': { keyId: '0123456789ab', technician: 'tech-1', keyTechnician: 'tech-2' },
  'device-key-revoked': { keyId: '0123456789ab', revokedAt: '2027-01-01T00:00:00.000Z' },
  'device-signature-invalid': { keyId: '0123456789ab' },
  'more-errors': { count: 3 },
};
const error = (code: string, params: Record<string, string | number> = PARAMS[code as RejectionCode] ?? {}) =>
  ({ path: 'form.satisfaction', message: 'expected number, got "5"', reason: { code, params } });

beforeAll(async () => {
  for (const locale of LOCALES) await loadLocale(locale);
});

describe('a rejected form\'s reasons, in the technician\'s language', () => {
  it.each(LOCALES.flatMap((locale) => REJECTION_CODES.map((code) => [locale, code] as [Locale, RejectionCode])))('%s: %s is a whole sentence, every parameter filled', (locale, code) => {
    const text = formatRejection(locale, checklist, error(code));
    expect(text).not.toMatch(/\{\w+\}/);
    expect(text.length).toBeGreaterThan(5);
    if (locale === 'zh-CN') expect(text).toMatch(/\p{Script=Han}/u);
  });

  it('names the broken rule in the checklist\'s words and counts steps from one', () => {
    const rule = checklist.rules.find((r) => r.id === 'must-gloves')!;
    expect(formatRejection('zh-CN', checklist, error('event-refused'))).toContain(rule.text['zh-CN']);
    expect(formatRejection('en', checklist, error('event-refused'))).toContain(rule.text.en);
    expect(formatRejection('en', checklist, error('event-refused'))).toContain('Step 12');
  });

  it('keeps the server\'s path and message for a field the server could not read', () => {
    expect(formatRejection('zh-CN', checklist, error('invalid-field'))).toContain('form.satisfaction');
    expect(formatRejection('en', checklist, error('invalid-field'))).toContain('expected number, got "5"');
  });

  it('shows a reason without a code, or with a code this app does not know, as the server gave it', () => {
    expect(formatRejection('zh-CN', checklist, { path: 'form.x', message: 'something new' })).toBe('form.x：something new');
    expect(formatRejection('en', checklist, error('from-a-newer-server', { any: 1 }))).toBe('form.satisfaction: expected number, got "5"');
  });

  it('does not trip over parameters of the wrong type', () => {
    expect(formatRejection('en', checklist, error('event-refused', { seq: 'x', rule: 3 }))).toBe('Step ? of the event log breaks the rule "3".');
  });
});
