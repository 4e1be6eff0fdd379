// The device bundle: the sealed forms, with their signatures, saved to a file for the back office to
// import when the phone has no network at all. Every form is checked against the wire schema first,
// so the file holds only what the import will read.
import { BUNDLE_FORMAT, SubmittedFormSchema, type SubmittedForm } from '../domain/form-schema';
import { toFieldErrors, type FieldError } from '../domain/validation-issues';
import { bytesToBase64 } from '../domain/base64';
import type { OnsiteDatabase } from './db';
import { getDeviceId } from './settings';
import { devicePublicKeys } from './device-key';

export interface BundleExportOptions {
  /** 'unsent' (default): every sealed form not yet synced; 'all': every sealed form on the phone */
  include?: 'unsent' | 'all';
  now?: () => number;
  /** the bundle's device label; this phone's device id by default */
  device?: string;
}

export interface BundleExport {
  blob: Blob;
  fileName: string;
  formIds: string[];
  /** forms that could not go in the file, and why */
  skipped: Array<{ formId: string; errors: FieldError[] }>;
}

export async function exportBundle(db: OnsiteDatabase, options: BundleExportOptions = {}): Promise<BundleExport> {
  const at = (options.now ?? Date.now)();
  const device = (options.device ?? (await getDeviceId(db))).slice(0, 200);
  const parts: string[] = [];
  const formIds: string[] = [];
  const skipped: BundleExport['skipped'] = [];
  const keyIds = new Set<string>();

  const tx = db.transaction(['forms', 'signatures']);
  const signatures = tx.objectStore('signatures');
  for (let cursor = await tx.objectStore('forms').openCursor(); cursor; cursor = await cursor.continue()) {
    const stored = cursor.value;
    if (options.include !== 'all' && stored.status === 'synced') continue;
    const signature = await signatures.get(stored.formId);
    if (!signature) {
      skipped.push({ formId: stored.formId, errors: [{ path: 'signaturePng', message: 'the signature bytes are missing on this phone' }] });
      continue;
    }
    const submitted: SubmittedForm = { form: stored.form, signaturePng: bytesToBase64(signature.bytes), ...(stored.device ? { device: stored.device } : {}) };
    const parsed = SubmittedFormSchema.safeParse(submitted);
    if (!parsed.success) {
      skipped.push({ formId: stored.formId, errors: toFieldErrors(parsed.error.issues) });
      continue;
    }
    parts.push(JSON.stringify(submitted));
    formIds.push(stored.formId);
    if (stored.device) keyIds.add(stored.device.keyId);
  }
  await tx.done;

  // the public keys of the device signatures, so the file can be checked offline (npm run verify)
  const devices = await devicePublicKeys(db, keyIds);
  const head = JSON.stringify({ format: BUNDLE_FORMAT, formatVersion: 1, exportedAt: new Date(at).toISOString(), device, ...(devices.length > 0 ? { devices } : {}) });
  // the forms are written one part each, so the bundle is never one giant string
  const body = [head.slice(0, -1), ',"forms":[', ...parts.flatMap((p, i) => (i === 0 ? [p] : [',', p])), ']}'];
  return { blob: new Blob(body, { type: 'application/json' }), fileName: bundleFileName(device, at), formIds, skipped };
}

/** `onsite-bundle-<device>-<YYYYMMDDTHHMMSSZ>.json`, with the device label reduced to what every file system takes. */
export function bundleFileName(device: string, at: number): string {
  const label = device.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'device';
  const stamp = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  return `onsite-bundle-${label}-${stamp}.json`;
}
