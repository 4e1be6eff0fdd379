// `npm run verify -- FILE…`: checks exported bundles and NDJSON exports offline, with nothing but the
// file: each form's seal (recomputed over its JSON and signature bytes) and its device signature (with
// the public key the file carries: a bundle's `devices`, an NDJSON line's `server.deviceKey`). Prints
// per form what fails and why.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { base64ToBytes } from '../../domain/base64';
import { DevicePublicKeySchema, shortKeyId, verifyDeviceSignature, type DevicePublicKey } from '../../domain/device-signature';
import { SubmittedFormSchema, type SubmittedForm } from '../../domain/form-schema';
import { verifySeal } from '../../domain/seal';
import { toFieldErrors } from '../../domain/validation-issues';
import { bundleForms, ndjsonForms, readBundleHeader, SourceError, type ByteSource, type FormItem } from '../import/form-sources';

export interface VerifyIo {
  out(line: string): void;
  err(line: string): void;
}

export interface VerifyOptions {
  /** a form with no device signature fails (by default it is reported and passes: a phone from before device keys) */
  requireDeviceSignature?: boolean;
}

/** What one form's checks found: the problems (none: it verifies) and what was verified. */
export interface FormVerdict {
  id: string | null;
  problems: string[];
  notes: string[];
}

const isNdjson = (file: string) => /\.(ndjson|jsonl)$/i.test(file);

/** Checks one submission with the keys the file carries. */
export async function verifySubmission(input: unknown, keys: ReadonlyMap<string, DevicePublicKey>, options: VerifyOptions = {}): Promise<FormVerdict> {
  const parsed = SubmittedFormSchema.safeParse(input);
  if (!parsed.success) {
    return { id: readableId(input), problems: toFieldErrors(parsed.error.issues).slice(0, 10).map((e) => `not a form the server takes: ${e.path}: ${e.message}`), notes: [] };
  }
  // the checks read the form as it is in the file: the seal covers exactly what was signed
  const { form, signaturePng, device } = input as SubmittedForm;
  const problems: string[] = [];
  const notes: string[] = [];
  try {
    const seal = await verifySeal(form, base64ToBytes(signaturePng));
    if (!seal.ok && seal.reason === 'signature-bytes') problems.push('seal: the signature image is not the one the form describes (form.signature.sha256 and byteLength)');
    else if (!seal.ok) problems.push(`seal: the hash does not match the form: recomputed ${seal.actual}, sealed ${seal.expected} (changed after the customer signed)`);
    else notes.push('seal verified');
  } catch (error) {
    problems.push(`seal: the form cannot be checked: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (device === undefined) {
    if (options.requireDeviceSignature) problems.push('device: the form has no device signature');
    else notes.push('unsigned by device');
  } else {
    const key = keys.get(device.keyId);
    if (!key) problems.push(`device: the public key ${shortKeyId(device.keyId)} is not in the file`);
    else if (key.technicianId !== form.technician.id) {
      problems.push(`device: signed with technician "${key.technicianId}"'s key ${shortKeyId(key.keyId)}, but the form is technician "${form.technician.id}"'s`);
    } else {
      const check = await verifyDeviceSignature(key.publicKey, form.seal.hash, device);
      // a key revoked after the form was received does not unmake the signature; it is said, not failed
      const revoked = key.revokedAt ? `, key revoked at ${key.revokedAt}` : '';
      if (check.ok) notes.push(`device signature verified (key ${shortKeyId(key.keyId)}, technician ${key.technicianId}${revoked})`);
      else problems.push(`device: ${check.message}`);
    }
  }
  return { id: form.id, problems, notes };
}

/** Answers the exit code: 0 when every form of every file verifies, 1 otherwise (or when a file cannot be read). */
export async function verifyFiles(files: readonly string[], io: VerifyIo, options: VerifyOptions = {}): Promise<number> {
  let failed = 0;
  let verified = 0;
  let unreadable = 0;
  for (const file of files) {
    io.out(`${file}:`);
    try {
      await access(file);
    } catch {
      io.err('  cannot read the file');
      unreadable++;
      continue;
    }
    const source: ByteSource = () => createReadStream(file, { highWaterMark: 1024 * 1024 });
    const keys = new Map<string, DevicePublicKey>();
    try {
      if (!isNdjson(file)) for (const key of (await readBundleHeader(source)).devices) keys.set(key.keyId, key);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      io.err(`  not a readable file: ${error.message}`);
      for (const e of error.errors) io.err(`    ${e.path}: ${e.message}`);
      unreadable++;
      continue;
    }
    const items: AsyncIterable<FormItem> = isNdjson(file) ? ndjsonForms(source) : bundleForms(source);
    let fileFailed = 0;
    let fileVerified = 0;
    for await (const item of items) {
      const which = (id: string | null) => `form #${item.index + 1}${id ? ` (${id})` : ''}`;
      if ('error' in item) {
        io.err(`  FAIL ${which(null)}: ${item.error.message}`);
        fileFailed++;
        continue;
      }
      const lineKey = serverDeviceKey(item.server);
      const verdict = await verifySubmission(item.value, lineKey ? new Map([...keys, [lineKey.keyId, lineKey]]) : keys, options);
      if (verdict.problems.length === 0) {
        io.out(`  ok   ${which(verdict.id)}: ${verdict.notes.join(', ')}`);
        fileVerified++;
      } else {
        io.err(`  FAIL ${which(verdict.id)}:`);
        for (const problem of verdict.problems) io.err(`    ${problem}`);
        fileFailed++;
      }
    }
    io.out(`  ${fileVerified} verified, ${fileFailed} failed`);
    verified += fileVerified;
    failed += fileFailed;
  }
  if (files.length > 1) io.out(`total: ${verified} verified, ${failed} failed${unreadable ? `, ${unreadable} file(s) unreadable` : ''}`);
  return failed > 0 || unreadable > 0 ? 1 : 0;
}

/** An NDJSON line's `server.deviceKey`, when it is a well-formed public key. */
function serverDeviceKey(server: unknown): DevicePublicKey | null {
  if (typeof server !== 'object' || server === null) return null;
  const parsed = DevicePublicKeySchema.safeParse((server as { deviceKey?: unknown }).deviceKey);
  return parsed.success ? parsed.data : null;
}

function readableId(input: unknown): string | null {
  const id = (input as { form?: { id?: unknown } } | null)?.form?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : null;
}
