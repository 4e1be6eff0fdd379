// The fault run's audit must be able to fail: each way a form can be lost, doubled or altered is caught.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealForm, bodyOf } from '../../src/domain/seal';
import { ingestBatch } from '../../src/server/ingest';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { alterAnswer, sealedForm, submittedForm } from '../fixtures/visits';
import { registry } from '../server/helpers';
import { auditLanded, readLandedForms, type LandedDatabase } from './landed-forms';
import type { SealedOnPhone } from './phones';

async function phoneForms(count: number): Promise<Map<string, SealedOnPhone>> {
  const forms = new Map<string, SealedOnPhone>();
  for (let seed = 1; seed <= count; seed++) {
    const { form, bytes } = await sealedForm({ seed });
    forms.set(form.id, { form, signature: bytes });
  }
  return forms;
}

function asLanded(forms: ReadonlyMap<string, SealedOnPhone>): LandedDatabase {
  return {
    forms: [...forms.values()].map(({ form, signature }) => ({ id: form.id, formJson: JSON.stringify(form), signature })),
    idsMoreThanOnce: [],
    conflicts: 0,
    flaggedConflicts: 0,
  };
}

describe('auditing the database after a fault run', () => {
  it('passes when every sealed form is there once, as sealed', async () => {
    const sealed = await phoneForms(3);
    const audit = await auditLanded(sealed, asLanded(sealed));
    expect(audit).toMatchObject({ sealed: 3, landed: 3, lost: [], unknown: [], repeated: [], altered: [], badSeals: [], problems: [] });
  });

  it('finds a lost form', async () => {
    const sealed = await phoneForms(3);
    const [lostId] = sealed.keys();
    const db = asLanded(sealed);
    db.forms = db.forms.filter((f) => f.id !== lostId);
    const audit = await auditLanded(sealed, db);
    expect(audit.lost).toEqual([lostId]);
    expect(audit.problems).toEqual(['2 forms in the database, 3 sealed on the phones', `lost (sealed, not in the database): ${lostId}`]);
  });

  it('finds a form stored with other text: its seal no longer verifies', async () => {
    const sealed = await phoneForms(2);
    const db = asLanded(sealed);
    const changed = db.forms[0]!;
    changed.formJson = changed.formJson.replace('修得很好', '修得不好');
    const audit = await auditLanded(sealed, db);
    expect(audit.altered).toEqual([changed.id]);
    expect(audit.badSeals).toEqual([changed.id]);
  });

  it('finds a form stored with other signature bytes', async () => {
    const sealed = await phoneForms(2);
    const db = asLanded(sealed);
    const changed = db.forms[1]!;
    changed.signature = changed.signature.slice();
    changed.signature[100]! ^= 0xff;
    const audit = await auditLanded(sealed, db);
    expect(audit.altered).toEqual([changed.id]);
    expect(audit.badSeals).toEqual([changed.id]);
  });

  it('finds a form re-sealed under the same id: a valid seal, but not the form the phone sealed', async () => {
    const sealed = await phoneForms(1);
    const [original] = sealed.values();
    const altered = bodyOf(structuredClone(original!.form));
    alterAnswer(altered, 'customer-opinion', '另一份表单');
    const resealed = await sealForm(altered, original!.signature);
    const db = asLanded(sealed);
    db.forms[0]!.formJson = JSON.stringify(resealed);
    const audit = await auditLanded(sealed, db);
    expect(audit.altered).toEqual([resealed.id]);
    expect(audit.badSeals).toEqual([]);
  });

  it('finds a form no phone sealed, an id stored twice and stored conflicts', async () => {
    const sealed = await phoneForms(2);
    const stranger = await sealedForm({ seed: 9 });
    const db = asLanded(sealed);
    db.forms.push({ id: stranger.form.id, formJson: JSON.stringify(stranger.form), signature: stranger.bytes });
    db.idsMoreThanOnce = [db.forms[0]!.id];
    db.conflicts = 1;
    db.flaggedConflicts = 1;
    const audit = await auditLanded(sealed, db);
    expect(audit.unknown).toEqual([stranger.form.id]);
    expect(audit.repeated).toEqual([db.forms[0]!.id]);
    expect(audit.problems).toEqual([
      '3 forms in the database, 2 sealed on the phones',
      `stored more than once: ${db.forms[0]!.id}`,
      `in the database but sealed by no phone: ${stranger.form.id}`,
      '1 conflicting submissions stored, 1 forms flagged as conflicts',
    ]);
  });
});

describe('reading the database directly', () => {
  it('reads the forms, their exact JSON and PNG bytes, and the conflicts from SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onsite-landed-'));
    const sqlitePath = join(dir, 'onsite.sqlite');
    const storage = openSqliteStorage({ path: sqlitePath });
    try {
      await storage.createTechnician({ id: 'tech-1', name: '张师傅', phone: '', createdAt: '2026-03-10T00:00:00.000Z' });
      const first = await submittedForm({ seed: 1 });
      const other = await submittedForm({ seed: 2, formId: first.form.id });
      const deps = { storage, checklists: registry, now: () => new Date('2026-03-10T08:00:00.000Z') };
      const results = await ingestBatch(deps, [first, other], { kind: 'import' });
      expect(results.map((r) => r.status)).toEqual(['accepted', 'conflict']);

      const db = await readLandedForms({ sqlitePath });
      expect(db.forms.map((f) => f.id)).toEqual([first.form.id]);
      expect(JSON.parse(db.forms[0]!.formJson)).toEqual(first.form);
      expect(Buffer.from(db.forms[0]!.signature).toString('base64')).toBe(first.signaturePng);
      expect(db).toMatchObject({ idsMoreThanOnce: [], conflicts: 1, flaggedConflicts: 1 });
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
