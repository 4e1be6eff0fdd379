// The columns of a visits spreadsheet: each column's id (the English header), the Chinese header the
// template writes (the back office's own field names), and the other headers clerks' sheets use for it.
// Shared by the server's import and template and the back office's hint, so they cannot drift apart.

export const VISIT_COLUMNS = [
  'id', 'technicianId', 'scheduledDate', 'firstVisit', 'customerName', 'customerPhone', 'customerAddress',
  'equipmentType', 'equipmentModel', 'equipmentSerial', 'notes',
] as const;
export type VisitColumn = (typeof VISIT_COLUMNS)[number];

export interface VisitColumnSpec {
  /** the header the template writes: the back office's Chinese name for the field */
  zh: string;
  /** more headers read as this column (Chinese or English), besides its id and `zh` */
  aliases: readonly string[];
  /** a sheet without this column is refused; an absent optional column reads as empty cells */
  required: boolean;
}

export const VISIT_COLUMN_SPECS: Record<VisitColumn, VisitColumnSpec> = {
  id: { zh: '派单编号', aliases: ['派单号', '工单号', '工单编号'], required: false },
  technicianId: { zh: '技师编号', aliases: ['技师ID', '技师工号'], required: true },
  scheduledDate: { zh: '上门日期', aliases: ['预约日期', '预约上门日期'], required: true },
  firstVisit: { zh: '首次上门', aliases: ['是否首次上门'], required: true },
  customerName: { zh: '用户名称', aliases: ['客户名称', '客户姓名', '用户姓名', '客户'], required: true },
  customerPhone: { zh: '用户电话', aliases: ['客户电话', '联系电话', '电话'], required: false },
  customerAddress: { zh: '用户地址', aliases: ['客户地址', '地址', '上门地址'], required: false },
  equipmentType: { zh: '设备类型', aliases: [], required: true },
  equipmentModel: { zh: '设备型号', aliases: ['型号'], required: false },
  equipmentSerial: { zh: '设备编号', aliases: ['设备序列号', '出厂编号', '序列号'], required: false },
  notes: { zh: '备注', aliases: ['派单备注', '说明'], required: false },
};

/** A header as it is compared: NFKC (full-width letters and spaces become plain ones), no spaces, lower case. */
export function headerKey(header: string): string {
  return header.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

const COLUMN_OF_HEADER: ReadonlyMap<string, VisitColumn> = new Map(
  VISIT_COLUMNS.flatMap((column) => {
    const spec = VISIT_COLUMN_SPECS[column];
    return [column, spec.zh, ...spec.aliases].map((header) => [headerKey(header), column] as const);
  }),
);

/** The column a header names (in Chinese or English, any case, full-width or not), or null. */
export function visitColumnOfHeader(header: string): VisitColumn | null {
  return COLUMN_OF_HEADER.get(headerKey(header)) ?? null;
}
