// Numbered schema migrations, one list per dialect. Each runs once, in its own transaction, and is
// recorded in schema_migrations. Never edit a released migration: add the next number.
import { countAllRollupsSql, createRollupsSql, POSTGRES_ROLLUP_DIALECT, SQLITE_ROLLUP_DIALECT, type RollupDialect } from './dashboard-rollups';
import { countAllSql, DAY_COUNT_COLUMNS } from './form-day-counts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** a data step run after the SQL, in the same transaction (see form-facts-columns.ts) */
  backfill?: 'form-facts';
}

// v2: the equipment history and the dashboard read columns filled at ingest; the rows stored before
// are filled from their form JSON by the backfill. New columns land after the form JSON and the
// signature, so the dashboard reads them from covering indexes, never from the wide rows; the time on
// site is indexed in its order within each week and each technician, so a percentile is a seek and a skip.
const FORM_FACTS_INDEXES = `
      CREATE INDEX forms_by_serial ON forms (equipment_serial, visit_date, id);
      CREATE INDEX forms_dashboard ON forms (visit_date, technician_id, satisfaction, dispute, conduct_breach,
        first_test_failed, on_site_ms, declined_cigarette, declined_food_drink, declined_gift);
      CREATE INDEX forms_dashboard_by_technician ON forms (technician_id, visit_date, satisfaction, dispute, conduct_breach,
        first_test_failed, on_site_ms, declined_cigarette, declined_food_drink, declined_gift);
      CREATE INDEX forms_on_site_by_week ON forms (visit_week, on_site_ms, visit_date, technician_id);
      CREATE INDEX forms_on_site_by_technician ON forms (technician_id, on_site_ms, visit_date);`;

// v4: a dispute resolved before the thread was kept keeps its resolution: its outcome becomes
// "other" (LEGACY_OUTCOME in src/domain/disputes.ts) and its thread starts with that resolution and
// its note, by nobody known (user_id NULL, user_name ''). Plain SQL, the same on both dialects.
const LEGACY_RESOLUTIONS = `
      UPDATE forms SET dispute_outcome = 'other' WHERE dispute_resolved_at IS NOT NULL;
      INSERT INTO dispute_events (form_id, at, user_id, user_name, kind, note, outcome)
        SELECT id, dispute_resolved_at, NULL, '', 'resolved', dispute_resolution_note, 'other'
        FROM forms WHERE dispute_resolved_at IS NOT NULL ORDER BY dispute_resolved_at, id;`;

// v5: a phone enrolled with a device key registers it; a later enrollment of the technician supersedes
// it (kept for the forms it signed), revoking the technician revokes it. forms.device_json is the
// submission's `device` envelope as received, NULL for a form with no device signature (and the same
// for a conflicting submission kept aside in form_conflicts).
// v6: the dashboard adds up counts kept per visit date and technician (form-day-counts.ts) instead of
// reading every form of the period; the two wide covering indexes it read before go. The time on site
// stays exact, from the forms: one technician's percentiles get an index of their own.
const dayCounts = (dialect: { date: string; yes: string; table: string }) => `
      CREATE TABLE form_day_counts (
        visit_date ${dialect.date} NOT NULL,
        technician_id TEXT NOT NULL,
        ${DAY_COUNT_COLUMNS.map((c) => `${c} INTEGER NOT NULL`).join(',\n        ')},
        PRIMARY KEY (visit_date, technician_id)
      )${dialect.table};
      CREATE INDEX form_day_counts_by_technician ON form_day_counts (technician_id, visit_date);
      DROP INDEX forms_dashboard;
      DROP INDEX forms_dashboard_by_technician;
      CREATE INDEX forms_on_site_by_technician_week ON forms (technician_id, visit_week, on_site_ms, visit_date);
      CREATE INDEX forms_on_site_by_technician_date ON forms (technician_id, visit_date, on_site_ms);
      ${countAllSql(dialect.yes)};`;
