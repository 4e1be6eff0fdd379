// The PostgreSQL adapter (pg): a small pool; a form lands with one INSERT … ON CONFLICT DO NOTHING,
// so concurrent retries of the same form race on the primary key, never on a read-then-write.
import pg from 'pg';
import type { DispatchedVisit, FormFilter } from '../../domain/api';
import { addRollups } from './dashboard-rollups';
import { addDayCounts } from './form-day-counts';
import { assembleDashboard, dashboardSteps, postgresDashboardDialect, runSteps } from './dashboard-query';
import { buildEquipmentHistoryQuery, historyPage } from './equipment-history';
import { BACKFILL_PAGE, FACT_COLUMNS, factAssignments, factsOfStoredJson, factValues } from './form-facts-columns';
import { buildFormQuery, postgresDialect } from './form-query';
import { POSTGRES_MIGRATIONS, type Migration } from './migrations';
import { lastOfEachCode, partFromRow } from './parts-rows';
import { postgresAccounts } from './postgres-accounts';
import { AUDIT_COLUMNS, auditValues } from './account-rows';
import type { NewAuditEntry } from './account-storage';
import {
  columnText, conflictFromRow, conflictSubmissionFromRow, deviceKeyFromRow, storedFormFromRow, summaryFromRow, technicianFromRow,
  VISIT_COLUMNS, visitFromRow, visitValues, type Row,
} from './rows';
import {
  buildDisputeListQuery, DISPUTE_EVENT_COLUMNS, DISPUTE_SELECT, disputeEventFromRow, disputeFromRow, eventValues, FORM_DISPUTE_COLUMNS, formDisputeFromRow,
  formUpdate, refusalOf,
} from './dispute-rows';
import { DeviceKeyTakenError, type FormCursor, type NewFormRecord, type Storage, type StoredDisputeDetail, type StoreFormOutcome } from './storage';

export interface PostgresOptions {
  connectionString: string;
  /** pool size; the default suits one server process */
  max?: number;
}

const MIGRATION_LOCK = 0x6f6e73; // any constant shared by every server starting against the database

// Dates stay 'YYYY-MM-DD' text (the default parser would shift them into the local time zone),
// timestamps become ISO-8601 UTC text like SQLite's, and bigint drift values become numbers.
export const POSTGRES_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.DATE) return (v: string) => v;
    if (oid === pg.types.builtins.TIMESTAMPTZ) {
      const parse = pg.types.getTypeParser(oid, 'text') as (v: string) => Date;
      return (v: string) => parse(v).toISOString();
    }
    if (oid === pg.types.builtins.INT8) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** PostgreSQL text cannot hold U+0000, so no key containing one can exist: answer "not found" without asking. */
const impossibleKey = (key: string) => key.includes('\u0000');

