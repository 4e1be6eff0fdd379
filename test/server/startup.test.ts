import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redeemEnrollmentCode } from '../../src/server/auth/enrollment';
import { configFromEnv, REPO_ROOT } from '../../src/server/config';
import { DEMO_TECHNICIAN, seedDemo } from '../../src/server/demo';
import { describeStorage } from '../../src/server/storage/open';
import { sqliteFactory } from './helpers';

describe('configuration', () => {
  it('defaults to port 8080 on this machine, SQLite under data/', () => {
    expect(configFromEnv({})).toEqual({
      port: 8080, host: '127.0.0.1', databaseUrl: undefined, sqlitePath: join(REPO_ROOT, 'data', 'onsite.sqlite'),
      distDir: join(REPO_ROOT, 'dist'), checklistsDir: join(REPO_ROOT, 'checklists'),
    });
    expect(configFromEnv({ PORT: '0', HOST: '0.0.0.0', DATABASE_URL: 'postgresql://u:pw@db:5432/onsite' })).toMatchObject({ port: 0, host: '0.0.0.0', databaseUrl: 'postgresql://u:pw@db:5432/onsite' });
    expect(configFromEnv({ CHECKLISTS_DIR: '/srv/onsite/checklists' }).checklistsDir).toBe('/srv/onsite/checklists');
    expect(() => configFromEnv({ PORT: 'eighty' })).toThrow('PORT must be a port number (0–65535), not "eighty"');
  });

  it('describes the storage without its password', () => {
    expect(describeStorage({ databaseUrl: 'postgresql://u:secret@db:5432/onsite', sqlitePath: 'x' })).toBe('PostgreSQL at db:5432/onsite');
    expect(describeStorage({ sqlitePath: '/data/onsite.sqlite' })).toBe('SQLite at /data/onsite.sqlite');
  });
});

describe('demo seed', () => {
  it('makes a demo technician, a working code and today\'s visits, and can run again', async () => {
    const storage = await sqliteFactory()();
    try {
      const now = new Date('2026-03-10T01:00:00.000Z');
      const first = await seedDemo(storage, now);
      expect(first.technician).toMatchObject({ id: DEMO_TECHNICIAN.id, name: DEMO_TECHNICIAN.name });
      expect(first.visits.map((v) => v.id)).toEqual(['DEMO-2026-03-10-1', 'DEMO-2026-03-10-2', 'DEMO-2026-03-10-3']);
      expect(first.admin?.name).toBe('demo-admin');
      expect(first.admin?.password).toMatch(/^[A-Za-z0-9_-]{12}$/);
      expect(await storage.countActiveAdmins()).toBe(1);
      const again = await seedDemo(storage, now);
      expect(again.visits).toEqual([]);
      expect(again.admin).toBeNull();
      expect(again.code).not.toBe(first.code);
      const enrolled = await redeemEnrollmentCode(storage, again.code, now);
      expect(enrolled.technician.id).toBe(DEMO_TECHNICIAN.id);
      expect(await storage.listVisits({ technicianId: DEMO_TECHNICIAN.id, openOnly: true })).toHaveLength(3);
    } finally {
      await storage.close();
    }
  });
});