// v9: coarser summaries beside the day counts (dashboard-rollups.ts): per date, per month and
// technician, and the timed forms per bucket of time on site per week and per month and technician,
// so a year over every technician reads a few thousand rows; counted here for the forms stored before.
const rollups = (d: RollupDialect) => `${createRollupsSql(d)}${countAllRollupsSql(d)}`;
const ROLLUPS_NAME = 'dashboard summaries per date, month and bucket of time on site, kept as forms land';
const DAY_COUNTS_NAME = 'dashboard counts per visit date and technician, kept as forms land';

// Times are ISO-8601 UTC text in SQLite (they sort as they read) and timestamptz in PostgreSQL.
// sealed_at is the device's own statement and stays text in both.
export const SQLITE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE admin (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        token_hash TEXT NOT NULL,
        rotated_at TEXT NOT NULL
      );
      CREATE TABLE technicians (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT '',
        token_id TEXT UNIQUE,
        token_hash TEXT,
        created_at TEXT NOT NULL,
        enrolled_at TEXT,
        revoked_at TEXT
      );
      CREATE TABLE enrollment_codes (
        lookup TEXT PRIMARY KEY,
        code_hash TEXT NOT NULL,
        technician_id TEXT NOT NULL REFERENCES technicians(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        failed_attempts INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE visits (
        id TEXT PRIMARY KEY,
        technician_id TEXT NOT NULL REFERENCES technicians(id),
        scheduled_date TEXT NOT NULL,
        first_visit INTEGER NOT NULL,
        customer_name TEXT NOT NULL,
        customer_phone TEXT NOT NULL,
        customer_address TEXT NOT NULL,
        equipment_type TEXT NOT NULL,
        equipment_model TEXT NOT NULL,
        equipment_serial TEXT NOT NULL,
        notes TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX visits_by_technician ON visits (technician_id, scheduled_date, id);
      CREATE TABLE forms (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL,
        technician_id TEXT NOT NULL,
        visit_id TEXT NOT NULL,
        visit_date TEXT NOT NULL,
        sealed_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('api', 'import')),
        satisfaction INTEGER NOT NULL,
        dispute INTEGER NOT NULL,
        conduct_breach INTEGER NOT NULL,
        flagged INTEGER NOT NULL,
        dispute_resolved_at TEXT,
        dispute_resolution_note TEXT,
        has_conflict INTEGER NOT NULL DEFAULT 0,
        clock_drift_ms INTEGER,
        customer_name TEXT NOT NULL,
        equipment_type TEXT NOT NULL,
        form_json TEXT NOT NULL,
        signature_png BLOB NOT NULL
      );
      CREATE INDEX forms_by_date ON forms (visit_date, id);
      CREATE INDEX forms_by_technician ON forms (technician_id, visit_date, id);
      CREATE INDEX forms_by_satisfaction ON forms (satisfaction, visit_date, id);
      CREATE INDEX forms_by_visit ON forms (visit_id);
      CREATE INDEX forms_disputed ON forms (visit_date, id) WHERE dispute = 1;
      CREATE INDEX forms_flagged ON forms (visit_date, id) WHERE flagged = 1;
      CREATE INDEX forms_conflicted ON forms (visit_date, id) WHERE has_conflict = 1;
      CREATE TABLE form_conflicts (
        form_id TEXT NOT NULL REFERENCES forms(id),
        hash TEXT NOT NULL,
        received_at TEXT NOT NULL,
        technician_id TEXT NOT NULL,
        source TEXT NOT NULL,
        form_json TEXT NOT NULL,
        signature_png BLOB NOT NULL,
        PRIMARY KEY (form_id, hash)
      );
      CREATE INDEX form_conflicts_by_time ON form_conflicts (received_at);
    `,
  },
  {
    version: 2,
    name: 'form facts for the equipment history and the dashboard',
    backfill: 'form-facts',
    sql: `
      ALTER TABLE forms ADD COLUMN equipment_serial TEXT NOT NULL DEFAULT '';
      ALTER TABLE forms ADD COLUMN visit_week TEXT NOT NULL DEFAULT '';
      ALTER TABLE forms ADD COLUMN first_test_failed INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE forms ADD COLUMN on_site_ms INTEGER;
      ALTER TABLE forms ADD COLUMN declined_cigarette INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE forms ADD COLUMN declined_food_drink INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE forms ADD COLUMN declined_gift INTEGER NOT NULL DEFAULT 0;
      ${FORM_FACTS_INDEXES}
    `,
  },
  {
    version: 3,
    name: 'back-office users, sessions, rate limits and the audit log',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'dispatcher', 'customer-service', 'viewer')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        disabled_at TEXT,
        failed_sign_ins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT
      );
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_used_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX sessions_by_user ON sessions (user_id);
      CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY,
        window_start_ms INTEGER NOT NULL,
        hits INTEGER NOT NULL
      );
      CREATE INDEX rate_limits_by_window ON rate_limits (window_start_ms);
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        user_id TEXT,
        user_name TEXT NOT NULL,
        address TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        details TEXT NOT NULL
      );
      CREATE INDEX audit_by_time ON audit_log (at, id);
      CREATE INDEX audit_by_user ON audit_log (user_id, id);
      CREATE INDEX audit_by_action ON audit_log (action, id);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: no UPDATE'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: no DELETE'); END;
    `,
  },
  {
    version: 4,
    name: 'disputes worked to the end: assignee, outcome and an append-only thread',
    sql: `
      ALTER TABLE forms ADD COLUMN dispute_assignee_id TEXT REFERENCES users(id);
      ALTER TABLE forms ADD COLUMN dispute_outcome TEXT;
      CREATE INDEX forms_dispute_queue ON forms (received_at, id) WHERE flagged = 1;
      CREATE INDEX forms_dispute_by_assignee ON forms (dispute_assignee_id, received_at, id) WHERE flagged = 1;
      CREATE TABLE dispute_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        form_id TEXT NOT NULL REFERENCES forms(id),
        at TEXT NOT NULL,
        user_id TEXT,
        user_name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('assigned', 'noted', 'resolved', 'reopened')),
        note TEXT,
        outcome TEXT,
        assignee_id TEXT,
        assignee_name TEXT
      );
      CREATE INDEX dispute_events_by_form ON dispute_events (form_id, id);
      CREATE TRIGGER dispute_events_no_update BEFORE UPDATE ON dispute_events BEGIN SELECT RAISE(ABORT, 'a dispute thread is append-only: no UPDATE'); END;
      CREATE TRIGGER dispute_events_no_delete BEFORE DELETE ON dispute_events BEGIN SELECT RAISE(ABORT, 'a dispute thread is append-only: no DELETE'); END;
      ${LEGACY_RESOLUTIONS}
    `,
  },
  {
    version: 5,
    name: 'device keys: the public key each enrolled phone signs its seals with',
    sql: `
      CREATE TABLE device_keys (
        key_id TEXT PRIMARY KEY,
        technician_id TEXT NOT NULL REFERENCES technicians(id),
        public_key TEXT NOT NULL,
        enrolled_at TEXT NOT NULL,
        superseded_at TEXT,
        revoked_at TEXT
      );
      CREATE INDEX device_keys_by_technician ON device_keys (technician_id, enrolled_at);
      ALTER TABLE forms ADD COLUMN device_json TEXT;
      ALTER TABLE form_conflicts ADD COLUMN device_json TEXT;
    `,
  },
  { version: 6, name: DAY_COUNTS_NAME, sql: dayCounts({ date: 'TEXT', yes: '1', table: ' WITHOUT ROWID' }) },
  {
    version: 8,
    name: 'the parts catalog the phones download',
    sql: `
      CREATE TABLE parts (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        unit TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
      );
    `,
  },
  { version: 9, name: ROLLUPS_NAME, sql: rollups(SQLITE_ROLLUP_DIALECT) },
];

