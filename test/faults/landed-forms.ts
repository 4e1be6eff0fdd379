// After a fault run: what is in the database, read with plain SQL rather than through the storage
// adapter (the adapter is what is under test), and the audit of it against what the phones sealed.
import Database from 'better-sqlite3';
import pg from 'pg';
import { canonicalJson, verifySeal } from '../../src/domain/seal';
import type { SealedForm } from '../../src/domain/form-schema';
import type { SealedOnPhone } from './phones';

export type DatabaseLocation = { sqlitePath: string } | { databaseUrl: string };

export interface LandedForm {
  id: string;
  formJson: string;
  signature: Uint8Array;
}

export interface LandedDatabase {
  forms: LandedForm[];
  /** ids stored more than once (the primary key should make this impossible; it is checked, not assumed) */
  idsMoreThanOnce: string[];
  /** rows in form_conflicts, and forms flagged has_conflict */
  conflicts: number;
  flaggedConflicts: number;
}

const FORMS_SQL = 'SELECT id, form_json, signature_png FROM forms ORDER BY id';
const REPEATED_SQL = 'SELECT id FROM forms GROUP BY id HAVING COUNT(*) > 1';
const CONFLICTS_SQL = 'SELECT COUNT(*) AS n FROM form_conflicts';

type FormRow = { id: string; form_json: string; signature_png: Uint8Array };

export async function readLandedForms(location: DatabaseLocation): Promise<LandedDatabase> {
  if ('sqlitePath' in location) {
    const db = new Database(location.sqlitePath, { readonly: true, fileMustExist: true });
    try {
      return {
        forms: (db.prepare(FORMS_SQL).all() as FormRow[]).map(toLanded),
        idsMoreThanOnce: (db.prepare(REPEATED_SQL).all() as Array<{ id: string }>).map((r) => r.id),
        conflicts: Number((db.prepare(CONFLICTS_SQL).get() as { n: number }).n),
        flaggedConflicts: Number((db.prepare('SELECT COUNT(*) AS n FROM forms WHERE has_conflict = 1').get() as { n: number }).n),
      };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: location.databaseUrl });
  await client.connect();
  try {
    return {
      forms: (await client.query<FormRow>(FORMS_SQL)).rows.map(toLanded),
      idsMoreThanOnce: (await client.query<{ id: string }>(REPEATED_SQL)).rows.map((r) => r.id),
      conflicts: Number((await client.query<{ n: string }>(CONFLICTS_SQL)).rows[0]!.n),
      flaggedConflicts: Number((await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM forms WHERE has_conflict')).rows[0]!.n),
    };
  } finally {
    await client.end();
  }
}

function toLanded(row: FormRow): LandedForm {
  return { id: row.id, formJson: row.form_json, signature: new Uint8Array(row.signature_png) };
}

export interface LandedAudit {
  sealed: number;
  landed: number;
  /** sealed on a phone, not in the database */
  lost: string[];
  /** in the database, sealed by no phone */
  unknown: string[];
  /** stored more than once */
  repeated: string[];
  /** stored JSON or signature bytes not those the phone sealed */
  altered: string[];
  /** the stored seal does not verify over the stored JSON and PNG */
  badSeals: string[];
  /** every rule broken, one sentence each; empty when the run lost, duplicated and altered nothing */
  problems: string[];
}

/** Every sealed form in the database exactly once, as sealed, its seal verified; nothing else there, no conflict. */
export async function auditLanded(sealed: ReadonlyMap<string, SealedOnPhone>, db: LandedDatabase): Promise<LandedAudit> {
  const landedIds = new Set(db.forms.map((f) => f.id));
  const lost = [...sealed.keys()].filter((id) => !landedIds.has(id));
  const unknown = [...landedIds].filter((id) => !sealed.has(id));
  const altered: string[] = [];
  const badSeals: string[] = [];
  for (const landed of db.forms) {
    const phone = sealed.get(landed.id);
    const stored = JSON.parse(landed.formJson) as SealedForm;
    if (!(await verifySeal(stored, landed.signature)).ok) badSeals.push(landed.id);
    if (phone && (canonicalJson(stored) !== canonicalJson(phone.form) || !sameBytes(landed.signature, phone.signature))) altered.push(landed.id);
  }
  const problems = [
    ...(db.forms.length !== sealed.size ? [`${db.forms.length} forms in the database, ${sealed.size} sealed on the phones`] : []),
    ...(db.idsMoreThanOnce.length > 0 ? [`stored more than once: ${db.idsMoreThanOnce.join(', ')}`] : []),
    ...(lost.length > 0 ? [`lost (sealed, not in the database): ${lost.join(', ')}`] : []),
    ...(unknown.length > 0 ? [`in the database but sealed by no phone: ${unknown.join(', ')}`] : []),
    ...(altered.length > 0 ? [`stored differently from how the phone sealed them: ${altered.join(', ')}`] : []),
    ...(badSeals.length > 0 ? [`seal does not verify over the stored JSON and PNG: ${badSeals.join(', ')}`] : []),
    ...(db.conflicts > 0 || db.flaggedConflicts > 0 ? [`${db.conflicts} conflicting submissions stored, ${db.flaggedConflicts} forms flagged as conflicts`] : []),
  ];
  return { sealed: sealed.size, landed: db.forms.length, lost, unknown, repeated: db.idsMoreThanOnce, altered, badSeals, problems };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
