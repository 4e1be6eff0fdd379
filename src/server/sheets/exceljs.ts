// exceljs, loaded the first time a workbook is read or written: loading it takes seconds and some
// 30 MB, which a server that never sees an .xlsx should not pay at start.
import type ExcelJS from 'exceljs';

let loading: Promise<typeof ExcelJS> | null = null;

export function loadExcelJs(): Promise<typeof ExcelJS> {
  // a CommonJS module: its exports are the default export of the ES module
  loading ??= import('exceljs').then((module) => module.default);
  return loading;
}
