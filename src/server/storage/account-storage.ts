// The accounts part of the storage interface: back-office users, their sessions, rate-limit windows
// and the append-only audit log. Everything here is shared by every server process on one database:
// nothing about who is signed in, locked out or rate-limited lives in a process's memory.
import type { AuditFilter, AuditRecord, Role, UserRecord } from '../../domain/accounts';

export interface NewUser {
  id: string;
  name: string;
  displayName: string;
  role: Role;
  /** `scrypt$N$r$p$keylen$salt$hash` (src/server/auth/passwords.ts) */
  passwordHash: string;
  createdAt: string;
}

export interface UserCredentials {
  user: UserRecord;
  passwordHash: string;
  failedSignIns: number;
}

/** A change to a user; disabling or a new password ends every session of that user in the same transaction. */
export interface UserUpdate {
  role?: Role;
  /** a time disables, null enables */
  disabledAt?: string | null;
  passwordHash?: string;
  /** clears a sign-in lock and the failure count */
  unlock?: boolean;
}

export interface NewSession {
  /** SHA-256 of the cookie's session id: the id itself is never stored */
  idHash: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  /** the absolute end, however active the session is */
  expiresAt: string;
}

export interface SessionRecord extends NewSession {
  lastUsedAt: string;
}

export interface NewAuditEntry {
  at: string;
  userId: string | null;
  userName: string;
  address: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditRecord[];
  /** pass as `before` for the next (older) page; null on the last page */
  nextBefore: number | null;
}

export interface SignInLock {
  /** failures in a row that lock the account */
  maxFailures: number;
  /** until when a lock made by this failure lasts */
  lockedUntil: string;
}

export interface AccountStorage {
  /** admins who are not disabled */
  countActiveAdmins(): Promise<number>;
  /** null when the name is taken; the audit entry is written in the same transaction */
  createUser(user: NewUser, audit: NewAuditEntry): Promise<UserRecord | null>;
  getUser(id: string): Promise<UserRecord | null>;
  /** by sign-in name (lower-case) */
  getUserCredentials(name: string): Promise<UserCredentials | null>;
  /** in creation order */
  listUsers(): Promise<UserRecord[]>;
  /** null when there is no such user; the audit entries are written in the same transaction */
  updateUser(id: string, update: UserUpdate, audit: readonly NewAuditEntry[]): Promise<UserRecord | null>;

  /**
   * Counts one failed sign-in; the `maxFailures`-th in a row locks the account until `lock.lockedUntil`
   * (and starts the count again). Answers the count and the lock after this failure.
   */
  recordSignInFailure(userId: string, lock: SignInLock, audit: NewAuditEntry): Promise<{ failures: number; lockedUntil: string | null }>;
  /** a successful sign-in: the session, the failure count back to 0 and the audit entry, in one transaction */
  createSession(session: NewSession, audit: NewAuditEntry): Promise<void>;
  getSession(idHash: string): Promise<{ session: SessionRecord; user: UserRecord } | null>;
  touchSession(idHash: string, at: string): Promise<void>;
  /** false when there was no such session; the audit entry (if any) lands with the delete */
  deleteSession(idHash: string, audit: NewAuditEntry | null): Promise<boolean>;

  /**
   * Counts a hit against `key` in a fixed window of `windowMs` that starts at the first hit; atomic,
   * so every process sharing the database counts together. Windows long past are dropped.
   */
  hitRateLimit(key: string, windowMs: number, nowMs: number): Promise<{ hits: number; resetAtMs: number }>;

  /** append-only: there is no update or delete, and the database refuses both */
  appendAudit(entry: NewAuditEntry): Promise<void>;
  /** newest first, `before` an entry id */
  listAudit(filter: AuditFilter, page: { before: number | null; limit: number }): Promise<AuditPage>;
  /** oldest first, fetched page by page */
  iterateAudit(filter: AuditFilter): AsyncIterable<AuditRecord>;
}
