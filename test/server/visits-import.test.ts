// The visits import through the API, on SQLite and PostgreSQL: the same visits saved as a GB18030
// CSV with Chinese headers (what Excel and WPS save on Chinese Windows), as a UTF-8 CSV with English
// headers and as an .xlsx land as the same visits; every bad row names its row and column; hostile
// files get a 4xx that says what they are; the templates download and import.
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, XLSX_MEDIA_TYPE as XLSX_TYPE, type DispatchedVisit } from '../../src/domain/api';
import { normalizeDate } from '../../src/server/visits/visit-import';
import { TEMPLATE_HEADERS } from '../../src/server/visits/visit-template';
import { openHarness, type Harness } from './api-harness';
import { postgresFactory, sqliteFactory, type StorageFactory } from './helpers';
import { startPgCluster, type PgCluster } from './pg-cluster';
import { gb18030 } from './sheets/gb18030';
import { workbookEntries, zipOf } from './sheets/zip-builder';

const VISITS: DispatchedVisit[] = [
  {
    id: 'V-1', technicianId: 'tech-1', scheduledDate: '2026-03-12', firstVisit: true,
    customer: { name: '某市环卫处', phone: '0571-8888 0001', address: '某区, 环卫路 1 号' },
    equipment: { type: '洗扫车', model: 'XS-5000', serial: 'SN-0001' }, notes: '说 "主刷不转"\n第二行',
  },
  {
    id: 'V-2', technicianId: 'tech-1', scheduledDate: '2026-03-09', firstVisit: false,
    customer: { name: '=HYPERLINK("x")', phone: '13800000000', address: '' },
    equipment: { type: '扫路车', model: '', serial: '20260001' }, notes: '',
  },
  {
    id: 'V-3', technicianId: 'tech-2', scheduledDate: '2026-12-01', firstVisit: false,
    customer: { name: '李先生', phone: '', address: '环卫路 3 号' },
    equipment: { type: '垃圾车', model: 'LJ-9', serial: '' }, notes: '下午来',
  },
];

const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;

/** English ids, UTF-8 with a BOM, dates as YYYY-MM-DD, yes/no. */
function englishCsv(): Uint8Array {
  const lines = [
    'id,technicianId,scheduledDate,firstVisit,customerName,customerPhone,customerAddress,equipmentType,equipmentModel,equipmentSerial,notes',
    ...VISITS.map((v) => [v.id, v.technicianId, v.scheduledDate, v.firstVisit ? 'yes' : 'no', v.customer.name, v.customer.phone,
      v.customer.address, v.equipment.type, v.equipment.model, v.equipment.serial, v.notes].map(quote).join(',')),
  ];
  return new TextEncoder().encode(`\uFEFF${lines.join('\r\n')}\r\n`);
}

/** Chinese headers (some of them the other names clerks use), GB18030, dates as Chinese Excel writes them, 是/否, columns reordered. */
function chineseCsv(): Uint8Array {
  const slash = (date: string) => date.split('-').map(Number).join('/');
  const lines = [
    '派单编号,客户名称,上门日期,技师编号,首次上门,联系电话,用户地址,设备类型,设备型号,设备编号,备注',
    ...VISITS.map((v) => [v.id, quote(v.customer.name), slash(v.scheduledDate), v.technicianId, v.firstVisit ? '是' : '否', v.customer.phone,
      quote(v.customer.address), v.equipment.type, v.equipment.model, v.equipment.serial, quote(v.notes)].join(',')),
  ];
  return gb18030(`${lines.join('\r\n')}\r\n`);
}

