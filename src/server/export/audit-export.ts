// The audit log as CSV (UTF-8 with a BOM, formula cells defused by csvLine) and NDJSON, streamed.
import type { AuditFilter } from '../../domain/accounts';
import { csvLine } from '../csv/csv';
import type { Storage } from '../storage/storage';

export const AUDIT_CSV_COLUMNS = ['id', 'at', 'userId', 'userName', 'address', 'action', 'target', 'details'] as const;

export async function* auditCsv(storage: Storage, filter: AuditFilter): AsyncGenerator<string> {
  yield `\uFEFF${csvLine(AUDIT_CSV_COLUMNS)}`;
  for await (const e of storage.iterateAudit(filter)) {
    yield csvLine([e.id, e.at, e.userId, e.userName, e.address, e.action, e.target, JSON.stringify(e.details)]);
  }
}

export async function* auditNdjson(storage: Storage, filter: AuditFilter): AsyncGenerator<string> {
  for await (const e of storage.iterateAudit(filter)) yield `${JSON.stringify(e)}\n`;
}
