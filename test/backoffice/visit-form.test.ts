// The "new visit" form: checked with DispatchedVisitSchema, each problem keyed by its field and said in the clerk's language.
import { describe, expect, it } from 'vitest';
import { DispatchedVisitSchema } from '../../src/domain/api';
import { translator } from '../../src/backoffice/i18n';
import { checkVisitDraft, emptyVisitDraft, VISIT_FIELD_PATHS, type VisitDraft } from '../../src/backoffice/visit-form';

const en = translator('en');
const zh = translator('zh-CN');

const good: VisitDraft = {
  ...emptyVisitDraft('2026-03-10'),
  technicianId: 'tech-1',
  customerName: '  某市环卫处 ',
  customerPhone: ' 138 0000 0000 ',
  equipmentType: '洗扫车',
  notes: ' 带上碳刷 ',
};

describe('checkVisitDraft', () => {
  it('accepts a complete draft, trimmed, without an id when none was typed', () => {
    const check = checkVisitDraft(good, en);
    expect(check).toEqual({
      ok: true,
      visit: {
        technicianId: 'tech-1', scheduledDate: '2026-03-10', firstVisit: false, notes: '带上碳刷',
        customer: { name: '某市环卫处', phone: '138 0000 0000', address: '' },
        equipment: { type: '洗扫车', model: '', serial: '' },
      },
    });
  });

  it('sends a typed id, and the result is a visit the shared schema accepts', () => {
    const check = checkVisitDraft({ ...good, id: ' V-2026-0042 ' }, en);
    expect(check.ok && check.visit.id).toBe('V-2026-0042');
    expect(check.ok && DispatchedVisitSchema.safeParse(check.visit).success).toBe(true);
  });

  it('names each missing required field by its path', () => {
    const check = checkVisitDraft(emptyVisitDraft('2026-03-10'), zh);
    expect(check).toEqual({ ok: false, errors: { technicianId: '必填', 'customer.name': '必填', 'equipment.type': '必填' } });
  });

  it('treats a field of blanks as left empty', () => {
    const check = checkVisitDraft({ ...good, customerName: '   ', equipmentType: '\t' }, en);
    expect(check).toEqual({ ok: false, errors: { 'customer.name': 'Required', 'equipment.type': 'Required' } });
  });

  it('refuses a bad date, a bad phone and text too long, in the clerk\'s language', () => {
    const check = checkVisitDraft({ ...good, scheduledDate: '2026-02-30', customerPhone: 'call me', equipmentModel: 'x'.repeat(201), id: 'v'.repeat(65) }, en);
    expect(check).toEqual({
      ok: false,
      errors: {
        id: 'At most 64 characters',
        scheduledDate: 'Enter a date (year-month-day)',
        'customer.phone': 'A phone number may hold only digits, spaces and + - ( )',
        'equipment.model': 'At most 200 characters',
      },
    });
  });

  it('keys every error to a field of the form', () => {
    const check = checkVisitDraft({ ...emptyVisitDraft(''), customerPhone: '?', notes: 'n'.repeat(2001) }, en);
    const paths = Object.values(VISIT_FIELD_PATHS) as string[];
    expect(check.ok).toBe(false);
    if (!check.ok) for (const path of Object.keys(check.errors)) expect(paths).toContain(path);
  });

  it('treats script text as plain text (the page renders it as text)', () => {
    const check = checkVisitDraft({ ...good, customerName: '<script>alert(1)</script>' }, en);
    expect(check.ok && check.visit.customer.name).toBe('<script>alert(1)</script>');
  });
});
