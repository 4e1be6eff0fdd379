// A part used, as the form holds it. Format 2's parts value type takes the catalog code of a part
// picked from the catalog (optional: a part typed by name has none); format 1 is frozen as it was
// published, without codes, so a form of either format reads exactly as it was sealed.
import { describe, expect, it } from 'vitest';
import { CatalogPartSchema } from '../../src/domain/field-values';
import { FieldValueSchemas, PartSchema, SealedFormSchema, type SealedFormV2 } from '../../src/domain/form-schema';
import { sealedForm } from '../fixtures/visits';

describe('a part used', () => {
  it('in format 2, with or without its catalog code', () => {
    expect(CatalogPartSchema.safeParse({ name: '主刷电机碳刷', quantity: 2 }).success).toBe(true);
    expect(CatalogPartSchema.safeParse({ name: '主刷电机碳刷', quantity: 2, code: 'XS-1002' }).data).toEqual({ name: '主刷电机碳刷', quantity: 2, code: 'XS-1002' });
  });

  it('refuses a blank or overlong code, a code that is not text, and any other key', () => {
    for (const code of ['', '  ', 'x'.repeat(65), 7]) expect(CatalogPartSchema.safeParse({ name: '碳刷', quantity: 1, code }).success, JSON.stringify(code)).toBe(false);
    expect(CatalogPartSchema.safeParse({ name: '碳刷', quantity: 1, unit: '个' }).success).toBe(false);
  });

  it('in format 1, as it was published: no code', () => {
    expect(PartSchema.safeParse({ name: '主刷电机碳刷', quantity: 2 }).success).toBe(true);
    expect(PartSchema.safeParse({ name: '主刷电机碳刷', quantity: 2, code: 'XS-1002' }).success).toBe(false);
    expect(FieldValueSchemas.partsUsed.safeParse([{ name: '自带密封圈', quantity: 1 }]).success).toBe(true);
  });

  it('a sealed format-2 form whose parts carry codes is a valid form', async () => {
    const { form } = await sealedForm();
    const answers = (form as SealedFormV2).answers;
    const parts = answers['form.parts-used'] as Array<{ name: string; quantity: number }>;
    expect(parts.every((p) => !('code' in p))).toBe(true);
    const coded = { ...form, answers: { ...answers, 'form.parts-used': parts.map((p) => ({ ...p, code: 'XS-1002' })) } };
    expect(SealedFormSchema.safeParse(coded).success).toBe(true);
  });
});
