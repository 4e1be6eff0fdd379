// Exports, streamed: forms are read page by page from the database and written out as the client
// reads, so exporting 100,000 forms holds one page in memory, not 100,000 forms.
import type { DevicePublicKey } from '../../domain/device-signature';
import type { FormFilter } from '../../domain/api';
import type { SealedForm } from '../../domain/form-schema';
import { csvLine } from '../csv/csv';
import type { Storage, StoredForm } from '../storage/storage';

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
] as const;

function csvRow(stored: StoredForm): string {
  const s = stored.summary;
  const form = JSON.parse(stored.formJson) as SealedForm;
  return csvLine([
    s.id, s.visitId, s.visitDate, s.technicianId, s.technicianName, form.customer.name, form.customer.phone, form.customer.address,
    form.equipment.type, form.equipment.model, form.equipment.serial, form.customerAccount, form.faultFound, form.workDone,
    form.partsUsed.map((p) => `${p.name}×${p.quantity}`).join('; '),
    form.customerOpinion, s.satisfaction, form.signerName, s.dispute, s.conductBreach, s.disputeResolved, stored.disputeResolutionNote,
    s.state, `${form.checklist.id} v${form.checklist.version}`, s.sealedAt, s.receivedAt, s.clockDriftMs, form.seal.hash,
  ]);
}

/** UTF-8 with a BOM, so Excel opens the Chinese as Chinese; CRLF line ends; one row per form. */
export async function* csvExport(storage: Storage, filter: FormFilter): AsyncGenerator<string> {
  yield `\uFEFF${csvLine(CSV_COLUMNS)}`;
  for await (const stored of storage.iterateForms(filter, { withSignature: false })) yield csvRow(stored);
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
  for await (const stored of storage.iterateForms(filter, { withSignature: true })) {
    const s = stored.summary;
    const keyId = stored.deviceJson === null ? null : (JSON.parse(stored.deviceJson) as { keyId: string }).keyId;
    const server = {
      receivedAt: s.receivedAt, source: stored.source, technicianName: s.technicianName, state: s.state,
      clockDriftMs: s.clockDriftMs, disputeResolvedAt: stored.disputeResolvedAt, disputeResolutionNote: stored.disputeResolutionNote,
      deviceKey: keyId === null ? null : await keyOf(keyId),
    };
    // the stored form JSON goes out as it is: no parse and re-stringify of every form
    const signature = Buffer.from(stored.signature!).toString('base64');
    const device = stored.deviceJson === null ? '' : `,"device":${stored.deviceJson}`;
    yield `{"form":${stored.formJson},"signaturePng":"${signature}"${device},"server":${JSON.stringify(server)}}\n`;
  }
}
