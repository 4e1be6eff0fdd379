// What every corpus entry must get back, and what the database may hold afterwards: the manifest's
// expectation checked against an Outcome, and the before/after photographs compared.
import { expect } from 'vitest';
import type { Storage } from '../../src/server/storage/storage';
import { entryBytes, type CorpusEntry, type Target } from './corpus';
import type { DbSnapshot, Outcome } from './corpus-runner';

/** Everything a refusal says, one line per message: what the manifest's substring is looked for in. */
const refusalText = (o: Outcome): string => [o.message ?? '', ...o.errors.map((e) => `${e.path}: ${e.message}`)].join('\n');

export function checkOutcome(entry: CorpusEntry, target: Target, o: Outcome): void {
  const want = entry.expect;
  const context = `${entry.file ?? 'generated'} → ${target}\n${o.text.slice(0, 2000)}`;
  expect(o.status, context).toBeLessThan(500);
  if (target === 'import-cli') {
    // the CLI's exit code (when it imported this file alone): 0 only when every form landed
    const everythingLanded = want.status !== '4xx' && (want.results ?? []).every((r) => r.status !== 'rejected');
    if (o.exitCode !== null) expect(o.exitCode, context).toBe(everythingLanded ? 0 : 1);
  } else if (target !== 'admin-get' || want.status === '4xx') {
    expect(o.contentType, context).toMatch(/^application\/json\b/);
  }

  if (want.status === '4xx') {
    expect(o.status, context).toBeGreaterThanOrEqual(400);
    if (target !== 'import-cli' && want.code) expect(o.code, context).toBe(want.code);
    expect(refusalText(o), context).toContain(want.message!);
    if (want.path) expect(o.errors.map((e) => e.path), context).toContain(want.path);
    for (const e of o.errors) {
      expect(e.path, context).not.toBe('');
      expect(e.message, context).not.toBe('');
    }
    return;
  }

  expect(o.status, context).toBe(target === 'import-cli' ? 200 : want.status);
  if (want.results) {
    expect(o.results?.map((r) => r.status), context).toEqual(want.results.map((r) => r.status));
    want.results.forEach((r, i) => {
      const got = o.results![i]!;
      if (r.status !== 'rejected') return;
      // every rejection says where and what
      expect(got.errors.length, `${context}\nform #${i}`).toBeGreaterThan(0);
      for (const e of got.errors) expect(e.path && e.message, `${context}\nform #${i}`).toBeTruthy();
      const found = got.errors.some((e) => (r.path === undefined || e.path === r.path) && (r.message === undefined || e.message.includes(r.message)));
      expect(found, `${context}\nform #${i}: wanted ${r.path}: ${r.message}; got ${JSON.stringify(got.errors)}`).toBe(true);
      // the CLI prints the reasons as words; over HTTP the reason itself is checked
      if (r.breaks && target !== 'import-cli') {
        const breaks = got.errors.some((e) => e.reason?.code === 'event-refused' && e.reason.params.rule === r.breaks!.rule && e.reason.params.refusal === r.breaks!.refusal);
        expect(breaks, `${context}\nform #${i}: wanted a refusal ${r.breaks.refusal} by rule ${r.breaks.rule}; got ${JSON.stringify(got.errors)}`).toBe(true);
      }
    });
  }
  if (want.rows) {
    expect(o.rows?.map((r) => `${r.row}/${r.column}`), context).toEqual(want.rows.map((r) => `${r.row}/${r.column}`));
    want.rows.forEach((r, i) => expect(o.rows![i]!.message, context).toContain(r.message));
  }
  if (want.created !== undefined) expect(o.created, context).toBe(want.created);
}

/** The submissions in a body, in the order the server numbers them (NDJSON: non-blank lines); null where one does not parse. */
function submissionsOf(entry: CorpusEntry): unknown[] {
  if (entry.file === null) return [];
  const text = entryBytes(entry).toString('utf8').replace(/^\uFEFF/, '');
  const parse = (t: string): unknown => {
    try {
      return JSON.parse(t);
    } catch {
      return null;
    }
  };
  if (entry.file.endsWith('.ndjson')) return text.split('\n').filter((line) => line.trim() !== '').map(parse);
  const body = parse(text) as { forms?: unknown } | null;
  return Array.isArray(body?.forms) ? body.forms : [];
}

const formIdOf = (submission: unknown): string | undefined => (submission as { form?: { id?: string } } | null)?.form?.id;

/**
 * The database after an entry: exactly the forms expected to land were added (and hold what was sent,
 * seal intact), the conflicts expected were set aside, and nothing else changed.
 */
export async function checkDatabase(entry: CorpusEntry, o: Outcome, before: DbSnapshot, after: DbSnapshot, storage: Storage): Promise<void> {
  const context = `${entry.file ?? 'generated'}: database`;
  const submissions = submissionsOf(entry);
  const expected = entry.expect.results ?? [];
  const landing = expected.flatMap((r, i) => (r.status === 'accepted' ? [i] : []));
  const landedIds = landing.map((i) => formIdOf(submissions[i])!);
  expect(after.forms, context).toEqual([...before.forms, ...landedIds].sort());
  const conflicts = expected.filter((r) => r.status === 'conflict').length;
  expect(after.conflicts.length, context).toBe(before.conflicts.length + conflicts);
  expect(after.conflicts.filter((c) => !before.conflicts.includes(c)).map((c) => c.split('/')[0]), context)
    .toEqual(expected.flatMap((r, i) => (r.status === 'conflict' ? [formIdOf(submissions[i])] : [])));
  for (const d of after.disputes.filter((d) => !before.disputes.includes(d))) expect(landedIds, context).toContain(d.split(':')[0]);

  const newVisits = after.visits.filter((v) => !before.visits.includes(v));
  expect(before.visits.every((v) => after.visits.includes(v)), context).toBe(true);
  expect(newVisits, context).toHaveLength(entry.expect.created ?? (o.madeVisit ? 1 : 0));

  expect([...after.technicians.keys()].filter((id) => !before.technicians.has(id)), context).toEqual(o.madeTechnician ? [o.madeTechnician] : []);
  for (const [id, record] of before.technicians) expect(after.technicians.get(id), `${context}: technician ${id}`).toBe(record);

  for (const i of landing) {
    const sent = submissions[i] as { form: { id: string }; signaturePng: string };
    const stored = await storage.getForm(sent.form.id);
    expect(JSON.parse(stored!.formJson), `${context}: form #${i} verbatim`).toEqual(sent.form);
    expect(Buffer.from(stored!.signature!).toString('base64'), `${context}: form #${i} signature`).toBe(sent.signaturePng);
  }
}