export async function openPostgresStorage(options: PostgresOptions): Promise<Storage> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10, types: POSTGRES_TYPES });
  // an idle client losing its connection must not take the process down; the next query reconnects
  pool.on('error', () => {});
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }

  const rows = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as Row[];
  const one = async (sql: string, params: unknown[] = []) => (await rows(sql, params))[0];
  const technician = async (id: string) => {
    if (impossibleKey(id)) return null;
    const row = await one('SELECT * FROM technicians WHERE id = $1', [id]);
    return row ? technicianFromRow(row) : null;
  };
  const formPage = (filter: FormFilter, after: FormCursor | null, limit: number, order: 'asc' | 'desc', extra?: string) => {
    const { sql, params } = buildFormQuery(filter, { after, limit, order, ...(extra ? { extra } : {}) }, postgresDialect);
    return rows(sql, params);
  };

  const audit = async (client: pg.PoolClient, entry: NewAuditEntry | undefined) => {
    if (entry) await client.query(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, auditValues(entry));
  };

  async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => { broken = true; });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  return {
    ...postgresAccounts(pool, transaction),
    kind: 'postgres',
    async close() {
      await pool.end();
    },

    async getAdminTokenHash() {
      const row = await one('SELECT token_hash FROM admin WHERE id = 1');
      return row ? String(row.token_hash) : null;
    },
    async setAdminTokenHash(hash, at) {
      await pool.query(`INSERT INTO admin (id, token_hash, rotated_at) VALUES (1, $1, $2)
        ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, rotated_at = excluded.rotated_at`, [hash, at]);
    },

    async createTechnician(t, entry) {
      return transaction(async (client) => {
        const row = (await client.query(`INSERT INTO technicians (id, name, phone, created_at) VALUES ($1, $2, $3, $4)
          ON CONFLICT (id) DO NOTHING RETURNING *`, [t.id, t.name, t.phone, t.createdAt])).rows[0] as Row | undefined;
        if (!row) return null;
        await audit(client, entry);
        return technicianFromRow(row);
      });
    },
    getTechnician: technician,
    async listTechnicians() {
      return (await rows('SELECT * FROM technicians ORDER BY created_at, id')).map(technicianFromRow);
    },
    async revokeTechnician(id, at, entry) {
      if (impossibleKey(id)) return null;
      return transaction(async (client) => {
        const row = (await client.query(`UPDATE technicians SET revoked_at = COALESCE(revoked_at, $1), token_id = NULL, token_hash = NULL
          WHERE id = $2 RETURNING *`, [at, id])).rows[0] as Row | undefined;
        if (!row) return null;
        await client.query('UPDATE device_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE technician_id = $2', [at, id]);
        await audit(client, entry);
        return technicianFromRow(row);
      });
    },
    async getCredentials(tokenId) {
      if (impossibleKey(tokenId)) return null;
      const row = await one('SELECT * FROM technicians WHERE token_id = $1', [tokenId]);
      return row ? { technician: technicianFromRow(row), tokenHash: String(row.token_hash) } : null;
    },

    async createEnrollmentCode(c) {
      const result = await pool.query(`INSERT INTO enrollment_codes (lookup, code_hash, technician_id, created_at, expires_at)
        VALUES ($1, $2, $3, $4, $5) ON CONFLICT (lookup) DO NOTHING`, [c.lookup, c.codeHash, c.technicianId, c.createdAt, c.expiresAt]);
      return result.rowCount === 1;
    },
    async getEnrollmentCode(lookup) {
      if (impossibleKey(lookup)) return null;
      const row = await one('SELECT * FROM enrollment_codes WHERE lookup = $1', [lookup]);
      if (!row) return null;
      return {
        lookup: String(row.lookup), codeHash: String(row.code_hash), technicianId: String(row.technician_id),
        createdAt: String(row.created_at), expiresAt: String(row.expires_at),
        usedAt: row.used_at === null ? null : String(row.used_at), failedAttempts: Number(row.failed_attempts),
      };
    },
    async recordFailedEnrollment(lookup) {
      if (impossibleKey(lookup)) return 0;
      const row = await one('UPDATE enrollment_codes SET failed_attempts = failed_attempts + 1 WHERE lookup = $1 RETURNING failed_attempts', [lookup]);
      return row ? Number(row.failed_attempts) : 0;
    },
    async redeemEnrollmentCode(lookup, grant, maxFailures) {
      if (impossibleKey(lookup)) return null;
      class Refused extends Error {}
      try {
        return await transaction(async (client) => {
          const code = (await client.query(`UPDATE enrollment_codes SET used_at = $1
            WHERE lookup = $2 AND used_at IS NULL AND expires_at > $1 AND failed_attempts < $3 RETURNING technician_id`,
          [grant.at, lookup, maxFailures])).rows[0] as Row | undefined;
          if (!code) throw new Refused();
          const row = (await client.query(`UPDATE technicians SET token_id = $1, token_hash = $2, enrolled_at = $3
            WHERE id = $4 AND revoked_at IS NULL RETURNING *`, [grant.tokenId, grant.tokenHash, grant.at, code.technician_id])).rows[0] as Row | undefined;
          // a revoked technician's code is not spent: roll the whole exchange back
          if (!row) throw new Refused();
          // the new enrollment is the technician's current device: the keys before it are superseded
          await client.query('UPDATE device_keys SET superseded_at = $1 WHERE technician_id = $2 AND superseded_at IS NULL', [grant.at, code.technician_id]);
          if (grant.deviceKey) {
            const added = await client.query(`INSERT INTO device_keys (key_id, technician_id, public_key, enrolled_at) VALUES ($1, $2, $3, $4)
              ON CONFLICT (key_id) DO NOTHING`, [grant.deviceKey.keyId, code.technician_id, grant.deviceKey.publicKey, grant.at]);
            if (added.rowCount !== 1) throw new DeviceKeyTakenError(grant.deviceKey.keyId);
          }
          return technicianFromRow(row);
        });
      } catch (error) {
        if (error instanceof Refused) return null;
        throw error;
      }
    },

    async getDeviceKey(keyId) {
      if (impossibleKey(keyId)) return null;
      const row = await one('SELECT * FROM device_keys WHERE key_id = $1', [keyId]);
      return row ? deviceKeyFromRow(row) : null;
    },
    async listDeviceKeys(technicianId) {
      if (technicianId !== undefined && impossibleKey(technicianId)) return [];
      const found = technicianId === undefined
        ? await rows('SELECT * FROM device_keys ORDER BY enrolled_at, key_id')
        : await rows('SELECT * FROM device_keys WHERE technician_id = $1 ORDER BY enrolled_at, key_id', [technicianId]);
      return found.map(deviceKeyFromRow);
    },

    async createVisit(visit: DispatchedVisit, createdAt: string, entry) {
      return transaction(async (client) => {
        const result = await client.query(`INSERT INTO visits (${VISIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
          ON CONFLICT (id) DO NOTHING`, visitValues(visit, createdAt, visit.firstVisit));
        if (result.rowCount === 1) await audit(client, entry);
        return result.rowCount === 1;
      });
    },
    async listVisits(filter) {
      if (filter.technicianId !== undefined && impossibleKey(filter.technicianId)) return [];
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.technicianId !== undefined) {
        params.push(filter.technicianId);
        where.push(`v.technician_id = $${params.length}`);
      }
      if (filter.openOnly) where.push('NOT EXISTS (SELECT 1 FROM forms f WHERE f.visit_id = v.id AND f.technician_id = v.technician_id)');
      const sql = `SELECT v.* FROM visits v ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY v.scheduled_date, v.id`;
      return (await rows(sql, params)).map(visitFromRow);
    },

    async storeForms(forms) {
      if (forms.length === 0) return [];
      // rows are inserted in id order, so two batches sharing ids wait on each other instead of deadlocking
      const order = forms.map((_, i) => i).sort((a, b) => (forms[a]!.id < forms[b]!.id ? -1 : forms[a]!.id > forms[b]!.id ? 1 : a - b));
      return transaction(async (client) => {
        const outcomes: StoreFormOutcome[] = new Array(forms.length);
        for (const i of order) outcomes[i] = await storeForm(client, forms[i]!);
        // the dashboard's counts, in the same transaction, in key order (form-day-counts.ts): only the forms that landed now
        const accepted = forms.filter((_, i) => outcomes[i]!.status === 'accepted');
        for (const part of [...addDayCounts(accepted, (n) => `$${n}`), ...addRollups(accepted, (n) => `$${n}`)]) await client.query(part.sql, part.params);
        return outcomes;
      });
    },
    async listForms(filter, page) {
      if (filter.technician !== undefined && impossibleKey(filter.technician)) return { forms: [], next: null };
      const found = await formPage(filter, page.after, page.limit + 1, 'desc');
      const forms = found.slice(0, page.limit).map(summaryFromRow);
      const last = forms[forms.length - 1];
      return { forms, next: found.length > page.limit && last ? { visitDate: last.visitDate, id: last.id } : null };
    },
    async getForm(id) {
      if (impossibleKey(id)) return null;
      const { sql, params } = buildFormQuery({}, { id, after: null, limit: 1, order: 'desc', extra: 'f.form_json, f.signature_png, f.device_json' }, postgresDialect);
      const row = await one(sql, params);
      return row ? storedFormFromRow(row) : null;
    },
    async *iterateForms(filter, options) {
      if (filter.technician !== undefined && impossibleKey(filter.technician)) return;
      const pageSize = options.pageSize ?? 500;
      const extra = [options.withSignature ? 'f.form_json, f.signature_png, f.device_json' : 'f.form_json, f.device_json', ...(options.withDisputes ? [FORM_DISPUTE_COLUMNS] : [])].join(', ');
      let after: FormCursor | null = null;
      for (;;) {
        const page = await formPage(filter, after, pageSize, 'asc', extra);
        for (const row of page) yield options.withDisputes ? { ...storedFormFromRow(row), dispute: formDisputeFromRow(row) } : storedFormFromRow(row);
        if (page.length < pageSize) return;
        const last = page[page.length - 1]!;
        after = { visitDate: String(last.visit_date), id: String(last.id) };
      }
    },

    async listConflicts({ formId, limit }) {
      if (formId !== undefined && impossibleKey(formId)) return [];
      const found = await rows(`SELECT c.form_id, c.received_at, c.hash, f.hash AS original_hash, c.technician_id
        FROM form_conflicts c JOIN forms f ON f.id = c.form_id
        ${formId === undefined ? '' : 'WHERE c.form_id = $2'} ORDER BY c.received_at DESC, c.form_id LIMIT $1`,
      formId === undefined ? [limit] : [limit, formId]);
      return found.map(conflictFromRow);
    },
    async getConflictSubmission(formId, hash) {
      if (impossibleKey(formId) || impossibleKey(hash)) return null;
      const row = await one('SELECT form_json, signature_png, device_json FROM form_conflicts WHERE form_id = $1 AND hash = $2', [formId, hash]);
      return row ? conflictSubmissionFromRow(row) : null;
    },

    async listDisputes(filter) {
      if (filter.assigneeId && impossibleKey(filter.assigneeId)) return [];
      const { sql, params } = buildDisputeListQuery(filter, { param: (n) => `$${n}`, yes: 'TRUE' });
      return (await rows(sql, params)).map(disputeFromRow);
    },
    async getDispute(formId) {
      if (impossibleKey(formId)) return null;
      return disputeDetail(pool, formId);
    },
    async workDispute(formId, change, entry) {
      if (impossibleKey(formId)) return { status: 'not-found' };
      if (change.kind === 'assign' && change.userId !== null && impossibleKey(change.userId)) {
        const row = await one('SELECT flagged FROM forms WHERE id = $1', [formId]);
        return { status: row ? (row.flagged ? 'assignee-unknown' : 'not-flagged') : 'not-found' };
      }
      return transaction(async (client) => {
        // the row lock makes a concurrent change to this dispute wait, then see this one
        const row = (await client.query('SELECT flagged, dispute_resolved_at FROM forms WHERE id = $1 FOR UPDATE', [formId])).rows[0] as Row | undefined;
        const user = change.kind === 'assign' && change.userId !== null
          ? (await client.query('SELECT display_name, disabled_at FROM users WHERE id = $1', [change.userId])).rows[0] as Row | undefined
          : undefined;
        const refusal = refusalOf(row ? { flagged: row.flagged === true, resolved: row.dispute_resolved_at !== null } : null, change,
          user ? { disabled: user.disabled_at !== null } : null);
        if (refusal) return { status: refusal };
        await client.query(`INSERT INTO dispute_events (${DISPUTE_EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          eventValues(formId, change, entry, user ? String(user.display_name) : null));
        const update = formUpdate(change, entry.at);
        if (update) {
          await client.query(`UPDATE forms SET ${update.columns.map((c, i) => `${c} = $${i + 1}`).join(', ')} WHERE id = $${update.columns.length + 1}`,
            [...update.values, formId]);
        }
        await audit(client, entry);
        return { status: 'done' as const, ...(await disputeDetail(client, formId))! };
      });
    },
    async listDisputeAssignees() {
      return (await rows('SELECT id, display_name FROM users WHERE disabled_at IS NULL ORDER BY display_name, id'))
        .map((row) => ({ id: String(row.id), name: String(row.display_name) }));
    },

    async listEquipmentHistory(serial, page) {
      if (serial === '') return { entries: [], next: null };
      const { sql, params } = buildEquipmentHistoryQuery(columnText(serial), page.after, page.limit + 1, postgresDialect);
      return historyPage(await rows(sql, params), page.limit, page.words);
    },
    async listParts() {
      return (await pool.query('SELECT code, name, unit FROM parts ORDER BY code COLLATE "C"')).rows.map(partFromRow);
    },
    async saveParts(parts, at, entry) {
      return transaction(async (client) => {
        const counts = { created: 0, updated: 0 };
        const unique = lastOfEachCode(parts);
        // a thousand parts a statement; an unchanged part is not written (the WHERE), so it returns no row
        for (let start = 0; start < unique.length; start += 1000) {
          const chunk = unique.slice(start, start + 1000);
          const result = await client.query(
            `INSERT INTO parts (code, name, unit, updated_at)
               SELECT code, name, unit, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS p (code, name, unit)
             ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, unit = EXCLUDED.unit, updated_at = EXCLUDED.updated_at
               WHERE parts.name <> EXCLUDED.name OR parts.unit <> EXCLUDED.unit
             RETURNING (xmax = 0) AS inserted`,
            [chunk.map((p) => p.code), chunk.map((p) => p.name), chunk.map((p) => p.unit), at],
          );
          for (const row of result.rows as Row[]) counts[row.inserted ? 'created' : 'updated']++;
        }
        await audit(client, entry(counts));
        return counts;
      });
    },
    async removePart(code, entry) {
      return transaction(async (client) => {
        const removed = (await client.query('DELETE FROM parts WHERE code = $1', [code])).rowCount === 1;
        if (removed) await audit(client, entry);
        return removed;
      });
    },
    async dashboard(query) {
      if (query.technician !== undefined && impossibleKey(query.technician)) {
        return assembleDashboard(query, { days: [], weeks: [], technicians: [], technicianMedians: [] });
      }
      // one snapshot: every query sees the same forms
      return transaction(async (client) => {
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        return runSteps(dashboardSteps(query, postgresDashboardDialect), async (part) => (await client.query(part.sql, part.params)).rows as Row[]);
      });
    },
  };
}

async function disputeDetail(db: pg.Pool | pg.PoolClient, formId: string): Promise<StoredDisputeDetail | null> {
  const row = (await db.query(`${DISPUTE_SELECT} WHERE f.id = $1 AND f.flagged`, [formId])).rows[0] as Row | undefined;
  if (!row) return null;
  const events = (await db.query('SELECT * FROM dispute_events WHERE form_id = $1 ORDER BY id', [formId])).rows as Row[];
  return { dispute: disputeFromRow(row), events: events.map(disputeEventFromRow) };
}

/** One form inside the batch's transaction: INSERT … ON CONFLICT DO NOTHING decides, never a read first. */
async function storeForm(client: pg.PoolClient, f: NewFormRecord): Promise<StoreFormOutcome> {
  const inserted = await client.query(`INSERT INTO forms (id, hash, technician_id, visit_id, visit_date, sealed_at, received_at,
      source, satisfaction, dispute, conduct_breach, flagged, clock_drift_ms, customer_name, equipment_type, form_json, signature_png, device_json,
      ${FACT_COLUMNS.join(', ')})
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, ${FACT_COLUMNS.map((_, i) => `$${19 + i}`).join(', ')})
    ON CONFLICT (id) DO NOTHING`, [
    f.id, f.hash, columnText(f.technicianId), columnText(f.visitId), f.visitDate, f.sealedAt, f.receivedAt, f.source,
    f.satisfaction, f.dispute, f.conductBreach, f.dispute || f.conductBreach, f.clockDriftMs,
    columnText(f.customerName), columnText(f.equipmentType), f.formJson, f.signature, f.deviceJson, ...factValues(f.facts, f.visitDate, (b) => b),
  ]);
  if (inserted.rowCount === 1) return { status: 'accepted', receivedAt: f.receivedAt };
  // ON CONFLICT waited for a concurrent insert of this id to commit, so the kept row is visible here
  const kept = (await client.query('SELECT hash, received_at FROM forms WHERE id = $1 FOR UPDATE', [f.id])).rows[0] as Row;
  const receivedAt = String(kept.received_at);
  if (kept.hash === f.hash) return { status: 'duplicate', receivedAt };
  await client.query(`INSERT INTO form_conflicts (form_id, hash, received_at, technician_id, source, form_json, signature_png, device_json)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (form_id, hash) DO NOTHING`,
  [f.id, f.hash, f.receivedAt, columnText(f.technicianId), f.source, f.formJson, f.signature, f.deviceJson]);
  await client.query('UPDATE forms SET has_conflict = TRUE WHERE id = $1', [f.id]);
  return { status: 'conflict', receivedAt };
}

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    for (const migration of POSTGRES_MIGRATIONS) {
      await client.query('BEGIN');
      try {
        // servers starting together take turns; the second sees the first one's work
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)');
        const done = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
        if (done.rowCount === 0) {
          await client.query(migration.sql);
          if (migration.backfill) await backfill(client, migration.backfill);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [migration.version, migration.name]);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    client.release();
  }
}

/** A migration's data step, inside its transaction: every row stored before, a page at a time by id. */
async function backfill(client: pg.PoolClient, step: NonNullable<Migration['backfill']>): Promise<void> {
  switch (step) {
    case 'form-facts': {
      const update = `UPDATE forms SET ${factAssignments((n) => `$${n}`)} WHERE id = $${FACT_COLUMNS.length + 1}`;
      let after = '';
      for (;;) {
        const rows = (await client.query('SELECT id, visit_date, form_json FROM forms WHERE id > $1 ORDER BY id LIMIT $2', [after, BACKFILL_PAGE])).rows as Row[];
        for (const row of rows) await client.query(update, [...factValues(factsOfStoredJson(String(row.form_json)), String(row.visit_date), (b) => b), row.id]);
        if (rows.length < BACKFILL_PAGE) return;
        after = String(rows[rows.length - 1]!.id);
      }
    }
  }
}
