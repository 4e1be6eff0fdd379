// The dashboard's counts per visit date and technician, as ingest adds them (form-day-counts.ts).
import { describe, expect, it } from 'vitest';
import { OFFER_KINDS } from '../../src/domain/checklist';
import { addDayCounts, addDayCountsSql, DAY_COUNT_COLUMNS, DAY_COUNT_ROWS_PER_STATEMENT, dayCountRows } from '../../src/server/storage/form-day-counts';
import { OFFER_COLUMNS } from '../../src/server/storage/form-facts-columns';
import type { NewFormRecord } from '../../src/server/storage/storage';

function record(n: number, visitDate: string, technicianId: string, over: Partial<NewFormRecord> = {}): NewFormRecord {
  return {
    id: `id-${n}`, hash: 'h', technicianId, visitId: `V-${n}`, visitDate, sealedAt: '', receivedAt: '', source: 'api',
    satisfaction: 5, dispute: false, conductBreach: false, clockDriftMs: null, customerName: '', equipmentType: '', formJson: '{}',
    signature: new Uint8Array(), deviceJson: null, facts: { equipmentSerial: '', firstTestFailed: false, onSiteMs: null, declinedOffers: { cigarette: 0, 'food-drink': 0, gift: 0 } },
    ...over,
  };
}

const column = (row: unknown[], name: (typeof DAY_COUNT_COLUMNS)[number]) => row[2 + DAY_COUNT_COLUMNS.indexOf(name)];

describe('day counts', () => {
  it('names the offer columns as the forms table does', () => {
    for (const k of OFFER_KINDS) expect(DAY_COUNT_COLUMNS).toContain(OFFER_COLUMNS[k]);
  });

  it('adds up each day and technician once, in key order', () => {
    const rows = dayCountRows([
      record(1, '2026-03-02', 'tech-2', { satisfaction: 1, dispute: true, facts: { equipmentSerial: '', firstTestFailed: true, onSiteMs: 60_000, declinedOffers: { cigarette: 1, 'food-drink': 2, gift: 0 } } }),
      record(2, '2026-03-01', 'tech-9'),
      record(3, '2026-03-02', 'tech-2', { satisfaction: 4, conductBreach: true, facts: { equipmentSerial: '', firstTestFailed: false, onSiteMs: 0, declinedOffers: { cigarette: 0, 'food-drink': 1, gift: 1 } } }),
      record(4, '2026-03-02', 'tech-1'),
    ]);
    expect(rows.map((r) => [r[0], r[1]])).toEqual([['2026-03-01', 'tech-9'], ['2026-03-02', 'tech-1'], ['2026-03-02', 'tech-2']]);
    const two = rows[2]!;
    expect(DAY_COUNT_COLUMNS.map((c) => column(two, c))).toEqual([2, 5, 1, 0, 0, 1, 0, 1, 1, 1, 2, 1, 3, 1]);
    expect(column(rows[0]!, 'rated_5')).toBe(1);
    expect(column(rows[0]!, 'timed')).toBe(0);
  });

  it('keeps a technician id that PostgreSQL text cannot hold as the forms row keeps it', () => {
    expect(dayCountRows([record(1, '2026-03-02', 'a\u0000b')])[0]![1]).toBe('a\uFFFDb');
  });

  it('adds many rows in statements within the bound-parameter limits, and nothing for no forms', () => {
    expect(addDayCounts([], () => '?')).toEqual([]);
    const forms = Array.from({ length: DAY_COUNT_ROWS_PER_STATEMENT + 3 }, (_, i) => record(i, '2026-03-02', `tech-${String(i).padStart(4, '0')}`));
    const parts = addDayCounts(forms, (n) => `$${n}`);
    expect(parts.map((p) => p.params.length)).toEqual([DAY_COUNT_ROWS_PER_STATEMENT * 16, 3 * 16]);
    expect(parts[1]!.sql).toContain('$48)');
    expect(addDayCountsSql(1, () => '?')).toMatch(/ON CONFLICT \(visit_date, technician_id\) DO UPDATE SET\s+forms = form_day_counts\.forms \+ excluded\.forms,/);
  });
});