export const POSTGRES_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE admin (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        token_hash TEXT NOT NULL,
        rotated_at TIMESTAMPTZ NOT NULL
      );
      CREATE TABLE technicians (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT '',
        token_id TEXT UNIQUE,
        token_hash TEXT,
        created_at TIMESTAMPTZ NOT NULL,
        enrolled_at TIMESTAMPTZ,
        revoked_at TIMESTAMPTZ
      );
      CREATE TABLE enrollment_codes (
        lookup TEXT PRIMARY KEY,
        code_hash TEXT NOT NULL,
        technician_id TEXT NOT NULL REFERENCES technicians(id),
        created_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        used_at TIMESTAMPTZ,
        failed_attempts INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE visits (
        id TEXT PRIMARY KEY,
        technician_id TEXT NOT NULL REFERENCES technicians(id),
        scheduled_date DATE NOT NULL,
        first_visit BOOLEAN NOT NULL,
        customer_name TEXT NOT NULL,
        customer_phone TEXT NOT NULL,
        customer_address TEXT NOT NULL,
        equipment_type TEXT NOT NULL,
        equipment_model TEXT NOT NULL,
        equipment_serial TEXT NOT NULL,
        notes TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX visits_by_technician ON visits (technician_id, scheduled_date, id);
      CREATE TABLE forms (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL,
        technician_id TEXT NOT NULL,
        visit_id TEXT NOT NULL,
        visit_date DATE NOT NULL,
        sealed_at TEXT NOT NULL,
        received_at TIMESTAMPTZ NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('api', 'import')),
        satisfaction SMALLINT NOT NULL,
        dispute BOOLEAN NOT NULL,
        conduct_breach BOOLEAN NOT NULL,
        flagged BOOLEAN NOT NULL,
        dispute_resolved_at TIMESTAMPTZ,
        dispute_resolution_note TEXT,
        has_conflict BOOLEAN NOT NULL DEFAULT FALSE,
        clock_drift_ms BIGINT,
        customer_name TEXT NOT NULL,
        equipment_type TEXT NOT NULL,
        form_json TEXT NOT NULL,
        signature_png BYTEA NOT NULL
      );
      CREATE INDEX forms_by_date ON forms (visit_date, id);
      CREATE INDEX forms_by_technician ON forms (technician_id, visit_date, id);
      CREATE INDEX forms_by_satisfaction ON forms (satisfaction, visit_date, id);
      CREATE INDEX forms_by_visit ON forms (visit_id);
      CREATE INDEX forms_disputed ON forms (visit_date, id) WHERE dispute;
      CREATE INDEX forms_flagged ON forms (visit_date, id) WHERE flagged;
      CREATE INDEX forms_conflicted ON forms (visit_date, id) WHERE has_conflict;
      CREATE TABLE form_conflicts (
        form_id TEXT NOT NULL REFERENCES forms(id),
        hash TEXT NOT NULL,
        received_at TIMESTAMPTZ NOT NULL,
        technician_id TEXT NOT NULL,
        source TEXT NOT NULL,
        form_json TEXT NOT NULL,
        signature_png BYTEA NOT NULL,
        PRIMARY KEY (form_id, hash)
      );
      CREATE INDEX form_conflicts_by_time ON form_conflicts (received_at);
    `,
  },
  {
    version: 2,
    name: 'form facts for the equipment history and the dashboard',
    backfill: 'form-facts',
    sql: `
      ALTER TABLE forms ADD COLUMN equipment_serial TEXT NOT NULL DEFAULT '';
      ALTER TABLE forms ADD COLUMN visit_week TEXT NOT NULL DEFAULT '';
      ALTER TABLE forms ADD COLUMN first_test_failed BOOLEAN NOT NULL DEFAULT FALSE;
      ALTER TABLE forms ADD COLUMN on_site_ms BIGINT;
      ALTER TABLE forms ADD COLUMN declined_cigarette INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE forms ADD COLUMN declined_food_drink INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE forms ADD COLUMN declined_gift INTEGER NOT NULL DEFAULT 0;
      ${FORM_FACTS_INDEXES}
    `,
  },
  {
    version: 3,
    name: 'back-office users, sessions, rate limits and the audit log',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'dispatcher', 'customer-service', 'viewer')),
        password_hash TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        disabled_at TIMESTAMPTZ,
        failed_sign_ins INTEGER NOT NULL DEFAULT 0,
        locked_until TIMESTAMPTZ
      );
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        csrf_token TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        last_used_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX sessions_by_user ON sessions (user_id);
      CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY,
        window_start_ms BIGINT NOT NULL,
        hits INTEGER NOT NULL
      );
      CREATE INDEX rate_limits_by_window ON rate_limits (window_start_ms);
      CREATE TABLE audit_log (
        id BIGSERIAL PRIMARY KEY,
        at TIMESTAMPTZ NOT NULL,
        user_id TEXT,
        user_name TEXT NOT NULL,
        address TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        details TEXT NOT NULL
      );
      CREATE INDEX audit_by_time ON audit_log (at, id);
      CREATE INDEX audit_by_user ON audit_log (user_id, id);
      CREATE INDEX audit_by_action ON audit_log (action, id);
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only: no %', TG_OP; END
      $$;
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    `,
  },
  {
    version: 4,
    name: 'disputes worked to the end: assignee, outcome and an append-only thread',
    sql: `
      ALTER TABLE forms ADD COLUMN dispute_assignee_id TEXT REFERENCES users(id);
      ALTER TABLE forms ADD COLUMN dispute_outcome TEXT;
      CREATE INDEX forms_dispute_queue ON forms (received_at, id) WHERE flagged;
      CREATE INDEX forms_dispute_by_assignee ON forms (dispute_assignee_id, received_at, id) WHERE flagged;
      CREATE TABLE dispute_events (
        id BIGSERIAL PRIMARY KEY,
        form_id TEXT NOT NULL REFERENCES forms(id),
        at TIMESTAMPTZ NOT NULL,
        user_id TEXT,
        user_name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('assigned', 'noted', 'resolved', 'reopened')),
        note TEXT,
        outcome TEXT,
        assignee_id TEXT,
        assignee_name TEXT
      );
      CREATE INDEX dispute_events_by_form ON dispute_events (form_id, id);
      CREATE FUNCTION dispute_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'a dispute thread is append-only: no %', TG_OP; END
      $$;
      CREATE TRIGGER dispute_events_no_change BEFORE UPDATE OR DELETE ON dispute_events
        FOR EACH ROW EXECUTE FUNCTION dispute_events_append_only();
      ${LEGACY_RESOLUTIONS}
    `,
  },
  {
    version: 5,
    name: 'device keys: the public key each enrolled phone signs its seals with',
    sql: `
      CREATE TABLE device_keys (
        key_id TEXT PRIMARY KEY,
        technician_id TEXT NOT NULL REFERENCES technicians(id),
        public_key TEXT NOT NULL,
        enrolled_at TIMESTAMPTZ NOT NULL,
        superseded_at TIMESTAMPTZ,
        revoked_at TIMESTAMPTZ
      );
      CREATE INDEX device_keys_by_technician ON device_keys (technician_id, enrolled_at);
      ALTER TABLE forms ADD COLUMN device_json TEXT;
      ALTER TABLE form_conflicts ADD COLUMN device_json TEXT;
    `,
  },
  { version: 6, name: DAY_COUNTS_NAME, sql: dayCounts({ date: 'DATE', yes: 'TRUE', table: '' }) },
  {
    version: 8,
    name: 'the parts catalog the phones download',
    sql: `
      CREATE TABLE parts (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        unit TEXT NOT NULL DEFAULT '',
        updated_at TIMESTAMPTZ NOT NULL
      );
    `,
  },
  { version: 9, name: ROLLUPS_NAME, sql: rollups(POSTGRES_ROLLUP_DIALECT) },
];
