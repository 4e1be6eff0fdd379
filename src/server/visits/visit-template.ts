// The visits template a clerk downloads, fills in and imports: the Chinese headers the import reads,
// as CSV (UTF-8 with a BOM, so Excel opens it as Chinese) and as .xlsx (with each column typed, so a
// phone number keeps its leading 0 and a date is a date, and a second sheet saying what goes where).
import { VISIT_COLUMN_SPECS, VISIT_COLUMNS, type VisitColumn } from '../../domain/visit-columns';
import { csvLine } from '../csv/csv';
import { loadExcelJs } from '../sheets/exceljs';

export const TEMPLATE_HEADERS = VISIT_COLUMNS.map((column) => VISIT_COLUMN_SPECS[column].zh);

const EXPLANATIONS: Record<VisitColumn, string> = {
  id: '可留空，由系统生成',
  technicianId: '技师管理页上的技师编号',
  scheduledDate: '例如 2026-03-12',
  firstVisit: '是 或 否（首次上门时技师需自我介绍、递名片）',
  customerName: '用户的单位或姓名',
  customerPhone: '数字、空格、+ - ( )',
  customerAddress: '',
  equipmentType: '例如 洗扫车',
  equipmentModel: '',
  equipmentSerial: '设备铭牌上的编号',
  notes: '给技师的说明',
};

export function visitTemplateCsv(): string {
  return `\uFEFF${csvLine(TEMPLATE_HEADERS)}`;
}

export async function visitTemplateXlsx(): Promise<Uint8Array> {
  const workbook = new (await loadExcelJs()).Workbook();
  // fixed dates, so the same template is the same file
  workbook.created = workbook.modified = new Date(Date.UTC(2026, 0, 1));
  const sheet = workbook.addWorksheet('派单');
  sheet.columns = VISIT_COLUMNS.map((column) => ({
    header: VISIT_COLUMN_SPECS[column].zh,
    key: column,
    width: column === 'customerAddress' || column === 'notes' ? 30 : 14,
    // text columns stay text: Excel would drop a phone number's leading 0 and turn a long serial into 1.2E+11
    style: { numFmt: column === 'scheduledDate' ? 'yyyy-mm-dd' : '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];

  const help = workbook.addWorksheet('填写说明');
  help.columns = [{ header: '列', width: 14 }, { header: '必填', width: 8 }, { header: '说明', width: 50 }];
  for (const column of VISIT_COLUMNS) {
    help.addRow([VISIT_COLUMN_SPECS[column].zh, VISIT_COLUMN_SPECS[column].required ? '是' : '否', EXPLANATIONS[column]]);
  }
  help.addRow([]);
  help.addRow(['', '', '英文列名（id、technicianId …）同样可用；导入时读第一张工作表。']);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
