// The accounts part of the SQLite adapter (see account-storage.ts). Each change and its audit entry
// are one transaction; SQLite has one writer, so a counter's read-modify-write is one statement anyway.
import type Database from 'better-sqlite3';
import type { AccountStorage, NewAuditEntry, UserUpdate } from './account-storage';
import { AUDIT_COLUMNS, auditFromRow, auditValues, auditWhere, SESSION_JOIN, sessionFromRow, userFromRow } from './account-rows';
import type { Row } from './rows';

const AUDIT_PAGE = 500;

export function sqliteAccounts(db: Database.Database): AccountStorage {
  // a session is read on every request: each statement is compiled once
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  const one = (sql: string, ...params: unknown[]) => prepared(sql).get(...params) as Row | undefined;
  const all = (sql: string, ...params: unknown[]) => prepared(sql).all(...params) as Row[];
  const run = (sql: string, ...params: unknown[]) => prepared(sql).run(...params);
  const audit = (entry: NewAuditEntry) => run(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, ...auditValues(entry));
  const user = (id: string) => {
    const row = one('SELECT * FROM users WHERE id = ?', id);
    return row ? userFromRow(row) : null;
  };

  const createUser = db.transaction((u: Parameters<AccountStorage['createUser']>[0], entry: NewAuditEntry) => {
    const inserted = run(`INSERT INTO users (id, name, display_name, role, password_hash, created_at)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, u.id, u.name, u.displayName, u.role, u.passwordHash, u.createdAt);
    if (inserted.changes !== 1) return null;
    audit(entry);
    return user(u.id);
  });

  const updateUser = db.transaction((id: string, update: UserUpdate, entries: readonly NewAuditEntry[]) => {
    if (!one('SELECT 1 FROM users WHERE id = ?', id)) return null;
    if (update.role !== undefined) run('UPDATE users SET role = ? WHERE id = ?', update.role, id);
    if (update.disabledAt !== undefined) run('UPDATE users SET disabled_at = ? WHERE id = ?', update.disabledAt, id);
    if (update.passwordHash !== undefined) run('UPDATE users SET password_hash = ? WHERE id = ?', update.passwordHash, id);
    if (update.unlock) run('UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = ?', id);
    if (update.disabledAt || update.passwordHash !== undefined) run('DELETE FROM sessions WHERE user_id = ?', id);
    for (const entry of entries) audit(entry);
    return user(id);
  });

  const recordFailure = db.transaction((userId: string, maxFailures: number, lockedUntil: string, entry: NewAuditEntry) => {
    const row = one(`UPDATE users SET
        failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= ? THEN 0 ELSE failed_sign_ins + 1 END,
        locked_until = CASE WHEN failed_sign_ins + 1 >= ? THEN ? ELSE locked_until END
      WHERE id = ? RETURNING failed_sign_ins, locked_until`, maxFailures, maxFailures, lockedUntil, userId);
    audit(entry);
    return { failures: Number(row?.failed_sign_ins ?? 0), lockedUntil: row?.locked_until == null ? null : String(row.locked_until) };
  });

  const createSession = db.transaction((s: Parameters<AccountStorage['createSession']>[0], entry: NewAuditEntry) => {
    run(`INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
      s.idHash, s.userId, s.csrfToken, s.createdAt, s.createdAt, s.expiresAt);
    run('UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = ?', s.userId);
    audit(entry);
  });

  const deleteSession = db.transaction((idHash: string, entry: NewAuditEntry | null) => {
    const deleted = run('DELETE FROM sessions WHERE id_hash = ?', idHash).changes === 1;
    if (deleted && entry) audit(entry);
    return deleted;
  });

  const hit = db.transaction((key: string, windowMs: number, nowMs: number) => {
    // windows that ended a day ago or more are of no use to anyone: the table stays small
    run('DELETE FROM rate_limits WHERE window_start_ms < ?', nowMs - Math.max(windowMs, 24 * 60 * 60_000));
    const row = one(`INSERT INTO rate_limits (key, window_start_ms, hits) VALUES (?, ?, 1)
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN rate_limits.window_start_ms <= ? THEN 1 ELSE rate_limits.hits + 1 END,
        window_start_ms = CASE WHEN rate_limits.window_start_ms <= ? THEN excluded.window_start_ms ELSE rate_limits.window_start_ms END
      RETURNING hits, window_start_ms`, key, nowMs, nowMs - windowMs, nowMs - windowMs)!;
    return { hits: Number(row.hits), resetAtMs: Number(row.window_start_ms) + windowMs };
  });

  return {
    async countActiveAdmins() {
      return Number(one("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL")!.n);
    },
    async createUser(u, entry) {
      return createUser.immediate(u, entry);
    },
    async getUser(id) {
      return user(id);
    },
    async getUserCredentials(name) {
      const row = one('SELECT * FROM users WHERE name = ?', name);
      return row ? { user: userFromRow(row), passwordHash: String(row.password_hash), failedSignIns: Number(row.failed_sign_ins) } : null;
    },
    async listUsers() {
      return all('SELECT * FROM users ORDER BY created_at, id').map(userFromRow);
    },
    async updateUser(id, update, entries) {
      return updateUser.immediate(id, update, entries);
    },
    async recordSignInFailure(userId, lock, entry) {
      return recordFailure.immediate(userId, lock.maxFailures, lock.lockedUntil, entry);
    },
    async createSession(s, entry) {
      createSession.immediate(s, entry);
    },
    async getSession(idHash) {
      const row = one(`${SESSION_JOIN} ?`, idHash);
      return row ? { session: sessionFromRow(row), user: userFromRow(row) } : null;
    },
    async touchSession(idHash, at) {
      run('UPDATE sessions SET last_used_at = ? WHERE id_hash = ?', at, idHash);
    },
    async deleteSession(idHash, entry) {
      return deleteSession.immediate(idHash, entry);
    },
    async hitRateLimit(key, windowMs, nowMs) {
      return hit.immediate(key, windowMs, nowMs);
    },
    async appendAudit(entry) {
      audit(entry);
    },
    async listAudit(filter, page) {
      const { where, params } = auditWhere(filter, page.before, () => '?');
      const rows = all(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT ?`, ...params, page.limit + 1);
      const entries = rows.slice(0, page.limit).map(auditFromRow);
      return { entries, nextBefore: rows.length > page.limit ? entries[entries.length - 1]!.id : null };
    },
    async *iterateAudit(filter) {
      let after = 0;
      for (;;) {
        const { where, params } = auditWhere(filter, null, () => '?');
        const rows = all(`SELECT * FROM audit_log ${where ? `${where} AND` : 'WHERE'} id > ? ORDER BY id LIMIT ?`, ...params, after, AUDIT_PAGE);
        for (const row of rows) yield auditFromRow(row);
        if (rows.length < AUDIT_PAGE) return;
        after = Number(rows[rows.length - 1]!.id);
      }
    },
  };
}
