// What a backup holds, checked form by form: every stored form must parse as a sealed form under its
// row's id, and its seal must recompute over its JSON and signature bytes (the check ingest makes when
// a form arrives).
import { SealedFormSchema } from '../../domain/form-schema';
import { verifySeal } from '../../domain/seal';
import type { Storage } from '../storage/storage';
import { BackupError } from './backup-error';

export interface StoredFormRow {
  id: string;
  formJson: string;
  signature: Uint8Array | null;
  receivedAt: string;
}

export interface BackupContents {
  forms: number;
  visits: number;
  technicians: number;
  /** when the newest form was received; null when there are none */
  newestReceivedAt: string | null;
}

export interface FormsChecked {
  count: number;
  newestReceivedAt: string | null;
  /** how many forms did not check; the first few are listed in `problems` */
  broken: number;
  problems: { id: string; problem: string }[];
}

/** The problem with one stored form, or null when its seal recomputes. */
export async function checkStoredForm(row: StoredFormRow): Promise<string | null> {
  if (!row.signature) return 'its signature bytes are missing';
  let json: unknown;
  try {
    json = JSON.parse(row.formJson);
  } catch {
    return 'its JSON does not parse';
  }
  const parsed = SealedFormSchema.safeParse(json);
  if (!parsed.success) return 'it is not a sealed form';
  // the seal covers the form as received, not the schema's copy of it
  const form = json as typeof parsed.data;
  if (form.id !== row.id) return `its JSON is the form ${form.id}`;
  try {
    const seal = await verifySeal(form, row.signature);
    if (!seal.ok) return seal.reason === 'signature-bytes' ? 'its signature bytes are not the ones the form describes' : 'its seal does not recompute';
  } catch (error) {
    return `its seal cannot be computed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return null;
}

/** Every form a storage holds, with its signature bytes, as rows to check. */
export async function* storageFormRows(storage: Storage): AsyncIterable<StoredFormRow> {
  for await (const form of storage.iterateForms({}, { withSignature: true })) {
    yield { id: form.summary.id, formJson: form.formJson, signature: form.signature, receivedAt: form.summary.receivedAt };
  }
}

const LISTED_PROBLEMS = 10;

export async function checkStoredForms(rows: AsyncIterable<StoredFormRow>): Promise<FormsChecked> {
  const checked: FormsChecked = { count: 0, newestReceivedAt: null, broken: 0, problems: [] };
  for await (const row of rows) {
    checked.count++;
    if (checked.newestReceivedAt === null || row.receivedAt > checked.newestReceivedAt) checked.newestReceivedAt = row.receivedAt;
    const problem = await checkStoredForm(row);
    if (problem === null) continue;
    checked.broken++;
    if (checked.problems.length < LISTED_PROBLEMS) checked.problems.push({ id: row.id, problem });
  }
  return checked;
}

/** Refuses a backup any of whose forms does not check, listing the first few. */
export function requireSoundForms(checked: FormsChecked, what: string): void {
  if (checked.broken === 0) return;
  const listed = checked.problems.map((p) => `\n  form ${p.id}: ${p.problem}`).join('');
  const more = checked.broken > checked.problems.length ? `\n  and ${checked.broken - checked.problems.length} more` : '';
  throw new BackupError(`${checked.broken} of the ${checked.count} form(s) in ${what} do not check:${listed}${more}`);
}

/** The lines the CLI prints about a checked backup. */
export function describeContents(contents: BackupContents): string[] {
  return [
    `  ${contents.forms} form(s), every seal recomputes; ${contents.visits} visit(s); ${contents.technicians} technician(s)`,
    `  newest form received: ${contents.newestReceivedAt ?? '(no forms yet)'}`,
  ];
}
