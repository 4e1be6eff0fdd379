// A part used, as the form holds it: the catalog code is optional, so a form made before the catalog
// (and a part typed by name) still validates, and a sealed form with codes is a valid form.
import { describe, expect, it } from 'vitest';
import { FieldValueSchemas, PartSchema, SealedFormSchema } from '../../src/domain/form-schema';
import { sealedForm } from '../fixtures/visits';

describe('a part used', () => {
  it('takes a part with or without its catalog code', () => {
    expect(PartSchema.safeParse({ name: '主刷电机碳刷', quantity: 2 }).success).toBe(true);
    expect(PartSchema.safeParse({ name: '主刷电机碳刷', quantity: 2, code: 'XS-1002' }).data).toEqual({ name: '主刷电机碳刷', quantity: 2, code: 'XS-1002' });
    expect(FieldValueSchemas.partsUsed.safeParse([{ name: '自带密封圈', quantity: 1 }, { name: '碳刷', quantity: 2, code: 'XS-1002' }]).success).toBe(true);
  });

  it('refuses a blank or overlong code, a code that is not text, and any other key', () => {
    for (const code of ['', '  ', 'x'.repeat(65), 7]) expect(PartSchema.safeParse({ name: '碳刷', quantity: 1, code }).success, JSON.stringify(code)).toBe(false);
    expect(PartSchema.safeParse({ name: '碳刷', quantity: 1, unit: '个' }).success).toBe(false);
  });

  it('reads a sealed form made before the code existed, and one whose parts carry codes', async () => {
    const { form } = await sealedForm();
    expect(form.partsUsed.every((p) => !('code' in p))).toBe(true);
    expect(SealedFormSchema.safeParse(form).success).toBe(true);
    expect(SealedFormSchema.safeParse({ ...form, partsUsed: form.partsUsed.map((p) => ({ ...p, code: 'XS-1002' })) }).success).toBe(true);
  });
});
