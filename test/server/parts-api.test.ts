// The parts catalog through the API: the back office imports it (a GB18030 CSV with Chinese headers, a
// UTF-8 one with English headers), saves and removes single parts, each change in the audit log with who
// made it; admin and customer service may change it, the dispatcher and the viewer only read it; the
// phone downloads it with its token. On SQLite and PostgreSQL.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API } from '../../src/domain/api';
import { openHarness, type Harness } from './api-harness';
import { postgresFactory, sqliteFactory, type StorageFactory } from './helpers';
import { startPgCluster, type PgCluster } from './pg-cluster';
import { gb18030 } from './sheets/gb18030';

const CHINESE = gb18030('零件编号,零件名称,单位\r\nXS-1002,主刷电机碳刷,个\r\nVP-0007,真空泵密封圈,个\r\n,没有编号,个\r\n');
const ENGLISH = new TextEncoder().encode('\uFEFFcode,name,unit\nXS-1002,主刷电机碳刷（加长）,个\nBR-0100,边刷,把\nVP-0007,真空泵密封圈,个\n');

function describePartsApi(name: string, factory: () => StorageFactory): void {
  describe(`the parts catalog API on ${name}`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await openHarness(factory());
    });
    afterEach(async () => {
      await h.close();
    });
    const importCsv = (bytes: Uint8Array, as?: Awaited<ReturnType<Harness['signIn']>>) =>
      h.call('POST', API.admin.partsImport, { body: new Uint8Array(bytes), headers: { 'content-type': 'text/csv' }, ...(as ? { as } : {}) });
    const audit = async () => (await h.storage.listAudit({}, { before: null, limit: 100 })).entries
      .filter((e) => e.action.startsWith('part')).map((e) => ({ action: e.action, user: e.userName, target: e.target, details: e.details })).reverse();

    it('imports a catalog, adds and changes parts by code, lists every bad row with its row and column, and the phone downloads it', async () => {
      const first = await importCsv(CHINESE);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ created: 2, updated: 0, errors: [{ row: 4, column: '零件编号', message: 'expected a part code' }] });
      const second = await importCsv(ENGLISH);
      expect(second.body).toEqual({ created: 1, updated: 1, errors: [] });
      const catalog = [
        { code: 'BR-0100', name: '边刷', unit: '把' }, { code: 'VP-0007', name: '真空泵密封圈', unit: '个' }, { code: 'XS-1002', name: '主刷电机碳刷（加长）', unit: '个' },
      ];
      expect((await h.call('GET', API.admin.parts)).body).toEqual({ parts: catalog });

      const token = await h.enroll();
      expect((await h.call('GET', API.parts, { token })).body).toEqual({ parts: catalog });
      expect((await h.call('GET', API.parts, { token: null })).status).toBe(401);
      expect(await audit()).toEqual([
        { action: 'parts.imported', user: 'admin-user', target: 'csv', details: { created: 2, updated: 0, errors: 1 } },
        { action: 'parts.imported', user: 'admin-user', target: 'csv', details: { created: 1, updated: 1, errors: 0 } },
      ]);
    });

    it('saves and removes one part, each in the audit log; refuses a bad part naming the field, and an unknown code', async () => {
      const put = await h.call('PUT', `${API.admin.parts}/A-1`, { json: { name: ' 滤网 ', unit: '片' } });
      expect(put.status).toBe(201);
      expect(put.body).toEqual({ part: { code: 'A-1', name: '滤网', unit: '片' } });
      expect((await h.call('PUT', `${API.admin.parts}/A-1`, { json: { name: '滤网（细）', unit: '片' } })).status).toBe(200);
      const bad = await h.call('PUT', `${API.admin.parts}/A-2`, { json: { name: '', unit: '片', price: 3 } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.errors.map((e: { path: string }) => e.path).sort()).toEqual(['name', 'price']);
      expect((await h.call('PUT', `${API.admin.parts}/${encodeURIComponent(' A-3')}`, { json: { name: 'x', unit: '' } })).status).toBe(400);
      expect((await h.call('DELETE', `${API.admin.parts}/A-1`)).body).toEqual({ removed: 'A-1' });
      const missing = await h.call('DELETE', `${API.admin.parts}/A-1`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toContain('A-1');
      expect((await h.call('GET', API.admin.parts)).body).toEqual({ parts: [] });
      expect((await audit()).map((e) => [e.action, e.target, e.details])).toEqual([
        ['part.saved', 'A-1', { name: '滤网', unit: '片', created: true }],
        ['part.saved', 'A-1', { name: '滤网（细）', unit: '片', created: false }],
        ['part.removed', 'A-1', {}],
      ]);
    });

    it('lets customer service change the catalog; the dispatcher and the viewer only read it', async () => {
      const service = await h.signIn('customer-service');
      expect((await importCsv(CHINESE, service)).status).toBe(200);
      expect((await h.call('PUT', `${API.admin.parts}/A-1`, { as: service, json: { name: '滤网', unit: '片' } })).status).toBe(201);
      expect((await h.call('DELETE', `${API.admin.parts}/A-1`, { as: service })).status).toBe(200);
      for (const role of ['dispatcher', 'viewer'] as const) {
        const session = await h.signIn(role);
        const refused = await importCsv(CHINESE, session);
        expect(refused.status).toBe(403);
        expect(refused.body.error.message).toContain('admin or customer-service');
        expect((await h.call('PUT', `${API.admin.parts}/A-9`, { as: session, json: { name: '滤网', unit: '' } })).status).toBe(403);
        expect((await h.call('DELETE', `${API.admin.parts}/XS-1002`, { as: session })).status).toBe(403);
        expect((await h.call('GET', API.admin.parts, { as: session })).body.parts).toHaveLength(2);
      }
      expect((await audit()).map((e) => e.user)).toEqual(['customer-service-user', 'customer-service-user', 'customer-service-user']);
    });

    it('refuses a file that is not a sheet, and a header without the part code, saying what to send', async () => {
      const wrongType = await h.call('POST', API.admin.partsImport, { body: 'x', headers: { 'content-type': 'application/json' } });
      expect(wrongType.status).toBe(415);
      expect(wrongType.body.error.message).toContain('send the parts catalog as CSV');
      const noCode = await importCsv(new TextEncoder().encode('名称,单位\n滤网,片\n'));
      expect(noCode.status).toBe(400);
      expect(noCode.body.error.message).toContain('missing code (零件编号)');
    });
  });
}

describePartsApi('SQLite', () => sqliteFactory());

let cluster: PgCluster | undefined;
describe('PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startPgCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  const factory = postgresFactory(() => cluster!);
  describePartsApi('PostgreSQL', () => factory);
});
