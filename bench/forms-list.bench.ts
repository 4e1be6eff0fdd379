// The back office's forms list on 1,000,000 forms, on SQLite and on PostgreSQL: p50 and p95 latency of
// the real listForms (pages of 50, as the back office asks) for the typical requests — the first page,
// a page deep in the list by keyset cursor, a date range and a technician, disputes only and
// satisfaction 1 (both paged on by cursor) — beside a primary-key lookup on the same table.
// The rows are generated with bulk SQL (generated-forms.ts): varied dates, technicians, satisfaction
// and flags, and a stub form JSON and signature (the list reads neither). BENCH_QUICK=1 for 100,000
// forms; BENCH_DATABASES=sqlite (or postgres) for one database only.
import type { FormFilter } from '../src/domain/api';
import type { FormCursor, FormPage } from '../src/server/storage/storage';
import type { BenchResult, Measurement } from './measurement';
import {
  baseFormValues, DATABASE_NAMES, DATABASES, generateFormsSql, GENERATED_FLAGGED, latencyResults, onPostgres, onSqlite,
  technicianIds, TECHNICIANS, type Dialect, type Generated, type Opened, type RequestKind,
} from './generated-forms';
import { generatedDate, generatedId, prng, QUICK } from './server-fixtures';

const ROWS = QUICK ? 100_000 : 1_000_000;
const SAMPLING = { rows: ROWS, requests: QUICK ? 20 : 100, warmup: QUICK ? 3 : 10 };
/** the back office's page (src/server/routes/admin-forms.ts) */
const PAGE = 50;
const AIM = { max: 50, of: 'value' } as const;

function generateSql(dialect: Dialect): string {
  const sqlite = dialect === 'sqlite';
  const date = baseFormValues(dialect).visit_date;
  return generateFormsSql(dialect, {
    ...baseFormValues(dialect),
    dispute_resolved_at: `CASE WHEN ${GENERATED_FLAGGED} AND n % 3 = 0 THEN ${sqlite ? `${date} || 'T12:00:00.000Z'` : `(${date} + TIME '12:00') AT TIME ZONE 'UTC'`} END`,
    has_conflict: '((h / 1000000) % 1000 = 0)',
    form_json: `'{"stub":"forms-list benchmark row"}'`,
    // the list reads none of the form facts: their defaults
    equipment_serial: "''",
    visit_week: "''",
    first_test_failed: sqlite ? '0' : 'FALSE',
    on_site_ms: 'NULL',
    declined_cigarette: '0',
    declined_food_drink: '0',
    declined_gift: '0',
  });
}

const GENERATED: Generated = { name: 'forms-list', rows: ROWS, generatorVersion: 3, sql: generateSql };

/** The typical requests; each follows its own previous page, so the paged ones go on by their cursor. */
function requestKinds({ storage }: Opened): RequestKind<FormPage>[] {
  const random = prng(42);
  const row = () => Math.floor(random() * ROWS);
  const kind = (name: string, next: (previous: FormPage | null) => { filter: FormFilter; after: FormCursor | null }): RequestKind<FormPage> => ({
    name,
    async request(previous) {
      const { filter, after } = next(previous);
      const answer = await storage.listForms(filter, { after, limit: PAGE });
      if (answer.forms.length === 0 && after === null) throw new Error(`${name}: the first page is empty`);
      return { answer };
    },
  });
  return [
    kind('first page', () => ({ filter: {}, after: null })),
    kind('a deep page by keyset cursor', () => {
      // a row visited before 2026: the whole of 2026, a third of the list, comes before it
      let n = row();
      while (generatedDate(n) >= '2026-01-01') n = row();
      return { filter: {}, after: { visitDate: generatedDate(n), id: generatedId(n) } };
    }),
    kind('date range (a month) + technician', () => {
      // a month that lies within the generated years
      let from = generatedDate(row());
      while (from > '2026-12-01') from = generatedDate(row());
      const to = new Date(Date.parse(from) + 30 * 86_400_000).toISOString().slice(0, 10);
      return { filter: { from, to, technician: technicianIds[Math.floor(random() * TECHNICIANS)]! }, after: null };
    }),
    kind('disputes only, paging on', (previous) => ({ filter: { dispute: true }, after: previous?.next ?? null })),
    kind('satisfaction = 1, paging on', (previous) => ({ filter: { satisfaction: 1 }, after: previous?.next ?? null })),
  ];
}

const formsList: Measurement = {
  name: 'forms-list',
  async run() {
    const out: BenchResult[] = [];
    for (const dialect of DATABASES) {
      const measured = await (dialect === 'sqlite' ? onSqlite : onPostgres)(GENERATED, SAMPLING, requestKinds);
      out.push(...latencyResults(`forms list, ${DATABASE_NAMES[dialect]}, ${ROWS} forms`, measured, AIM));
    }
    return out;
  },
};

export default formsList;
