// The SQLite adapter (better-sqlite3): one connection, WAL with synchronous=FULL, so a form's commit
// is on disk before its answer is sent. Statements are synchronous; the interface stays async for PostgreSQL.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { DispatchedVisit, FormFilter } from '../../domain/api';
import { addRollups } from './dashboard-rollups';
import { addDayCounts } from './form-day-counts';
import { dashboardSteps, runStepsSync, sqliteDashboardDialect } from './dashboard-query';
import { buildEquipmentHistoryQuery, historyPage } from './equipment-history';
import { BACKFILL_PAGE, FACT_COLUMNS, factAssignments, factsOfStoredJson, factValues } from './form-facts-columns';
import { buildFormQuery, sqliteDialect } from './form-query';
import { SQLITE_MIGRATIONS, type Migration } from './migrations';
import { lastOfEachCode, partFromRow } from './parts-rows';
import type { CatalogPart } from '../../domain/parts-catalog';
import type { PartCounts } from './storage';
import { sqliteAccounts } from './sqlite-accounts';
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
import { DeviceKeyTakenError, type DisputeChange, type FormCursor, type NewFormRecord, type Storage, type StoredDisputeDetail, type TokenGrant, type WorkDisputeOutcome } from './storage';

export interface SqliteOptions {
  /** the database file; its directory is made if missing */
  path: string;
}

