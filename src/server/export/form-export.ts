// Exports, streamed: forms are read page by page from the database and written out as the client
// reads, so exporting 100,000 forms holds one page in memory, not 100,000 forms.
import type { FormFilter } from '../../domain/api';
import type { SealedForm } from '../../domain/form-schema';
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

function csvRow(stored: StoredForm): string {
  const s = stored.summary;
  const form = JSON.parse(stored.formJson) as SealedForm;
  return csvLine([
    s.id, s.visitId, s.visitDate, s.technicianId, s.technicianName, form.customer.name, form.customer.phone, form.customer.address,
    form.equipment.type, form.equipment.model, form.equipment.serial, form.customerAccount, form.faultFound, form.workDone,
    form.partsUsed.map((p) => `${p.name}×${p.quantity}`).join('; '),
    form.customerOpinion, s.satisfaction, form.signerName, s.dispute, s.conductBreach, s.disputeResolved, stored.disputeResolutionNote,
    s.state, `${form.checklist.id} v${form.checklist.version}`, s.sealedAt, s.receivedAt, s.clockDriftMs, form.seal.hash,
    ...disputeCells(disputeOf(stored)),
  ]);
}

/** UTF-8 with a BOM, so Excel opens the Chinese as Chinese; CRLF line ends; one row per form. */
export async function* csvExport(storage: Storage, filter: FormFilter): AsyncGenerator<string> {
  yield `\uFEFF${csvLine(CSV_COLUMNS)}`;
  for await (const stored of storage.iterateForms(filter, { withSignature: false, withDisputes: true })) yield csvRow(stored);
}

/**
 * One JSON object a line: the submission as the phone sent it ({form, signaturePng}) plus `server`,
 * what this server knows of it. Importing the file again lands every form as a duplicate.
 */
export async function* ndjsonExport(storage: Storage, filter: FormFilter): AsyncGenerator<string> {
  for await (const stored of storage.iterateForms(filter, { withSignature: true, withDisputes: true })) {
    const s = stored.summary;
    const server = {
      receivedAt: s.receivedAt, source: stored.source, technicianName: s.technicianName, state: s.state,
      clockDriftMs: s.clockDriftMs, disputeResolvedAt: stored.disputeResolvedAt, disputeResolutionNote: stored.disputeResolutionNote,
      // added later (dispute-columns.ts): where the dispute stands
      dispute: disputeOf(stored),
    };
    // the stored form JSON goes out as it is: no parse and re-stringify of every form
    const signature = Buffer.from(stored.signature!).toString('base64');
    yield `{"form":${stored.formJson},"signaturePng":"${signature}","server":${JSON.stringify(server)}}\n`;
  }
}
