// The dashboard's summaries per date, per month and technician, and per bucket of time on site, as
// ingest adds them (dashboard-rollups.ts).
import { describe, expect, it } from 'vitest';
import { KNOWN_TABLES } from '../../src/server/backup/backup-file';
import { addRollups, addRollupSql, monthOf, ON_SITE_BUCKET_MS, onSiteBucket, ROLLUP_TABLES, ROLLUPS, rollupRows } from '../../src/server/storage/dashboard-rollups';
import { DAY_COUNT_COLUMNS } from '../../src/server/storage/form-day-counts';
import type { NewFormRecord } from '../../src/server/storage/storage';

function record(n: number, visitDate: string, technicianId: string, onSiteMs: number | null, satisfaction = 5): NewFormRecord {
  return {
    id: `id-${n}`, hash: 'h', technicianId, visitId: `V-${n}`, visitDate, sealedAt: '', receivedAt: '', source: 'api',
    satisfaction, dispute: false, conductBreach: false, clockDriftMs: null, customerName: '', equipmentType: '', formJson: '{}',
    signature: new Uint8Array(), deviceJson: null, facts: { equipmentSerial: '', firstTestFailed: false, onSiteMs, declinedOffers: { cigarette: 0, 'food-drink': 0, gift: 0 } },
  };
}

const W = ON_SITE_BUCKET_MS;

describe('dashboard summaries', () => {
  it('puts a time on site in its bucket and a date in its month', () => {
    expect([0, W - 1, W, 2 * W + 5].map(onSiteBucket)).toEqual([0, 0, 1, 2]);
    expect(monthOf('2026-03-31')).toBe('2026-03');
  });

  it('adds the forms up per date, per month and technician, and per bucket of each week and of each month and technician, in key order', () => {
    const rows = rollupRows([
      record(1, '2026-03-31', 'tech-2', 3 * W, 1), // a Tuesday: week of 2026-03-30
      record(2, '2026-03-02', 'tech-1', W + 1),
      record(3, '2026-04-01', 'tech-2', 3 * W + 10, 3), // April, the same week
      record(4, '2026-03-31', 'tech-1', null),
      record(5, '2026-03-03', 'tech-1', 2 * W - 1),
    ]);
    const of = (table: string) => rows.find((r) => r.rollup.table === table)!.rows;
    const formsColumn = (row: unknown[], keys: number) => row[keys + DAY_COUNT_COLUMNS.indexOf('forms')];
    expect(of('form_date_counts').map((r) => [r[0], formsColumn(r, 1)])).toEqual([['2026-03-02', 1], ['2026-03-03', 1], ['2026-03-31', 2], ['2026-04-01', 1]]);
    const march2 = of('form_month_counts').find((r) => r[0] === '2026-03' && r[1] === 'tech-2')!;
    expect([formsColumn(march2, 2), march2[2 + DAY_COUNT_COLUMNS.indexOf('satisfaction_sum')], march2[2 + DAY_COUNT_COLUMNS.indexOf('rated_1')]]).toEqual([1, 1, 1]);
    expect(of('form_month_counts').map((r) => [r[0], r[1], formsColumn(r, 2)])).toEqual([['2026-03', 'tech-1', 3], ['2026-03', 'tech-2', 1], ['2026-04', 'tech-2', 1]]);
    // the untimed form is in no bucket
    expect(of('form_week_on_site')).toEqual([['2026-03-02', 1, 2], ['2026-03-30', 3, 2]]);
    expect(of('form_month_on_site')).toEqual([['tech-1', 1, '2026-03', 2], ['tech-2', 3, '2026-03', 1], ['tech-2', 3, '2026-04', 1]]);
  });

  it('adds nothing for no forms, and no buckets for forms without a time on site', () => {
    expect(addRollups([], () => '?')).toEqual([]);
    expect(rollupRows([record(1, '2026-03-02', 't', null)]).map((r) => r.rollup.table)).toEqual(['form_date_counts', 'form_month_counts']);
  });

  it('adds many rows in statements within the bound-parameter limits', () => {
    const forms = Array.from({ length: 3000 }, (_, i) => record(i, '2026-03-02', `tech-${String(i).padStart(4, '0')}`, (i % 7) * W));
    const parts = addRollups(forms, (n) => `$${n}`);
    for (const part of parts) expect(part.params.length).toBeLessThanOrEqual(9000);
    const rowsOf = (table: string, width: number) => parts.filter((p) => p.sql.includes(`INSERT INTO ${table} `)).reduce((n, p) => n + p.params.length / width, 0);
    expect(rowsOf('form_month_counts', 2 + DAY_COUNT_COLUMNS.length)).toBe(3000);
    expect(rowsOf('form_month_on_site', 4)).toBe(3000);
    expect(rowsOf('form_week_on_site', 3)).toBe(7);
    expect(addRollupSql(ROLLUPS.weekOnSite, 1, () => '?')).toMatch(/ON CONFLICT \(visit_week, bucket\) DO UPDATE SET\s+forms = form_week_on_site\.forms \+ excluded\.forms/);
  });

  it('are tables the backup knows', () => {
    for (const table of ROLLUP_TABLES) expect(KNOWN_TABLES).toContain(table);
  });
});