export function openSqliteStorage(options: SqliteOptions): Storage {
  mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // another process (the import CLI, admin:token) may hold the write lock for a moment
  db.pragma('busy_timeout = 5000');
  migrate(db);

  // the queries are a small fixed set (filters only switch fragments on and off), so each is compiled once
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  const one = (sql: string, ...params: unknown[]) => prepared(sql).get(...params) as Row | undefined;
  const all = (sql: string, ...params: unknown[]) => prepared(sql).all(...params) as Row[];
  const run = (sql: string, ...params: unknown[]) => prepared(sql).run(...params);
  const technician = (id: string) => {
    const row = one('SELECT * FROM technicians WHERE id = ?', id);
    return row ? technicianFromRow(row) : null;
  };
  const disputeDetail = (formId: string): StoredDisputeDetail | null => {
    const row = one(`${DISPUTE_SELECT} WHERE f.id = ? AND f.flagged = 1`, formId);
    if (!row) return null;
    return { dispute: disputeFromRow(row), events: all('SELECT * FROM dispute_events WHERE form_id = ? ORDER BY id', formId).map(disputeEventFromRow) };
  };

  const audit = (entry: NewAuditEntry | undefined) => {
    if (entry) run(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, ...auditValues(entry));
  };
  const createTechnician = db.transaction((t: Parameters<Storage['createTechnician']>[0], entry: NewAuditEntry | undefined) => {
    const result = run('INSERT INTO technicians (id, name, phone, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      t.id, t.name, t.phone, t.createdAt);
    if (result.changes !== 1) return null;
    audit(entry);
    return technician(t.id);
  });
  const revokeTechnician = db.transaction((id: string, at: string, entry: NewAuditEntry | undefined) => {
    run('UPDATE technicians SET revoked_at = COALESCE(revoked_at, ?), token_id = NULL, token_hash = NULL WHERE id = ?', at, id);
    run('UPDATE device_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE technician_id = ?', at, id);
    const revoked = technician(id);
    if (revoked) audit(entry);
    return revoked;
  });
  const createVisit = db.transaction((visit: DispatchedVisit, createdAt: string, entry: NewAuditEntry | undefined) => {
    const result = run(`INSERT INTO visits (${VISIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      ...visitValues(visit, createdAt, +visit.firstVisit));
    if (result.changes === 1) audit(entry);
    return result.changes === 1;
  });

  const saveParts = db.transaction((parts: readonly CatalogPart[], at: string, entry: (counts: PartCounts) => NewAuditEntry) => {
    const counts = { created: 0, updated: 0 };
    for (const part of lastOfEachCode(parts)) {
      const kept = one('SELECT name, unit FROM parts WHERE code = ?', part.code);
      if (!kept) {
        run('INSERT INTO parts (code, name, unit, updated_at) VALUES (?, ?, ?, ?)', part.code, part.name, part.unit, at);
        counts.created++;
      } else if (kept.name !== part.name || kept.unit !== part.unit) {
        run('UPDATE parts SET name = ?, unit = ?, updated_at = ? WHERE code = ?', part.name, part.unit, at, part.code);
        counts.updated++;
      }
    }
    audit(entry(counts));
    return counts;
  });
  const removePart = db.transaction((code: string, entry: NewAuditEntry) => {
    const removed = run('DELETE FROM parts WHERE code = ?', code).changes === 1;
    if (removed) audit(entry);
    return removed;
  });

  const storeForm = (f: NewFormRecord) => {
    const inserted = run(
      `INSERT INTO forms (id, hash, technician_id, visit_id, visit_date, sealed_at, received_at, source, satisfaction,
         dispute, conduct_breach, flagged, clock_drift_ms, customer_name, equipment_type, form_json, signature_png, device_json,
         ${FACT_COLUMNS.join(', ')})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${FACT_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`,
      f.id, f.hash, columnText(f.technicianId), columnText(f.visitId), f.visitDate, f.sealedAt, f.receivedAt, f.source,
      f.satisfaction, +f.dispute, +f.conductBreach, +(f.dispute || f.conductBreach), f.clockDriftMs,
      columnText(f.customerName), columnText(f.equipmentType), f.formJson, f.signature, f.deviceJson, ...factValues(f.facts, f.visitDate, (b) => +b),
    );
    if (inserted.changes === 1) return { status: 'accepted' as const, receivedAt: f.receivedAt };
    const kept = one('SELECT hash, received_at FROM forms WHERE id = ?', f.id)!;
    const receivedAt = String(kept.received_at);
    if (kept.hash === f.hash) return { status: 'duplicate' as const, receivedAt };
    run(`INSERT INTO form_conflicts (form_id, hash, received_at, technician_id, source, form_json, signature_png, device_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (form_id, hash) DO NOTHING`,
      f.id, f.hash, f.receivedAt, columnText(f.technicianId), f.source, f.formJson, f.signature, f.deviceJson);
    run('UPDATE forms SET has_conflict = 1 WHERE id = ?', f.id);
    return { status: 'conflict' as const, receivedAt };
  };
  const storeForms = db.transaction((forms: readonly NewFormRecord[]) => {
    const outcomes = forms.map(storeForm);
    // the dashboard's counts, in the same transaction: only the forms that landed now
    const accepted = forms.filter((_, i) => outcomes[i]!.status === 'accepted');
    for (const part of [...addDayCounts(accepted, () => '?'), ...addRollups(accepted, () => '?')]) run(part.sql, ...part.params);
    return outcomes;
  });

  class RedeemRefused extends Error {}
  const redeem = db.transaction((lookup: string, { tokenId, tokenHash, at, deviceKey }: TokenGrant, maxFailures: number) => {
    const used = run(
      'UPDATE enrollment_codes SET used_at = ? WHERE lookup = ? AND used_at IS NULL AND expires_at > ? AND failed_attempts < ?',
      at, lookup, at, maxFailures,
    );
    if (used.changes !== 1) return null;
    const code = one('SELECT technician_id FROM enrollment_codes WHERE lookup = ?', lookup)!;
    const granted = run('UPDATE technicians SET token_id = ?, token_hash = ?, enrolled_at = ? WHERE id = ? AND revoked_at IS NULL',
      tokenId, tokenHash, at, code.technician_id);
    // a revoked technician's code is not spent: roll the whole exchange back
    if (granted.changes !== 1) throw new RedeemRefused();
    // the new enrollment is the technician's current device: the keys before it are superseded
    run('UPDATE device_keys SET superseded_at = ? WHERE technician_id = ? AND superseded_at IS NULL', at, code.technician_id);
    if (deviceKey) {
      const added = run(`INSERT INTO device_keys (key_id, technician_id, public_key, enrolled_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (key_id) DO NOTHING`, deviceKey.keyId, code.technician_id, deviceKey.publicKey, at);
      if (added.changes !== 1) throw new DeviceKeyTakenError(deviceKey.keyId);
    }
    return technician(String(code.technician_id));
  });

  // BEGIN IMMEDIATE (below) takes the write lock first, so a concurrent change waits and then sees this one
  const work = db.transaction((formId: string, change: DisputeChange, entry: NewAuditEntry): WorkDisputeOutcome => {
    const row = one('SELECT flagged, dispute_resolved_at FROM forms WHERE id = ?', formId);
    const user = change.kind === 'assign' && change.userId !== null ? one('SELECT display_name, disabled_at FROM users WHERE id = ?', change.userId) : undefined;
    const refusal = refusalOf(row ? { flagged: row.flagged === 1, resolved: row.dispute_resolved_at !== null } : null, change,
      user ? { disabled: user.disabled_at !== null } : null);
    if (refusal) return { status: refusal };
    run(`INSERT INTO dispute_events (${DISPUTE_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ...eventValues(formId, change, entry, user ? String(user.display_name) : null));
    const update = formUpdate(change, entry.at);
    if (update) run(`UPDATE forms SET ${update.columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, ...update.values, formId);
    audit(entry);
    return { status: 'done', ...disputeDetail(formId)! };
  });

  const formPage = (filter: FormFilter, after: FormCursor | null, limit: number, order: 'asc' | 'desc', extra?: string) => {
    const { sql, params } = buildFormQuery(filter, { after, limit, order, ...(extra ? { extra } : {}) }, sqliteDialect);
    return all(sql, ...params);
  };

  return {
    ...sqliteAccounts(db),
    kind: 'sqlite',
    async close() {
      db.close();
    },

    async getAdminTokenHash() {
      const row = one('SELECT token_hash FROM admin WHERE id = 1');
      return row ? String(row.token_hash) : null;
    },
    async setAdminTokenHash(hash, at) {
      run(`INSERT INTO admin (id, token_hash, rotated_at) VALUES (1, ?, ?)
           ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, rotated_at = excluded.rotated_at`, hash, at);
    },

    async createTechnician(t, entry) {
      return createTechnician.immediate(t, entry);
    },
    async getTechnician(id) {
      return technician(id);
    },
    async listTechnicians() {
      return all('SELECT * FROM technicians ORDER BY created_at, id').map(technicianFromRow);
    },
    async revokeTechnician(id, at, entry) {
      return revokeTechnician.immediate(id, at, entry);
    },
    async getCredentials(tokenId) {
      const row = one('SELECT * FROM technicians WHERE token_id = ?', tokenId);
      return row ? { technician: technicianFromRow(row), tokenHash: String(row.token_hash) } : null;
    },

    async createEnrollmentCode(c) {
      const result = run(`INSERT INTO enrollment_codes (lookup, code_hash, technician_id, created_at, expires_at)
        VALUES (?, ?, ?, ?, ?) ON CONFLICT (lookup) DO NOTHING`, c.lookup, c.codeHash, c.technicianId, c.createdAt, c.expiresAt);
      return result.changes === 1;
    },
    async getEnrollmentCode(lookup) {
      const row = one('SELECT * FROM enrollment_codes WHERE lookup = ?', lookup);
      if (!row) return null;
      return {
        lookup: String(row.lookup), codeHash: String(row.code_hash), technicianId: String(row.technician_id),
        createdAt: String(row.created_at), expiresAt: String(row.expires_at),
        usedAt: row.used_at === null ? null : String(row.used_at), failedAttempts: Number(row.failed_attempts),
      };
    },
    async recordFailedEnrollment(lookup) {
      const row = one('UPDATE enrollment_codes SET failed_attempts = failed_attempts + 1 WHERE lookup = ? RETURNING failed_attempts', lookup);
      return row ? Number(row.failed_attempts) : 0;
    },
    async redeemEnrollmentCode(lookup, grant, maxFailures) {
      try {
        return redeem.immediate(lookup, grant, maxFailures);
      } catch (error) {
        if (error instanceof RedeemRefused) return null;
        throw error;
      }
    },

    async getDeviceKey(keyId) {
      const row = one('SELECT * FROM device_keys WHERE key_id = ?', keyId);
      return row ? deviceKeyFromRow(row) : null;
    },
    async listDeviceKeys(technicianId) {
      const rows = technicianId === undefined
        ? all('SELECT * FROM device_keys ORDER BY enrolled_at, key_id')
        : all('SELECT * FROM device_keys WHERE technician_id = ? ORDER BY enrolled_at, key_id', technicianId);
      return rows.map(deviceKeyFromRow);
    },

    async createVisit(visit: DispatchedVisit, createdAt: string, entry) {
      return createVisit.immediate(visit, createdAt, entry);
    },
    async listVisits(filter) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.technicianId !== undefined) {
        where.push('v.technician_id = ?');
        params.push(filter.technicianId);
      }
      if (filter.openOnly) where.push('NOT EXISTS (SELECT 1 FROM forms f WHERE f.visit_id = v.id AND f.technician_id = v.technician_id)');
      const sql = `SELECT v.* FROM visits v ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY v.scheduled_date, v.id`;
      return all(sql, ...params).map(visitFromRow);
    },

    async storeForms(forms) {
      return forms.length === 0 ? [] : storeForms.immediate(forms);
    },
    async listForms(filter, page) {
      const rows = formPage(filter, page.after, page.limit + 1, 'desc');
      const forms = rows.slice(0, page.limit).map(summaryFromRow);
      const last = forms[forms.length - 1];
      return { forms, next: rows.length > page.limit && last ? { visitDate: last.visitDate, id: last.id } : null };
    },
    async getForm(id) {
      const { sql, params } = buildFormQuery({}, { id, after: null, limit: 1, order: 'desc', extra: 'f.form_json, f.signature_png, f.device_json' }, sqliteDialect);
      const row = one(sql, ...params);
      return row ? storedFormFromRow(row) : null;
    },
    async *iterateForms(filter, options) {
      const pageSize = options.pageSize ?? 500;
      const extra = [options.withSignature ? 'f.form_json, f.signature_png, f.device_json' : 'f.form_json, f.device_json', ...(options.withDisputes ? [FORM_DISPUTE_COLUMNS] : [])].join(', ');
      let after: FormCursor | null = null;
      for (;;) {
        const rows = formPage(filter, after, pageSize, 'asc', extra);
        for (const row of rows) yield options.withDisputes ? { ...storedFormFromRow(row), dispute: formDisputeFromRow(row) } : storedFormFromRow(row);
        if (rows.length < pageSize) return;
        const last = rows[rows.length - 1]!;
        after = { visitDate: String(last.visit_date), id: String(last.id) };
      }
    },

    async listConflicts({ formId, limit }) {
      const rows = all(`SELECT c.form_id, c.received_at, c.hash, f.hash AS original_hash, c.technician_id
        FROM form_conflicts c JOIN forms f ON f.id = c.form_id
        ${formId === undefined ? '' : 'WHERE c.form_id = ?'} ORDER BY c.received_at DESC, c.form_id LIMIT ?`,
      ...(formId === undefined ? [limit] : [formId, limit]));
      return rows.map(conflictFromRow);
    },
    async getConflictSubmission(formId, hash) {
      const row = one('SELECT form_json, signature_png, device_json FROM form_conflicts WHERE form_id = ? AND hash = ?', formId, hash);
      return row ? conflictSubmissionFromRow(row) : null;
    },

    async listDisputes(filter) {
      const { sql, params } = buildDisputeListQuery(filter, { param: () => '?', yes: '1' });
      return all(sql, ...params).map(disputeFromRow);
    },
    async getDispute(formId) {
      return disputeDetail(formId);
    },
    async workDispute(formId, change, entry) {
      return work.immediate(formId, change, entry);
    },
    async listDisputeAssignees() {
      return all('SELECT id, display_name FROM users WHERE disabled_at IS NULL ORDER BY display_name, id')
        .map((row) => ({ id: String(row.id), name: String(row.display_name) }));
    },

    async listEquipmentHistory(serial, page) {
      if (serial === '') return { entries: [], next: null };
      const { sql, params } = buildEquipmentHistoryQuery(columnText(serial), page.after, page.limit + 1, sqliteDialect);
      return historyPage(all(sql, ...params), page.limit, page.words);
    },
    async listParts() {
      return all('SELECT code, name, unit FROM parts ORDER BY code').map(partFromRow);
    },
    async saveParts(parts, at, entry) {
      return saveParts.immediate(parts, at, entry);
    },
    async removePart(code, entry) {
      return removePart.immediate(code, entry);
    },
    async dashboard(query) {
      // one read transaction: every query sees the same forms
      return db.transaction(() => runStepsSync(dashboardSteps(query, sqliteDashboardDialect), (part) => all(part.sql, ...part.params)))();
    },
  };
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Row[]).map((r) => Number(r.version)));
  for (const migration of SQLITE_MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      if (migration.backfill) backfill(db, migration.backfill);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(migration.version, migration.name, new Date().toISOString());
    }).immediate();
  }
}

/** A migration's data step, inside its transaction: every row stored before, a page at a time by id. */
function backfill(db: Database.Database, step: NonNullable<Migration['backfill']>): void {
  switch (step) {
    case 'form-facts': {
      const page = db.prepare('SELECT id, visit_date, form_json FROM forms WHERE id > ? ORDER BY id LIMIT ?');
      const update = db.prepare(`UPDATE forms SET ${factAssignments(() => '?')} WHERE id = ?`);
      let after = '';
      for (;;) {
        const rows = page.all(after, BACKFILL_PAGE) as Row[];
        for (const row of rows) update.run(...factValues(factsOfStoredJson(String(row.form_json)), String(row.visit_date), (b) => +b), row.id);
        if (rows.length < BACKFILL_PAGE) return;
        after = String(rows[rows.length - 1]!.id);
      }
    }
  }
}
