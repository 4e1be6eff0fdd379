// `npm run verify -- FILE…`: an exported bundle or NDJSON export checked offline, with only the file.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API } from '../../src/domain/api';
import { shortKeyId } from '../../src/domain/device-signature';
import type { SubmittedForm } from '../../src/domain/form-schema';
import { REPO_ROOT } from '../../src/server/config';
import { verifyFiles } from '../../src/server/verify/verify-files';
import { openHarness, type Harness } from './api-harness';
import { bundleOf, makeDeviceKey, makeForm, PROCESS_TIMEOUT_MS, publicKeyOf, signedBy, sqliteFactory } from './helpers';
import { alterAnswer } from '../fixtures/visits';

const run = promisify(execFile);

describe('npm run verify', { timeout: PROCESS_TIMEOUT_MS }, () => {
  let dir: string;
  let out: string[];
  let err: string[];
  const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'onsite-verify-'));
    out = [];
    err = [];
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes a bundle whose every seal and device signature verify with the keys it carries, and says so per form', async () => {
    const key = await makeDeviceKey('tech-1');
    const signed = await signedBy(await makeForm(), key, { lat: 31.2, lon: 121.5, accuracyM: 8 });
    const unsigned = await makeForm({ seed: 2 });
    const path = file('phone.json', bundleOf([signed, unsigned], [publicKeyOf(key)]));
    expect(await verifyFiles([path], io)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([
      `${path}:`,
      `  ok   form #1 (${signed.form.id}): seal verified, device signature verified (key ${shortKeyId(key.keyId)}, technician tech-1)`,
      `  ok   form #2 (${unsigned.form.id}): seal verified, unsigned by device`,
      '  2 verified, 0 failed',
    ]);
    // unsigned forms fail when every form must be signed
    out = [];
    expect(await verifyFiles([path], io, { requireDeviceSignature: true })).toBe(1);
    expect(err).toEqual([`  FAIL form #2 (${unsigned.form.id}):`, '    device: the form has no device signature']);
  });

  it('fails each tampered form with why: the seal, the device signature, a key not in the file, another technician\'s key', async () => {
    const key = await makeDeviceKey('tech-1');
    const other = await makeDeviceKey('tech-2');
    const resealedElsewhere = await signedBy(await makeForm(), key);
    alterAnswer(resealedElsewhere.form, 'work-done', '没修');
    const flipped = await signedBy(await makeForm({ seed: 2 }), key);
    flipped.device = { ...flipped.device!, location: { lat: 0, lon: 0, accuracyM: 1 } };
    const keyMissing = await signedBy(await makeForm({ seed: 3 }), await makeDeviceKey('tech-1'));
    const othersKey = await signedBy(await makeForm({ seed: 4 }), other);
    const good = await signedBy(await makeForm({ seed: 5 }), key);
    const path = file('phone.json', bundleOf([resealedElsewhere, flipped, keyMissing, othersKey, good, 'junk'], [publicKeyOf(key), publicKeyOf(other)]));
    expect(await verifyFiles([path], io)).toBe(1);
    expect(err).toEqual([
      `  FAIL form #1 (${resealedElsewhere.form.id}):`,
      expect.stringMatching(/^ {4}seal: the hash does not match the form: recomputed [0-9a-f]{64}, sealed [0-9a-f]{64}/),
      `  FAIL form #2 (${flipped.form.id}):`,
      '    device: the device signature does not verify over the seal hash with the registered key',
      `  FAIL form #3 (${keyMissing.form.id}):`,
      `    device: the public key ${shortKeyId(keyMissing.device!.keyId)} is not in the file`,
      `  FAIL form #4 (${othersKey.form.id}):`,
      `    device: signed with technician "tech-2"'s key ${shortKeyId(other.keyId)}, but the form is technician "tech-1"'s`,
      '  FAIL form #6:',
      expect.stringMatching(/^ {4}not a form the server takes: \(root\)/),
    ]);
    expect(out.at(-1)).toBe('  1 verified, 5 failed');
  });

  it('a public key whose id is not its SHA-256 does not vouch for a form', async () => {
    const key = await makeDeviceKey('tech-1');
    const impostor = await makeDeviceKey('tech-1');
    const form = await signedBy(await makeForm(), impostor);
    const path = file('phone.json', bundleOf([form], [{ ...publicKeyOf(key), keyId: impostor.keyId }]));
    expect(await verifyFiles([path], io)).toBe(1);
    expect(err[1]).toBe(`    device: the public key's id is not ${impostor.keyId}`);
  });

  describe('on the back office\'s NDJSON export', () => {
    let h: Harness;
    beforeEach(async () => {
      h = await openHarness(sqliteFactory());
    });
    afterEach(async () => {
      await h.close();
    });

    it('runs as a process: exit 0 on a good export, 1 on a tampered one with what fails, 2 without a file', async () => {
      const key = await makeDeviceKey('tech-1');
      const token = await h.enroll('tech-1', '张师傅', key.publicKey);
      const forms: SubmittedForm[] = [await signedBy(await makeForm(), key, null), await signedBy(await makeForm({ seed: 2 }), key)];
      expect((await h.submit(token, forms)).body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
      const exported = (await h.call('GET', API.admin.exportNdjson)).text;
      const good = file('good.ndjson', exported);
      const [first, second] = exported.trim().split('\n').map((line) => JSON.parse(line));
      // someone edits the second form and reseals it: the seal holds, the device signature does not
      const resealed = await makeForm({ seed: 2, formId: second.form.id, text: '另一份意见' });
      const tampered = file('tampered.ndjson', `${JSON.stringify(first)}\n${JSON.stringify({ ...resealed, device: second.device, server: second.server })}\n`);

      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const ok = await run(npm, ['run', '--silent', 'verify', '--', good], { cwd: REPO_ROOT });
      expect(ok.stdout).toContain('2 verified, 0 failed');
      const failed = await run(npm, ['run', '--silent', 'verify', '--', tampered], { cwd: REPO_ROOT }).catch((e: { code: number; stdout: string; stderr: string }) => e);
      expect(failed).toMatchObject({ code: 1 });
      expect((failed as { stderr: string }).stderr).toContain(`FAIL form #2 (${second.form.id}):\n    device: the device signature does not verify over the seal hash with the registered key`);
      expect((failed as { stdout: string }).stdout).toContain('1 verified, 1 failed');
      const usage = await run(npm, ['run', '--silent', 'verify'], { cwd: REPO_ROOT }).catch((e: { code: number; stderr: string }) => e);
      expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run verify -- ') });
    });

    it('says when the key that signed a form was revoked since, and still verifies the form', async () => {
      const key = await makeDeviceKey('tech-1');
      const token = await h.enroll('tech-1', '张师傅', key.publicKey);
      const form = await signedBy(await makeForm(), key);
      await h.submit(token, [form]);
      h.clock.advance(60_000);
      await h.call('POST', `${API.admin.technicians}/tech-1/revoke`);
      const path = file('revoked.ndjson', (await h.call('GET', API.admin.exportNdjson)).text);
      expect(await verifyFiles([path], io)).toBe(0);
      expect(out[1]).toBe(`  ok   form #1 (${form.form.id}): seal verified, device signature verified (key ${shortKeyId(key.keyId)}, technician tech-1, key revoked at 2026-03-10T08:01:00.000Z)`);
    });
  });
});
