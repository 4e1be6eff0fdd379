// Numbered schema migrations, one list per dialect. Each runs once, in its own transaction, and is
// recorded in schema_migrations. Never edit a released migration: add the next number.
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
];
