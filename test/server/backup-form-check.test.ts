// The check a backup's forms go through: each way a stored form can be wrong is named.
import { describe, expect, it } from 'vitest';
import { checkStoredForm, checkStoredForms, describeContents, requireSoundForms, type StoredFormRow } from '../../src/server/backup/form-check';
import { makeForm } from './helpers';

async function storedRow(seed = 1): Promise<StoredFormRow> {
  const { form, signaturePng } = await makeForm({ seed });
  return { id: form.id, formJson: JSON.stringify(form), signature: Buffer.from(signaturePng, 'base64'), receivedAt: '2026-03-10T08:00:00.000Z' };
}

async function* rows(...list: StoredFormRow[]) {
  yield* list;
}

describe('a stored form in a backup', () => {
  it('checks when its seal recomputes over its JSON and signature bytes', async () => {
    expect(await checkStoredForm(await storedRow())).toBeNull();
  });

  it('is named wrong for missing bytes, JSON that does not parse or is no form, another id, other bytes, an altered answer', async () => {
    const row = await storedRow();
    const form = JSON.parse(row.formJson);
    expect(await checkStoredForm({ ...row, signature: null })).toBe('its signature bytes are missing');
    expect(await checkStoredForm({ ...row, formJson: row.formJson.slice(0, 100) })).toBe('its JSON does not parse');
    expect(await checkStoredForm({ ...row, formJson: '{"id":"x"}' })).toBe('it is not a sealed form');
    expect(await checkStoredForm({ ...row, id: 'other-id' })).toBe(`its JSON is the form ${form.id}`);
    expect(await checkStoredForm({ ...row, signature: (await storedRow(2)).signature })).toBe('its signature bytes are not the ones the form describes');
    expect(await checkStoredForm({ ...row, formJson: JSON.stringify({ ...form, answers: { ...form.answers, 'form.fault-found': '改过' } }) })).toBe('its seal does not recompute');
  });
});

describe('the forms of a backup', () => {
  it('are counted with the newest receipt time, and a backup with a bad one is refused, listing it', async () => {
    const good = await storedRow();
    const later = { ...(await storedRow(2)), receivedAt: '2026-03-11T08:00:00.000Z' };
    const bad = { ...(await storedRow(3)), signature: null };
    const checked = await checkStoredForms(rows(good, later, bad));
    expect(checked).toEqual({ count: 3, newestReceivedAt: '2026-03-11T08:00:00.000Z', broken: 1, problems: [{ id: bad.id, problem: 'its signature bytes are missing' }] });
    expect(() => requireSoundForms(checked, 'b.sqlite')).toThrow(`1 of the 3 form(s) in b.sqlite do not check:\n  form ${bad.id}: its signature bytes are missing`);
    const sound = await checkStoredForms(rows(good, later));
    expect(sound.broken).toBe(0);
    expect(() => requireSoundForms(sound, 'b.sqlite')).not.toThrow();
  });

  it('lists the first ten problems and counts the rest', async () => {
    const bad = { ...(await storedRow()), signature: null };
    const checked = await checkStoredForms(rows(...Array.from({ length: 12 }, (_, i) => ({ ...bad, id: `f-${i}` }))));
    expect(checked.problems).toHaveLength(10);
    expect(() => requireSoundForms(checked, 'b.sqlite')).toThrow(/form f-9: its signature bytes are missing\n {2}and 2 more$/);
  });

  it('are described in two lines; an empty backup says it has no forms yet', async () => {
    expect(describeContents({ forms: 0, visits: 0, technicians: 0, newestReceivedAt: null })).toEqual([
      '  0 form(s), every seal recomputes; 0 visit(s); 0 technician(s)', '  newest form received: (no forms yet)',
    ]);
  });
});
