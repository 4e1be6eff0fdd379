import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDashboardQueries, sqliteDashboardDialect } from '../../src/server/storage/dashboard-query';
import { buildDisputeListQuery } from '../../src/server/storage/dispute-rows';
import { buildEquipmentHistoryQuery } from '../../src/server/storage/equipment-history';
import { buildFormQuery, sqliteDialect } from '../../src/server/storage/form-query';
import { SQLITE_MIGRATIONS } from '../../src/server/storage/migrations';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { expectDisputesBackfilled, v3DisputeRows, V3_DISPUTE_COLUMNS } from './dispute-backfill';
import { expectBackfilled, oldRows, V1_FORM_COLUMNS } from './form-facts-backfill';
import { sqliteFactory } from './helpers';
import { describeFormInsightsContract } from './form-insights-contract';
import { describeStorageContract } from './storage-contract';

describeStorageContract('SQLite', sqliteFactory());
describeFormInsightsContract('SQLite', sqliteFactory());

describe('SQLite adapter', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'onsite-sqlite-'));
    path = join(dir, 'nested', 'onsite.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates its directory, runs in WAL, and records each migration once across restarts', async () => {
    const first = openSqliteStorage({ path });
    await first.createTechnician({ id: 'tech-1', name: '张', phone: '', createdAt: '2026-03-10T00:00:00.000Z' });
    await first.close();
    const second = openSqliteStorage({ path });
    expect(await second.getTechnician('tech-1')).not.toBeNull();
    await second.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const applied = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(SQLITE_MIGRATIONS.map((m) => ({ version: m.version })));
    db.close();
  });

  it('refuses UPDATE and DELETE on the audit log in the database itself', async () => {
    const storage = openSqliteStorage({ path });
    await storage.appendAudit({ at: '2026-03-10T08:00:00.000Z', userId: null, userName: 'x', address: 'a', action: 'export.made', target: 'csv', details: {} });
    await storage.close();
    const db = new Database(path);
    expect(() => db.prepare("UPDATE audit_log SET user_name = 'someone else'").run()).toThrow(/append-only: no UPDATE/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only: no DELETE/);
    expect(db.prepare('SELECT user_name FROM audit_log').all()).toEqual([{ user_name: 'x' }]);
    db.close();
  });

  it('refuses UPDATE and DELETE on a dispute thread in the database itself', async () => {
    const storage = openSqliteStorage({ path });
    await storage.storeForms([]);
    await storage.close();
    const db = new Database(path);
    db.prepare("INSERT INTO forms (id, hash, technician_id, visit_id, visit_date, sealed_at, received_at, source, satisfaction, dispute, conduct_breach, flagged, customer_name, equipment_type, form_json, signature_png) VALUES ('f', 'h', 't', 'v', '2026-03-10', 's', '2026-03-10T08:00:00.000Z', 'api', 5, 1, 0, 1, 'c', 'e', '{}', x'00')").run();
    db.prepare("INSERT INTO dispute_events (form_id, at, user_name, kind, note) VALUES ('f', '2026-03-10T08:00:00.000Z', 'x', 'noted', 'n')").run();
    expect(() => db.prepare("UPDATE dispute_events SET note = 'rewritten'").run()).toThrow(/append-only: no UPDATE/);
    expect(() => db.prepare('DELETE FROM dispute_events').run()).toThrow(/append-only: no DELETE/);
    expect(() => db.prepare("INSERT INTO dispute_events (form_id, at, user_name, kind) VALUES ('f', 'a', 'x', 'erased')").run()).toThrow(/CHECK/);
    expect(db.prepare('SELECT note FROM dispute_events').all()).toEqual([{ note: 'n' }]);
    db.close();
  });

  it('upgrades a version-3 database: a dispute resolved before keeps its resolution and note, as the first line of its thread', async () => {
    const db = new Database(path.replace('nested/', ''));
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const migration of SQLITE_MIGRATIONS.filter((m) => m.version <= 3)) {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(migration.version, migration.name, '2026-01-01T00:00:00.000Z');
    }
    const insert = db.prepare(`INSERT INTO forms (${V3_DISPUTE_COLUMNS.join(', ')}) VALUES (${V3_DISPUTE_COLUMNS.map(() => '?').join(', ')})`);
    for (const row of v3DisputeRows((b) => +b)) insert.run(...row);
    db.close();
    const storage = openSqliteStorage({ path: path.replace('nested/', '') });
    try {
      await expectDisputesBackfilled(storage);
    } finally {
      await storage.close();
    }
  });

  it('answers the dispute list from its partial indexes, newest received first, without a sort', async () => {
    await openSqliteStorage({ path }).close();
    const db = new Database(path, { readonly: true });
    for (const filter of [{ status: 'open' as const, limit: 50 }, { status: 'open' as const, assigneeId: 'U-1', limit: 50 }, { status: 'open' as const, receivedBefore: '2026-03-10T00:00:00.000Z', limit: 50 }]) {
      const { sql, params } = buildDisputeListQuery(filter, { param: () => '?', yes: '1' });
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
      expect(plan, JSON.stringify(filter)).toMatch(/f USING INDEX forms_dispute_/);
      expect(plan, JSON.stringify(filter)).not.toMatch(/TEMP B-TREE/);
    }
    db.close();
  });

  it('answers every forms-list filter from an index, in index order (no table scan, no sort)', async () => {
    await openSqliteStorage({ path }).close();
    const db = new Database(path, { readonly: true });
    const filters = [{}, { from: '2026-01-01', to: '2026-02-01' }, { technician: 't' }, { dispute: true }, { state: 'conflict' as const }, { satisfaction: 3 }];
    for (const filter of filters) {
      for (const after of [null, { visitDate: '2026-03-01', id: 'x' }]) {
        const { sql, params } = buildFormQuery(filter, { after, limit: 50, order: 'desc' }, sqliteDialect);
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
        expect(plan, JSON.stringify(filter)).toMatch(/SEARCH f USING (COVERING )?INDEX|SCAN f USING INDEX/);
        expect(plan, JSON.stringify(filter)).not.toMatch(/TEMP B-TREE/);
        expect(plan, JSON.stringify(filter)).not.toMatch(/SCAN f(?! USING)/);
      }
    }
    db.close();
  });

  it('upgrades a first-schema database: the forms stored before get their facts from their JSON', async () => {
    const old = await oldRows((b) => +b);
    const db = new Database(path.replace('nested/', ''));
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    db.exec(SQLITE_MIGRATIONS[0]!.sql);
    db.prepare("INSERT INTO schema_migrations VALUES (1, 'initial schema', '2026-01-01T00:00:00.000Z')").run();
    db.prepare("INSERT INTO technicians (id, name, created_at) VALUES ('tech-1', '张师傅', '2026-01-01T00:00:00.000Z')").run();
    const insert = db.prepare(`INSERT INTO forms (${V1_FORM_COLUMNS.join(', ')}) VALUES (${V1_FORM_COLUMNS.map(() => '?').join(', ')})`);
    db.transaction(() => old.rows.forEach((row) => insert.run(...row)))();
    db.close();
    const storage = openSqliteStorage({ path: path.replace('nested/', '') });
    try {
      await expectBackfilled(storage, old);
    } finally {
      await storage.close();
    }
  });

  it('answers the equipment history from the serial index and the dashboard from its counts and covering indexes', async () => {
    await openSqliteStorage({ path }).close();
    const db = new Database(path, { readonly: true });
    const plan = (sql: string, params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    for (const after of [null, { visitDate: '2026-03-01', id: 'x' }]) {
      const { sql, params } = buildEquipmentHistoryQuery('SN-1', after, 50, sqliteDialect);
      expect(plan(sql, params)).toMatch(/SEARCH f USING INDEX forms_by_serial/);
      expect(plan(sql, params)).not.toMatch(/TEMP B-TREE/);
    }
    const periods = ['2026-01-01/2026-03-31', '2026-01-10/2026-04-20', '2026-01-10/2026-01-20'].map((p) => ({ from: p.slice(0, 10), to: p.slice(11) }));
    for (const query of [...periods, ...periods.map((p) => ({ ...p, technician: 'tech-1' }))]) {
      const q = buildDashboardQueries(query, sqliteDashboardDialect);
      // the sums read a range of the counts (per date, per day and technician, per month and technician), never the forms
      for (const part of [q.days, q.technicians]) {
        expect(plan(part.sql, part.params), part.sql).toMatch(/SEARCH (c|m|e) USING (PRIMARY KEY|INDEX form_day_counts_by_technician)/);
        expect(plan(part.sql, part.params), part.sql).not.toMatch(/\bf\b|SCAN (c|m|e)\b/);
      }
      // the buckets: a range of their counts, or the days around the whole months from a covering index
      const weekBuckets = q.weekBuckets('2026-01-05', '2026-03-23');
      expect(plan(weekBuckets.sql, weekBuckets.params)).toMatch(/^SEARCH form_week_on_site USING PRIMARY KEY \(visit_week>\? AND visit_week<\?\)$/);
      for (const part of q.technicianBuckets) {
        const found = plan(part.sql, part.params);
        // the months along the key, added up in its order; the days around them from a covering index
        if (part.sql.includes('form_month_on_site')) {
          expect(found).toMatch(!('technician' in query) ? /^SCAN m$/ : /^SEARCH m USING PRIMARY KEY \(technician_id=\?\)$/);
        } else {
          expect(found).toMatch(/SEARCH f USING COVERING INDEX forms_on_site_by_(week|technician_date) /);
          expect(found, part.sql).not.toMatch(/SCAN f\b/);
        }
      }
      expect(q.technicianBuckets.length).toBeGreaterThan(0);
      // a percentile is a seek into the index ordered by time on site, never a sort
      const seeks = [{ key: 'x', p: 50, offset: 10, atLeast: 0 }, { key: 'y', p: 90, offset: 3, atLeast: 2_700_000 }];
      const parts = [...q.weekRanks(seeks), ...q.technicianRanks(seeks, true), ...q.technicianRanks(seeks, false)];
      expect(parts).toHaveLength(6);
      for (const part of parts) {
        expect(plan(part.sql, part.params), part.sql).toMatch(/SEARCH f USING COVERING INDEX forms_on_site_by_(week|technician|technician_week|technician_date) /);
        // by date, the period's few forms are sorted; otherwise the index gives the order
        if (!part.sql.includes('forms_on_site_by_technician_date')) expect(plan(part.sql, part.params), part.sql).not.toMatch(/TEMP B-TREE/);
      }
      expect(plan(q.span.sql, q.span.params)).not.toMatch(/SCAN c|SCAN form_day_counts/);
      expect(plan(q.span.sql, q.span.params)).toMatch(/SEARCH form_day_counts/);
      expect(q.weekRanks([])).toEqual([]);
    }
    db.close();
  });
});
