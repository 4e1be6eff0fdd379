// Exports, streamed: forms are read page by page from the database and written out as the client
// reads, so exporting 100,000 forms holds one page in memory, not 100,000 forms.
import type { DevicePublicKey } from '../../domain/device-signature';
import type { FormFilter } from '../../domain/api';
import type { Role, ValueSpec, ValueType } from '../../domain/checklist';
import type { ChecklistRegistry } from '../../domain/checklist-registry';
import { fieldItems, fieldSpec } from '../../domain/field-spec';
import type { SealedForm } from '../../domain/form-schema';
import { answerCell, answerRows } from '../../domain/form-view';
import { csvLine } from '../csv/csv';
import type { FormDisputeState, Storage, StoredForm } from '../storage/storage';
import { DISPUTE_CSV_COLUMNS, disputeCells } from './dispute-columns';

/** Turns an async stream of text into a byte stream that pulls only when the reader wants more. */
export function textStream(lines: AsyncIterable<string>, chunkBytes = 64 * 1024): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = lines[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = '';
      while (text.length < chunkBytes) {
        const next = await iterator.next();
        if (next.done) {
          if (text) controller.enqueue(encoder.encode(text));
          controller.close();
          return;
        }
        text += next.value;
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

export const CSV_COLUMNS = [
  'id', 'visitId', 'visitDate', 'technicianId', 'technicianName', 'customerName', 'customerPhone', 'customerAddress',
  'equipmentType', 'equipmentModel', 'equipmentSerial', 'customerAccount', 'faultFound', 'workDone', 'partsUsed',
  'customerOpinion', 'satisfaction', 'signerName', 'dispute', 'conductBreach', 'disputeResolved', 'resolutionNote',
  'state', 'checklist', 'sealedAt', 'receivedAt', 'clockDriftMs', 'sealHash',
  // added later, at the end (dispute-columns.ts): a reader of the first layout reads on unchanged
  ...DISPUTE_CSV_COLUMNS,
] as const;

function disputeOf(stored: StoredForm): FormDisputeState {
  if (!stored.dispute) throw new Error('form export: the forms were read without their dispute state');
  return stored.dispute;
}

/** The columns the roles have had since the first export: a form of any version fills them from its role's item. */
const ROLE_COLUMNS: Partial<Record<Role, (typeof CSV_COLUMNS)[number]>> = {
  'customer-account': 'customerAccount', 'fault-found': 'faultFound', 'work-done': 'workDone', 'parts-used': 'partsUsed',
  'customer-opinion': 'customerOpinion', 'signer-name': 'signerName',
};
const SHOWN_ELSEWHERE: readonly ValueType[] = ['signature', 'conduct', 'attestation'];

/**
 * After the first export's columns (and the dispute columns added since), one per field item of any published version that has no column of
 * its own (a new field such as an hour-meter reading), named by its item id, in version order. A form
 * of a version without that item leaves it empty, so a v1 form exports with v1's columns.
 */
export function itemColumns(checklists: ChecklistRegistry): Array<{ id: string; spec: ValueSpec }> {
  const columns = new Map<string, ValueSpec>();
  for (const checklist of checklists.all()) {
    for (const item of fieldItems(checklist)) {
      const spec = fieldSpec(item);
      if ((spec.role && ROLE_COLUMNS[spec.role]) || spec.role === 'satisfaction' || SHOWN_ELSEWHERE.includes(spec.value.type)) continue;
      if (!columns.has(item.id)) columns.set(item.id, spec.value);
    }
  }
  return [...columns].map(([id, spec]) => ({ id, spec }));
}

function csvRow(stored: StoredForm, checklists: ChecklistRegistry, extra: ReturnType<typeof itemColumns>): string {
  const s = stored.summary;
  const form = JSON.parse(stored.formJson) as SealedForm;
  const checklist = checklists.get(form.checklist.id, form.checklist.version);
  const byColumn = new Map<string, string | number | boolean>();
  const byItem = new Map<string, string | number | boolean>();
  if (checklist) {
    for (const row of answerRows(form, checklist)) {
      const cell = answerCell(row.spec.value, row.value, 'zh-CN');
      const column = row.spec.role ? ROLE_COLUMNS[row.spec.role] : undefined;
      if (column) byColumn.set(column, cell);
      else byItem.set(row.item.id, cell);
    }
  }
  const named = (column: (typeof CSV_COLUMNS)[number]) => byColumn.get(column) ?? '';
  return csvLine([
    s.id, s.visitId, s.visitDate, s.technicianId, s.technicianName, form.customer.name, form.customer.phone, form.customer.address,
    form.equipment.type, form.equipment.model, form.equipment.serial, named('customerAccount'), named('faultFound'), named('workDone'),
    named('partsUsed'), named('customerOpinion'), s.satisfaction, named('signerName'), s.dispute, s.conductBreach, s.disputeResolved, stored.disputeResolutionNote,
    s.state, `${form.checklist.id} v${form.checklist.version}`, s.sealedAt, s.receivedAt, s.clockDriftMs, form.seal.hash,
    ...disputeCells(disputeOf(stored)),
    ...extra.map((column) => byItem.get(column.id) ?? ''),
  ]);
}

/** UTF-8 with a BOM, so Excel opens the Chinese as Chinese; CRLF line ends; one row per form. */
export async function* csvExport(storage: Storage, filter: FormFilter, checklists: ChecklistRegistry): AsyncGenerator<string> {
  const extra = itemColumns(checklists);
  yield `\uFEFF${csvLine([...CSV_COLUMNS, ...extra.map((column) => column.id)])}`;
  for await (const stored of storage.iterateForms(filter, { withSignature: false, withDisputes: true })) yield csvRow(stored, checklists, extra);
}

/**
 * One JSON object a line: the submission as the phone sent it ({form, signaturePng, device?}) plus
 * `server`, what this server knows of it — with `deviceKey`, the public key of the device signature
 * ({keyId, publicKey, technicianId, enrolledAt, revokedAt}), so the file can be checked offline
 * (npm run verify). Importing the file again lands every form as a duplicate.
 */
export async function* ndjsonExport(storage: Storage, filter: FormFilter): AsyncGenerator<string> {
  const keys = new Map<string, DevicePublicKey | null>();
  const keyOf = async (keyId: string) => {
    if (!keys.has(keyId)) {
      const key = await storage.getDeviceKey(keyId);
      keys.set(keyId, key && { keyId: key.keyId, publicKey: key.publicKey, technicianId: key.technicianId, enrolledAt: key.enrolledAt, revokedAt: key.revokedAt });
    }
    return keys.get(keyId) ?? null;
  };
  for await (const stored of storage.iterateForms(filter, { withSignature: true, withDisputes: true })) {
    const s = stored.summary;
    const keyId = stored.deviceJson === null ? null : (JSON.parse(stored.deviceJson) as { keyId: string }).keyId;
    const server = {
      receivedAt: s.receivedAt, source: stored.source, technicianName: s.technicianName, state: s.state,
      clockDriftMs: s.clockDriftMs, disputeResolvedAt: stored.disputeResolvedAt, disputeResolutionNote: stored.disputeResolutionNote,
      // added later (dispute-columns.ts): where the dispute stands
      dispute: disputeOf(stored),
      deviceKey: keyId === null ? null : await keyOf(keyId),
    };
    // the stored form JSON goes out as it is: no parse and re-stringify of every form
    const signature = Buffer.from(stored.signature!).toString('base64');
    const device = stored.deviceJson === null ? '' : `,"device":${stored.deviceJson}`;
    yield `{"form":${stored.formJson},"signaturePng":"${signature}"${device},"server":${JSON.stringify(server)}}\n`;
  }
}