/** The template's headers, with each value stored as Excel would: dates as dates, numbers as numbers, TRUE/FALSE, rich text, a formula. */
async function visitsXlsx(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('派单');
  sheet.addRow([...TEMPLATE_HEADERS]);
  for (const v of VISITS) {
    const [y, m, d] = v.scheduledDate.split('-').map(Number) as [number, number, number];
    const numeric = (text: string) => (/^[1-9]\d*$/.test(text) ? Number(text) : text);
    const row = sheet.addRow([
      v.id, v.technicianId, new Date(Date.UTC(y, m - 1, d)), v.firstVisit,
      v.id === 'V-3' ? { richText: [{ text: '李' }, { text: '先生', font: { bold: true } }] } : v.customer.name,
      numeric(v.customer.phone), v.customer.address, v.equipment.type,
      v.equipment.model === '' ? '' : { formula: `"${v.equipment.model}"`, result: v.equipment.model },
      numeric(v.equipment.serial), v.notes,
    ]);
    row.getCell(3).numFmt = 'yyyy-mm-dd';
  }
  sheet.addRow([]);
  workbook.addWorksheet('说明').addRow(['this sheet is not read', 'tech-1', '2026-03-12']);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function describeVisitsImport(name: string, factory: () => StorageFactory): void {
  describe(`visits import on ${name}`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await openHarness(factory());
      await h.enroll('tech-1', '张师傅');
      await h.enroll('tech-2', '李师傅');
    });
    afterEach(async () => {
      await h?.close();
    });

    const send = (bytes: Uint8Array, type: string, query = '') =>
      h.call('POST', `${API.admin.visitsImport}${query}`, { body: new Uint8Array(bytes), headers: { 'content-type': type } });
    const stored = async () => ((await h.call('GET', API.admin.visits)).body.visits as DispatchedVisit[]).sort((a, b) => a.id.localeCompare(b.id));

    it.each([
      ['a UTF-8 CSV with English headers', englishCsv, 'text/csv; charset=utf-8'],
      ['a GB18030 CSV with Chinese headers', chineseCsv, 'text/csv'],
      ['the same CSV, as Windows labels a .csv', chineseCsv, 'application/vnd.ms-excel'],
      ['an .xlsx with the template\'s headers', visitsXlsx, XLSX_TYPE],
    ])('%s lands as the same visits', async (_what, make, type) => {
      const res = await send(await make(), type);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ created: 3, errors: [] });
      expect(await stored()).toEqual(VISITS);
    });

    it('takes the file by its name when it is sent as application/octet-stream', async () => {
      expect((await send(await visitsXlsx(), 'application/octet-stream', '?name=%E6%B4%BE%E5%8D%95.xlsx')).body.created).toBe(3);
      const unnamed = await send(englishCsv(), 'application/octet-stream');
      expect(unnamed.status).toBe(415);
      expect(unnamed.body.error.message).toMatch(/Content-Type: text\/csv.*\?name=FILE\.xlsx/);
      expect((await send(englishCsv(), 'text/csv', '?file=x.csv')).status).toBe(400);
      // taken as a sheet (its visits landed already, from the .xlsx)
      expect((await send(englishCsv(), 'text/plain')).body.errors.map((e: { message: string }) => e.message)).toEqual(VISITS.map((v) => `a visit with id "${v.id}" already exists`));
      expect((await send(englishCsv(), 'application/json')).status).toBe(415);
    });

    it('names the row and the column (by the header the file gives it) of every bad row, in CSV and in .xlsx', async () => {
      const csv = gb18030([
        '派单编号,技师编号,上门日期,首次上门,客户名称,设备类型',
        'V-10,tech-1,2026/3/12,是,某市环卫处,洗扫车',
        'V-11,tech-1,2026/2/30,否,客户,洗扫车',
        '',
        'V-12,ghost,2026-03-12,否,客户,洗扫车',
        'V-13,tech-1,2026-03-12,也许,客户,洗扫车',
        'V-14,tech-1,2026-03-12,否,,洗扫车',
        'V-15,tech-1',
        'V-10,tech-1,2026-03-13,否,重复,洗扫车',
      ].join('\r\n'));
      const fromCsv = await send(csv, 'text/csv');
      expect(fromCsv.body.created).toBe(1);
      expect(fromCsv.body.errors).toEqual([
        { row: 3, column: '上门日期', message: expect.stringMatching(/expected a date YYYY-MM-DD/) },
        { row: 5, column: '技师编号', message: 'no technician "ghost"' },
        { row: 6, column: '首次上门', message: 'expected true or false (or 1/0, yes/no, 是/否), got "也许"' },
        { row: 7, column: '客户名称', message: expect.stringMatching(/^expected/) },
        { row: 8, column: '(row)', message: 'expected 6 fields, found 2' },
        { row: 9, column: '派单编号', message: 'a visit with id "V-10" already exists' },
      ]);

      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('visits');
      sheet.addRow(['id', 'technicianId', 'scheduledDate', 'firstVisit', 'customerName', 'equipmentType']);
      sheet.addRow(['V-20', 'tech-1', '2026-03-12', 'no', '客户', '洗扫车']);
      sheet.getRow(4).values = ['V-21', 'tech-1', '2026-03-12', 'no', { error: '#N/A' }, '洗扫车'];
      sheet.getRow(5).values = ['V-22', 'tech-1', 46093, 'no', '客户', '洗扫车'];
      sheet.getRow(6).values = ['V-23', 'tech-1', '2026-03-12', 'no', { formula: 'A1&B1' }, '洗扫车'];
      sheet.getRow(7).values = ['V-24', 'tech-1', '2026-03-12', 'no', '客户', '洗扫车', '', 'stray'];
      const fromXlsx = await send(new Uint8Array(await workbook.xlsx.writeBuffer()), XLSX_TYPE);
      expect(fromXlsx.body.created).toBe(1);
      expect(fromXlsx.body.errors).toEqual([
        { row: 4, column: 'customerName', message: 'the cell holds the error #N/A' },
        { row: 5, column: 'scheduledDate', message: expect.stringMatching(/expected a date YYYY-MM-DD/) },
        { row: 6, column: 'customerName', message: expect.stringMatching(/a formula without a saved result/) },
        { row: 7, column: '(row)', message: 'cell H7 holds a value, right of the last named column' },
      ]);
      expect((await stored()).map((v) => v.id)).toEqual(['V-10', 'V-20']);
    });

    it('refuses a header it cannot read, naming the columns in both languages', async () => {
      const res = await send(gb18030('派单编号,技师,上门日期\r\nV-1,tech-1,2026-03-12\r\n'), 'text/csv');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^the header row must name the columns technicianId \(技师编号\), .*\(row 1: missing technicianId \(技师编号\), firstVisit \(首次上门\), customerName \(用户名称\), equipmentType \(设备类型\); unknown "技师"\)$/);
      const twice = await send(new TextEncoder().encode('id,派单编号,technicianId,scheduledDate,firstVisit,customerName,equipmentType\n'), 'text/csv');
      expect(twice.body.error.message).toMatch(/repeated id\)$/);
      const unnamed = await send(new TextEncoder().encode('technicianId,scheduledDate,,firstVisit,customerName,equipmentType\n'), 'text/csv');
      expect(unnamed.body.error.message).toMatch(/unknown "" \(column C has no name\)\)$/);
    });

    it.each([
      ['an empty file', async () => new Uint8Array(0), 400, /the file is empty/],
      ['a truncated .xlsx', async () => (await visitsXlsx()).subarray(0, 3000), 400, /the \.xlsx file is damaged or cut short .*save it again/],
      ['an .xlsx whose sheet unpacks to 40 MiB', async () => zipOf(workbookEntries(`<row r="1"><c r="A1" t="inlineStr"><is><t>${' '.repeat(40 * 1024 * 1024)}</t></is></c></row>`)), 413, /unpacks to more than 32 MiB/],
      ['an .xlsx whose directory understates its sheet', async () => {
        const entries = workbookEntries(`<row r="1"><c r="A1" t="inlineStr"><is><t>${' '.repeat(8 * 1024 * 1024)}</t></is></c></row>`);
        entries[4]!.declaredSize = 1024;
        return zipOf(entries);
      }, 400, /damaged or cut short \(too many bytes/],
      ['an .xlsx of 300,000 empty cells', async () => zipOf(workbookEntries(`<row r="1">${'<c r="A1"/>'.repeat(300_000)}</row>`)), 413, /more than 200,000 cells/],
      ['a .xls (Excel 97) file', async () => new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Uint8Array(504)]), 415, /this looks like a \.xls \(Excel 97–2003\) file.*save it as \.xlsx or CSV/],
      ['a binary file', async () => new Uint8Array(Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) % 256)), 415, /this is a binary file/],
      ['a Word document', async () => zipOf([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: '<w/>' }]), 415, /a Word \(\.docx\) document/],
    ])('refuses %s with a 4xx that says what it is, and stores nothing', async (_what, make, status, message) => {
      for (const type of ['text/csv', XLSX_TYPE]) {
        const res = await send(await make(), type);
        expect(res.status, res.text).toBe(status);
        expect(res.body.error.message).toMatch(message);
      }
      expect(await stored()).toEqual([]);
      expect((await h.call('GET', API.admin.technicians)).status).toBe(200);
    });

    it('keeps the body limit: a file past it is refused before it is read', async () => {
      const res = await send(new Uint8Array(8 * 1024 * 1024 + 1), 'text/csv');
      expect(res.status).toBe(413);
    });

    it('offers the template as CSV (Chinese headers, a BOM) and as .xlsx, and a filled-in template imports', async () => {
      const csv = await h.app.request(API.admin.visitsTemplateCsv, { headers: h.admin.headers('GET') });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="visits-template.csv"; filename*=UTF-8''%E6%B4%BE%E5%8D%95%E6%A8%A1%E6%9D%BF.csv`);
      const csvBytes = new Uint8Array(await csv.arrayBuffer());
      expect([...csvBytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(new TextDecoder().decode(csvBytes)).toBe(`${TEMPLATE_HEADERS.map((h) => `"${h}"`).join(',')}\r\n`);
      const filledCsv = new Uint8Array([...csvBytes, ...new TextEncoder().encode('"",tech-1,2026-03-12,否,客户,,,洗扫车,,,\r\n')]);
      expect((await send(filledCsv, 'text/csv')).body).toEqual({ created: 1, errors: [] });

      const xlsx = await h.app.request(API.admin.visitsTemplateXlsx, { headers: h.admin.headers('GET') });
      expect(xlsx.headers.get('content-type')).toBe(XLSX_TYPE);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await xlsx.arrayBuffer());
      const sheet = workbook.worksheets[0]!;
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(TEMPLATE_HEADERS);
      expect(sheet.getColumn(6).numFmt).toBe('@');
      sheet.addRow(['', 'tech-2', new Date(Date.UTC(2026, 2, 13)), '是', '某市环卫处', '0571 8888', '', '洗扫车']);
      const filled = await send(new Uint8Array(await workbook.xlsx.writeBuffer()), XLSX_TYPE);
      expect(filled.body).toEqual({ created: 1, errors: [] });
      expect((await stored()).find((v) => v.technicianId === 'tech-2')).toMatchObject({ scheduledDate: '2026-03-13', firstVisit: true, customer: { phone: '0571 8888' } });
      expect((await h.call('GET', API.admin.visitsTemplateCsv, { token: null })).status).toBe(401);
    });
  });
}

describe('dates as clerks write them', () => {
  it.each([
    ['2026/3/12', '2026-03-12'], ['2026-3-2', '2026-03-02'], ['2026.03.12', '2026-03-12'], ['2026年3月12日', '2026-03-12'],
    ['2026 年 3 月 12 日', '2026-03-12'], ['2026-03-12', '2026-03-12'],
  ])('reads %s as %s', (written, iso) => {
    expect(normalizeDate(written)).toBe(iso);
  });

  it.each(['12/03/2026', '2026/13', '46093', '2026-03-12 08:00', ''])('leaves %j for the schema to refuse', (written) => {
    expect(normalizeDate(written)).toBe(written);
  });
});

describeVisitsImport('SQLite', () => sqliteFactory());

let cluster: PgCluster | undefined;
describe('PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startPgCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  const factory = postgresFactory(() => cluster!);
  describeVisitsImport('PostgreSQL', () => factory);
});
