// SQLite backup and restore, called in process: each refusal names the file and says what is wrong,
// and a refused restore leaves the database that was there as it was.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackupError } from '../../src/server/backup/backup-error';
import { KNOWN_TABLES, ONSITE_TABLES } from '../../src/server/backup/backup-file';
import { backupSqlite, restoreSqlite } from '../../src/server/backup/sqlite-backup';
import { ingestBatch } from '../../src/server/ingest';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import type { SubmittedForm } from '../../src/domain/form-schema';
import { makeForm, registry } from './helpers';
import { alterAnswer } from '../fixtures/visits';

describe('SQLite backup and restore', { timeout: 120_000 }, () => {
  let dir: string;
  let databasePath: string;
  let forms: SubmittedForm[];
  const at = (name: string) => join(dir, name);
  const now = () => new Date('2026-03-10T08:00:00.000Z');

  /** a database holding a technician, a visit and the given forms, closed again */
  async function databaseWith(path: string, submitted: SubmittedForm[]): Promise<void> {
    const storage = openSqliteStorage({ path });
    try {
      await storage.createTechnician({ id: 'tech-1', name: '张师傅', phone: '', createdAt: '2026-03-10T00:00:00.000Z' });
      await storage.createVisit({
        id: 'V-1', technicianId: 'tech-1', scheduledDate: '2026-03-10', firstVisit: false, notes: '',
        customer: { name: '某市环卫处', phone: '', address: '' }, equipment: { type: '洗扫车', model: '', serial: '' },
      }, '2026-03-10T00:00:00.000Z');
      const results = await ingestBatch({ storage, checklists: registry, now }, submitted, { kind: 'import' });
      expect(results.map((r) => r.status)).toEqual(submitted.map(() => 'accepted'));
    } finally {
      await storage.close();
    }
  }
  const refusal = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a refusal'); }, (error: unknown) => {
    expect(error).toBeInstanceOf(BackupError);
    return (error as Error).message;
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onsite-backup-files-'));
    databasePath = at('onsite.sqlite');
    forms = [await makeForm(), await makeForm({ seed: 2, dispute: '客户不同意收费' })];
    await databaseWith(databasePath, forms);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('knows every table the newest schema makes, and the first schema\'s are among them', () => {
    const db = new Database(databasePath, { readonly: true });
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>).map((t) => t.name);
      expect([...tables].sort()).toEqual([...KNOWN_TABLES].sort());
      expect(ONSITE_TABLES.filter((t) => !KNOWN_TABLES.includes(t))).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('backs up into one self-contained file, says what it holds, and restores it into a fresh database', async () => {
    const done = await backupSqlite({ databasePath, file: at('backup.sqlite') });
    expect(done.contents).toEqual({ forms: 2, visits: 1, technicians: 1, newestReceivedAt: now().toISOString() });
    expect(readdirSync(dir).filter((f) => f.startsWith('backup'))).toEqual(['backup.sqlite']);

    const restored = await restoreSqlite({ databasePath: at('fresh/onsite.sqlite'), file: at('backup.sqlite') });
    expect(restored).toEqual({ databasePath: at('fresh/onsite.sqlite'), contents: done.contents, keptAs: null });
    const storage = openSqliteStorage({ path: at('fresh/onsite.sqlite') });
    try {
      const got = await storage.getForm(forms[1]!.form.id);
      expect(got?.formJson).toBe(JSON.stringify(forms[1]!.form));
      expect((await storage.listDisputes({ status: 'open', limit: 10 })).map((d) => d.formId)).toEqual([forms[1]!.form.id]);
    } finally {
      await storage.close();
    }
    expect(readdirSync(at('fresh'))).toEqual(['onsite.sqlite']);
  });

  it('refuses to back up a database that is not there, into itself, over an existing file (unless --force), or into a missing folder', async () => {
    expect(await refusal(backupSqlite({ databasePath: at('none.sqlite'), file: at('b.sqlite') })))
      .toBe(`there is no database at ${at('none.sqlite')}: nothing to back up (is SQLITE_PATH set as for the server?)`);
    expect(await refusal(backupSqlite({ databasePath, file: databasePath }))).toBe(`${databasePath} is the server's database itself: write the backup to another file`);
    writeFileSync(at('old.sqlite'), 'yesterday');
    expect(await refusal(backupSqlite({ databasePath, file: at('old.sqlite') })))
      .toBe(`${at('old.sqlite')} already exists: choose a new file name, or pass --force to replace it`);
    expect(readFileSync(at('old.sqlite'), 'utf8')).toBe('yesterday');
    expect((await backupSqlite({ databasePath, file: at('old.sqlite'), force: true })).contents.forms).toBe(2);
    expect(await refusal(backupSqlite({ databasePath, file: at('no/such/folder/b.sqlite') })))
      .toBe(`cannot write in the folder ${at('no/such/folder')}: no such file or folder`);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('refuses a backup of a database whose form was altered, naming the form, and keeps no file', async () => {
    const db = new Database(databasePath);
    const altered = structuredClone(forms[0]!.form);
    alterAnswer(altered, 'work-done', '没修');
    db.prepare('UPDATE forms SET form_json = ? WHERE id = ?').run(JSON.stringify(altered), forms[0]!.form.id);
    db.close();
    expect(await refusal(backupSqlite({ databasePath, file: at('b.sqlite') })))
      .toBe(`1 of the 2 form(s) in ${at('b.sqlite')} do not check:\n  form ${forms[0]!.form.id}: its seal does not recompute`);
    expect(readdirSync(dir).filter((f) => f.startsWith('b.sqlite'))).toEqual([]);
  });

  describe('a restore refuses', () => {
    let target: string;
    beforeEach(() => {
      target = at('fresh/onsite.sqlite');
    });
    const restoring = (file: string, force = false) => refusal(restoreSqlite({ databasePath: target, file, force }));
    const afterwards = () => {
      expect(existsSync(target)).toBe(false);
      expect(existsSync(at('fresh')) ? readdirSync(at('fresh')) : []).toEqual([]);
    };

    it('a missing file, a folder, an empty file and a file that is no backup', async () => {
      expect(await restoring(at('nowhere.sqlite'))).toBe(`cannot read the backup ${at('nowhere.sqlite')}: no such file or folder`);
      mkdirSync(at('folder'));
      expect(await restoring(at('folder'))).toBe(`${at('folder')} is a folder, not a backup file`);
      writeFileSync(at('empty.sqlite'), '');
      expect(await restoring(at('empty.sqlite'))).toBe(`${at('empty.sqlite')} is empty: it is not a backup (was the copy cut short?)`);
      writeFileSync(at('notes.txt'), '客户电话 138…');
      expect(await restoring(at('notes.txt'))).toBe(`${at('notes.txt')} is not an Onsite backup: it is neither an SQLite database (npm run backup without DATABASE_URL) nor a PostgreSQL dump (pg_dump -Fc)`);
      writeFileSync(at('pg.dump'), Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(100)]));
      expect(await restoring(at('pg.dump'))).toBe(`${at('pg.dump')} is a PostgreSQL dump: restore it with DATABASE_URL set to the database to fill`);
      afterwards();
    });

    it('a backup cut short or damaged', async () => {
      await backupSqlite({ databasePath, file: at('backup.sqlite') });
      const full = readFileSync(at('backup.sqlite'));
      writeFileSync(at('cut.sqlite'), full.subarray(0, Math.floor(full.length / 2)));
      expect(await restoring(at('cut.sqlite'))).toBe(`cannot check ${at('cut.sqlite')}: it is damaged or cut short (SQLite says: database disk image is malformed); use another backup`);
      const damaged = Buffer.from(full);
      damaged.fill(0x55, 8192, 8192 + 3000);
      writeFileSync(at('damaged.sqlite'), damaged);
      expect(await restoring(at('damaged.sqlite'))).toBe(`cannot check ${at('damaged.sqlite')}: it is damaged or cut short (SQLite says: database disk image is malformed); use another backup`);
      // readable pages, but rows that break the schema's rules: SQLite's integrity check says which
      copyFileSync(at('backup.sqlite'), at('broken-rule.sqlite'));
      const db = new Database(at('broken-rule.sqlite'));
      db.pragma('ignore_check_constraints = ON');
      db.prepare("UPDATE forms SET source = 'phone'").run();
      db.close();
      expect(await restoring(at('broken-rule.sqlite'))).toBe(`${at('broken-rule.sqlite')} is damaged (SQLite's integrity check: CHECK constraint failed in forms; CHECK constraint failed in forms); it cannot be restored — use another backup`);
      afterwards();
    });

    it("another application's database, and one from a newer Onsite", async () => {
      const other = new Database(at('other.sqlite'));
      other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('hello')");
      other.close();
      expect(await restoring(at('other.sqlite'))).toBe(`${at('other.sqlite')} is not an Onsite backup: it has no schema_migrations, admin, technicians, enrollment_codes, visits, forms, form_conflicts table(s) (it has notes)`);

      await backupSqlite({ databasePath, file: at('newer.sqlite') });
      const newer = new Database(at('newer.sqlite'));
      newer.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', '2030-01-01')").run();
      newer.close();
      expect(await restoring(at('newer.sqlite'))).toMatch(/was made by a newer Onsite \(database schema 99; this one knows up to \d+\): update Onsite before restoring it$/);
      afterwards();
    });

    it('a backup with an altered form, naming it', async () => {
      await backupSqlite({ databasePath, file: at('backup.sqlite') });
      const db = new Database(at('backup.sqlite'));
      db.prepare('UPDATE forms SET signature_png = ? WHERE id = ?').run(Buffer.from('not the signature'), forms[1]!.form.id);
      db.close();
      expect(await restoring(at('backup.sqlite'))).toBe(`1 of the 2 form(s) in ${at('backup.sqlite')} do not check:\n  form ${forms[1]!.form.id}: its signature bytes are not the ones the form describes`);
      afterwards();
    });

    it('to replace a database that holds anything, unless --force; then it keeps the old one beside', async () => {
      await backupSqlite({ databasePath, file: at('backup.sqlite') });
      mkdirSync(at('fresh'));
      await databaseWith(target, [await makeForm({ seed: 3 })]);
      const before = readFileSync(target);
      expect(await restoring(at('backup.sqlite'))).toBe(`${target} already holds 1 technicians, 1 visits, 1 forms: restore into a fresh database (another SQLITE_PATH), or pass --force to replace it (it is kept beside, renamed)`);
      expect(readFileSync(target)).toEqual(before);

      const done = await restoreSqlite({ databasePath: target, file: at('backup.sqlite'), force: true, now });
      expect(done.keptAs).toBe(`${target}.before-restore-2026-03-10T08-00-00-000Z`);
      expect(readdirSync(at('fresh')).sort()).toEqual(['onsite.sqlite', 'onsite.sqlite.before-restore-2026-03-10T08-00-00-000Z']);
      const kept = openSqliteStorage({ path: done.keptAs! });
      const restored = openSqliteStorage({ path: target });
      try {
        expect((await kept.listForms({}, { after: null, limit: 10 })).forms).toHaveLength(1);
        expect((await restored.listForms({}, { after: null, limit: 10 })).forms.map((f) => f.id).sort()).toEqual(forms.map((f) => f.form.id).sort());
      } finally {
        await kept.close();
        await restored.close();
      }
    });

    it('a file at the database path that is not a database, unless --force', async () => {
      await backupSqlite({ databasePath, file: at('backup.sqlite') });
      mkdirSync(at('fresh'));
      writeFileSync(target, 'not a database');
      expect(await restoring(at('backup.sqlite'))).toBe(`${target} is a file that is not a sound Onsite database: move it away, or pass --force to replace it (it is kept beside, renamed)`);
      const done = await restoreSqlite({ databasePath: target, file: at('backup.sqlite'), force: true, now });
      expect(readFileSync(done.keptAs!, 'utf8')).toBe('not a database');
      expect(done.contents.forms).toBe(2);
    });

    it('a database a server has open, even with --force', async () => {
      await backupSqlite({ databasePath, file: at('backup.sqlite') });
      mkdirSync(at('fresh'));
      const running = openSqliteStorage({ path: target });
      try {
        expect(await restoring(at('backup.sqlite'), true)).toBe(`${target} is in use (a server is running on it?): stop the server, then restore`);
      } finally {
        await running.close();
      }
    });

    it('nothing into a fresh database a server has made (no technicians, visits or forms yet)', async () => {
      await backupSqlite({ databasePath, file: at('backup.sqlite') });
      mkdirSync(at('fresh'));
      const started = openSqliteStorage({ path: target });
      await started.setAdminTokenHash('f'.repeat(64), now().toISOString());
      await started.close();
      const done = await restoreSqlite({ databasePath: target, file: at('backup.sqlite'), now });
      expect(done.contents.forms).toBe(2);
      expect(done.keptAs).toBe(`${target}.before-restore-2026-03-10T08-00-00-000Z`);
    });
  });

  it('never changes the backup file it restores from', async () => {
    await backupSqlite({ databasePath, file: at('backup.sqlite') });
    const bytes = readFileSync(at('backup.sqlite'));
    chmodSync(at('backup.sqlite'), 0o444);
    await restoreSqlite({ databasePath: at('fresh/onsite.sqlite'), file: at('backup.sqlite') });
    expect(readFileSync(at('backup.sqlite'))).toEqual(bytes);
    expect(readdirSync(dir).filter((f) => f.startsWith('backup.sqlite'))).toEqual(['backup.sqlite']);
  });
});
