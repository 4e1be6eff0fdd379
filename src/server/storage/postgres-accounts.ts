// The accounts part of the PostgreSQL adapter (see account-storage.ts). Each change and its audit
// entry are one transaction; counters are single UPDATE … RETURNING / INSERT … ON CONFLICT statements,
// so server processes sharing the database count together without a read-then-write race.
import type pg from 'pg';
import type { AccountStorage, NewAuditEntry } from './account-storage';
import { AUDIT_COLUMNS, auditFromRow, auditValues, auditWhere, SESSION_JOIN, sessionFromRow, userFromRow } from './account-rows';
import type { Row } from './rows';

const AUDIT_PAGE = 500;
type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;
type Transaction = <T>(work: (client: pg.PoolClient) => Promise<T>) => Promise<T>;

/** PostgreSQL text cannot hold U+0000, so no key containing one can exist. */
const impossibleKey = (key: string) => key.includes('\u0000');

export function postgresAccounts(pool: pg.Pool, transaction: Transaction): AccountStorage {
  const rows = async (db: Queryable, sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows as Row[];
  const one = async (db: Queryable, sql: string, params: unknown[] = []) => (await rows(db, sql, params))[0];
  const audit = (db: Queryable, entry: NewAuditEntry) =>
    db.query(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, auditValues(entry));
  const user = async (db: Queryable, id: string) => {
    if (impossibleKey(id)) return null;
    const row = await one(db, 'SELECT * FROM users WHERE id = $1', [id]);
    return row ? userFromRow(row) : null;
  };

  return {
    async countActiveAdmins() {
      return Number((await one(pool, "SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL"))!.n);
    },
    async createUser(u, entry) {
      return transaction(async (client) => {
        const row = await one(client, `INSERT INTO users (id, name, display_name, role, password_hash, created_at)
          VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING *`, [u.id, u.name, u.displayName, u.role, u.passwordHash, u.createdAt]);
        if (!row) return null;
        await audit(client, entry);
        return userFromRow(row);
      });
    },
    getUser: (id) => user(pool, id),
    async getUserCredentials(name) {
      if (impossibleKey(name)) return null;
      const row = await one(pool, 'SELECT * FROM users WHERE name = $1', [name]);
      return row ? { user: userFromRow(row), passwordHash: String(row.password_hash), failedSignIns: Number(row.failed_sign_ins) } : null;
    },
    async listUsers() {
      return (await rows(pool, 'SELECT * FROM users ORDER BY created_at, id')).map(userFromRow);
    },
    async updateUser(id, update, entries) {
      if (impossibleKey(id)) return null;
      return transaction(async (client) => {
        if (!(await one(client, 'SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [id]))) return null;
        if (update.role !== undefined) await client.query('UPDATE users SET role = $1 WHERE id = $2', [update.role, id]);
        if (update.disabledAt !== undefined) await client.query('UPDATE users SET disabled_at = $1 WHERE id = $2', [update.disabledAt, id]);
        if (update.passwordHash !== undefined) await client.query('UPDATE users SET password_hash = $1 WHERE id = $2', [update.passwordHash, id]);
        if (update.unlock) await client.query('UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1', [id]);
        if (update.disabledAt || update.passwordHash !== undefined) await client.query('DELETE FROM sessions WHERE user_id = $1', [id]);
        for (const entry of entries) await audit(client, entry);
        return user(client, id);
      });
    },
    async recordSignInFailure(userId, lock, entry) {
      return transaction(async (client) => {
        const row = await one(client, `UPDATE users SET
            failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $1 THEN 0 ELSE failed_sign_ins + 1 END,
            locked_until = CASE WHEN failed_sign_ins + 1 >= $1 THEN $2::timestamptz ELSE locked_until END
          WHERE id = $3 RETURNING failed_sign_ins, locked_until`, [lock.maxFailures, lock.lockedUntil, userId]);
        await audit(client, entry);
        return { failures: Number(row?.failed_sign_ins ?? 0), lockedUntil: row?.locked_until == null ? null : String(row.locked_until) };
      });
    },
    async createSession(s, entry) {
      await transaction(async (client) => {
        await client.query(`INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_used_at, expires_at)
          VALUES ($1, $2, $3, $4, $4, $5)`, [s.idHash, s.userId, s.csrfToken, s.createdAt, s.expiresAt]);
        await client.query('UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1', [s.userId]);
        await audit(client, entry);
      });
    },
    async getSession(idHash) {
      if (impossibleKey(idHash)) return null;
      const row = await one(pool, `${SESSION_JOIN} $1`, [idHash]);
      return row ? { session: sessionFromRow(row), user: userFromRow(row) } : null;
    },
    async touchSession(idHash, at) {
      if (impossibleKey(idHash)) return;
      await pool.query('UPDATE sessions SET last_used_at = $1 WHERE id_hash = $2', [at, idHash]);
    },
    async deleteSession(idHash, entry) {
      if (impossibleKey(idHash)) return false;
      return transaction(async (client) => {
        const deleted = (await client.query('DELETE FROM sessions WHERE id_hash = $1', [idHash])).rowCount === 1;
        if (deleted && entry) await audit(client, entry);
        return deleted;
      });
    },
    async hitRateLimit(key, windowMs, nowMs) {
      const cleanKey = key.replaceAll('\u0000', '\uFFFD');
      await pool.query('DELETE FROM rate_limits WHERE window_start_ms < $1', [nowMs - Math.max(windowMs, 24 * 60 * 60_000)]);
      const row = (await one(pool, `INSERT INTO rate_limits (key, window_start_ms, hits) VALUES ($1, $2, 1)
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN rate_limits.window_start_ms <= $3 THEN 1 ELSE rate_limits.hits + 1 END,
          window_start_ms = CASE WHEN rate_limits.window_start_ms <= $3 THEN excluded.window_start_ms ELSE rate_limits.window_start_ms END
        RETURNING hits, window_start_ms`, [cleanKey, nowMs, nowMs - windowMs]))!;
      return { hits: Number(row.hits), resetAtMs: Number(row.window_start_ms) + windowMs };
    },
    async appendAudit(entry) {
      await audit(pool, entry);
    },
    async listAudit(filter, page) {
      if (filter.userId !== undefined && impossibleKey(filter.userId)) return { entries: [], nextBefore: null };
      if (filter.action !== undefined && impossibleKey(filter.action)) return { entries: [], nextBefore: null };
      const { where, params } = auditWhere(filter, page.before, (n) => `$${n}`);
      const found = await rows(pool, `SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT $${params.length + 1}`, [...params, page.limit + 1]);
      const entries = found.slice(0, page.limit).map(auditFromRow);
      return { entries, nextBefore: found.length > page.limit ? entries[entries.length - 1]!.id : null };
    },
    async *iterateAudit(filter) {
      if (filter.userId !== undefined && impossibleKey(filter.userId)) return;
      if (filter.action !== undefined && impossibleKey(filter.action)) return;
      let after = 0;
      for (;;) {
        const { where, params } = auditWhere(filter, null, (n) => `$${n}`);
        const n = params.length;
        const page = await rows(pool, `SELECT * FROM audit_log ${where ? `${where} AND` : 'WHERE'} id > $${n + 1} ORDER BY id LIMIT $${n + 2}`,
          [...params, after, AUDIT_PAGE]);
        for (const row of page) yield auditFromRow(row);
        if (page.length < AUDIT_PAGE) return;
        after = Number(page[page.length - 1]!.id);
      }
    },
  };
}
