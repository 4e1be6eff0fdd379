import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDisputeListQuery } from '../../src/server/storage/dispute-rows';
import { buildFormQuery, postgresDialect } from '../../src/server/storage/form-query';
import { POSTGRES_MIGRATIONS } from '../../src/server/storage/migrations';
import { openPostgresStorage } from '../../src/server/storage/postgres';
import { postgresFactory, PROCESS_TIMEOUT_MS } from './helpers';
import { expectDisputesBackfilled, v3DisputeRows, V3_DISPUTE_COLUMNS } from './dispute-backfill';
import { expectBackfilled, oldRows, V1_FORM_COLUMNS } from './form-facts-backfill';

import { startPgCluster, type PgCluster } from './pg-cluster';
import { describeFormInsightsContract } from './form-insights-contract';
import { describeStorageContract } from './storage-contract';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
}, PROCESS_TIMEOUT_MS);
afterAll(async () => {
  await cluster?.stop();
});

describeStorageContract('PostgreSQL', postgresFactory(() => cluster));
describeFormInsightsContract('PostgreSQL', postgresFactory(() => cluster));

describe('PostgreSQL adapter', () => {
  it('records each migration once, also when two servers start together', async () => {
    const url = await cluster.createDatabase();
    const [a, b] = await Promise.all([openPostgresStorage({ connectionString: url }), openPostgresStorage({ connectionString: url })]);
    await Promise.all([a.close(), b.close()]);
    const again = await openPostgresStorage({ connectionString: url });
    await again.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version').finally(() => client.end());
    expect(rows).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version })));
  });

  it('refuses UPDATE and DELETE on the audit log in the database itself', async () => {
    const url = await cluster.createDatabase();
    const storage = await openPostgresStorage({ connectionString: url });
    await storage.appendAudit({ at: '2026-03-10T08:00:00.000Z', userId: null, userName: 'x', address: 'a', action: 'export.made', target: 'csv', details: {} });
    await storage.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await expect(client.query("UPDATE audit_log SET user_name = 'someone else'")).rejects.toThrow(/append-only: no UPDATE/);
      await expect(client.query('DELETE FROM audit_log')).rejects.toThrow(/append-only: no DELETE/);
      expect((await client.query('SELECT user_name FROM audit_log')).rows).toEqual([{ user_name: 'x' }]);
    } finally {
      await client.end();
    }
  });

  it('refuses UPDATE and DELETE on a dispute thread in the database itself', async () => {
    const url = await cluster.createDatabase();
    await (await openPostgresStorage({ connectionString: url })).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`INSERT INTO forms (id, hash, technician_id, visit_id, visit_date, sealed_at, received_at, source, satisfaction, dispute, conduct_breach, flagged, customer_name, equipment_type, form_json, signature_png)
        VALUES ('f', 'h', 't', 'v', '2026-03-10', 's', '2026-03-10T08:00:00.000Z', 'api', 5, TRUE, FALSE, TRUE, 'c', 'e', '{}', '\\x00')`);
      await client.query("INSERT INTO dispute_events (form_id, at, user_name, kind, note) VALUES ('f', '2026-03-10T08:00:00.000Z', 'x', 'noted', 'n')");
      await expect(client.query("UPDATE dispute_events SET note = 'rewritten'")).rejects.toThrow(/append-only: no UPDATE/);
      await expect(client.query('DELETE FROM dispute_events')).rejects.toThrow(/append-only: no DELETE/);
      expect((await client.query('SELECT note FROM dispute_events')).rows).toEqual([{ note: 'n' }]);
    } finally {
      await client.end();
    }
  });

  it('upgrades a version-3 database: a dispute resolved before keeps its resolution and note, as the first line of its thread', async () => {
    const url = await cluster.createDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)');
      for (const migration of POSTGRES_MIGRATIONS.filter((m) => m.version <= 3)) {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations VALUES ($1, $2, now())', [migration.version, migration.name]);
      }
      for (const row of v3DisputeRows((b) => b)) {
        await client.query(`INSERT INTO forms (${V3_DISPUTE_COLUMNS.join(', ')}) VALUES (${V3_DISPUTE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`, row);
      }
    } finally {
      await client.end();
    }
    const storage = await openPostgresStorage({ connectionString: url });
    try {
      await expectDisputesBackfilled(storage);
    } finally {
      await storage.close();
    }
  });

  it('can answer the dispute list from its partial indexes, newest received first (no sort)', async () => {
    const url = await cluster.createDatabase();
    await (await openPostgresStorage({ connectionString: url })).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off');
      for (const filter of [{ status: 'open' as const, limit: 50 }, { status: 'resolved' as const, assigneeId: 'U-1', limit: 50 },
        { status: 'open' as const, receivedBefore: '2026-03-10T00:00:00.000Z', limit: 50 }]) {
        const { sql, params } = buildDisputeListQuery(filter, { param: (n) => `$${n}`, yes: 'TRUE' });
        const plan = (await client.query(`EXPLAIN ${sql}`, params)).rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
        expect(plan, JSON.stringify(filter)).toMatch(/Index Scan Backward using forms_dispute_/);
        expect(plan, JSON.stringify(filter)).not.toMatch(/Sort|Seq Scan on forms/);
      }
    } finally {
      await client.end();
    }
  });

  it('says clearly when the database cannot be reached', async () => {
    await expect(openPostgresStorage({ connectionString: 'postgresql://postgres@127.0.0.1:1/none' })).rejects.toThrow(/ECONNREFUSED|connect/);
  });

  it('can answer every forms-list filter from an index, in index order (no sort)', async () => {
    const url = await cluster.createDatabase();
    await (await openPostgresStorage({ connectionString: url })).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // on an empty table the planner rightly prefers a scan and a sort; forbid them to see that an index serves
      await client.query('SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off');
      const filters = [{}, { from: '2026-01-01', to: '2026-02-01' }, { technician: 't' }, { dispute: true }, { state: 'conflict' as const }, { satisfaction: 3 }];
      for (const filter of filters) {
        for (const after of [null, { visitDate: '2026-03-01', id: 'x' }]) {
          const { sql, params } = buildFormQuery(filter, { after, limit: 50, order: 'desc' }, postgresDialect);
          const { rows } = await client.query(`EXPLAIN ${sql}`, params);
          const plan = rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
          expect(plan, JSON.stringify(filter)).toMatch(/Index (Only )?Scan Backward using forms_/);
          expect(plan, JSON.stringify(filter)).not.toMatch(/Sort|Seq Scan on forms/);
        }
      }
    } finally {
      await client.end();
    }
  });

  it('upgrades a first-schema database: the forms stored before get their facts from their JSON', async () => {
    const url = await cluster.createDatabase();
    const old = await oldRows((b) => b);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)');
      await client.query(POSTGRES_MIGRATIONS[0]!.sql);
      await client.query("INSERT INTO schema_migrations VALUES (1, 'initial schema', now())");
      await client.query("INSERT INTO technicians (id, name, created_at) VALUES ('tech-1', '张师傅', now())");
      for (const row of old.rows) {
        await client.query(`INSERT INTO forms (${V1_FORM_COLUMNS.join(', ')}) VALUES (${V1_FORM_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`, row);
      }
    } finally {
      await client.end();
    }
    const storage = await openPostgresStorage({ connectionString: url });
    try {
      await expectBackfilled(storage, old);
    } finally {
      await storage.close();
    }
  });
});
