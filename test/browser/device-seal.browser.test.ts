// The device-signed seal in Chromium, through the real server: an older phone's database upgrades to
// version 3 keeping what it held; enrollment makes a key pair whose private key cannot be exported
// from IndexedDB; a visit sealed with the place allowed lands with its device signature verified and the
// place shown in the back office beside the visit's address.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { FormDetail } from '../../src/domain/api';
import { DB_NAME } from '../../src/device/db';
import { sealedForm } from '../fixtures/visits';
import {
  dispatchVisit, downloadVisits, drawSignature, handBack, openVisit, readSealedFromIndexedDB, sealVisit, useSignature, walkToSign, WALK_TIMEOUT_MS,
} from './e2e-steps';
import { EVENT_TIMEOUT_MS } from './harness';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer, signInToBackOffice } from './real-server';

setUpBrowserAndServer();

/** The device key record as Chromium's IndexedDB gives it back, and what WebCrypto lets the page do with it. */
function readDeviceKey(page: Page) {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const read = <T,>(store: string, key: IDBValidKey) => new Promise<T>((resolve, reject) => {
      const request = db.transaction(store).objectStore(store).get(key);
      request.onsuccess = () => resolve(request.result as T);
      request.onerror = () => reject(request.error);
    });
    const keyId = await read<string>('settings', 'deviceKeyId');
    const record = await read<{ keyId: string; publicKey: string; keyPair: CryptoKeyPair }>('deviceKeys', keyId);
    const version = db.version;
    db.close();
    const { privateKey, publicKey } = record.keyPair;
    const exported = await crypto.subtle.exportKey('pkcs8', privateKey).then(() => 'exported', (e: Error) => e.name);
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, new TextEncoder().encode('x'));
    const verifies = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, signature, new TextEncoder().encode('x'));
    return {
      version, keyId, recordKeyId: record.keyId, publicKey: record.publicKey, isCryptoKey: privateKey instanceof CryptoKey,
      extractable: privateKey.extractable, algorithm: privateKey.algorithm as EcKeyAlgorithm, exported, signatureBytes: signature.byteLength, verifies,
    };
  }, DB_NAME);
}

test('a phone\'s version 2 database upgrades to 3 keeping its held form; enrolling makes a key the page cannot export', async ({ server, page }) => {
  const { form, bytes } = await sealedForm({ seed: 7 });
  // the same origin, before the app has opened its database: the database as the previous app left it
  await page.goto(`${server.url}/manifest.webmanifest`);
  await page.evaluate(async ({ name, stored, signature }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 2);
      request.onupgradeneeded = () => {
        const d = request.result;
        d.createObjectStore('visits', { keyPath: 'id' }).createIndex('by-date', 'scheduledDate');
        d.createObjectStore('drafts', { keyPath: 'formId' }).createIndex('by-visit', 'visitId');
        d.createObjectStore('draftEvents', { keyPath: ['formId', 'seq'] });
        d.createObjectStore('signatures', { keyPath: 'formId' });
        const forms = d.createObjectStore('forms', { keyPath: 'formId' });
        forms.createIndex('by-status', 'status');
        forms.createIndex('by-status-sealed', ['status', 'sealedAt']);
        forms.createIndex('by-status-next', ['status', 'nextAttemptAt']);
        d.createObjectStore('settings');
        d.createObjectStore('checklists', { keyPath: ['id', 'version'] });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(['forms', 'signatures'], 'readwrite');
      tx.objectStore('forms').put(stored);
      tx.objectStore('signatures').put({ formId: stored.formId, bytes: new Uint8Array(signature).buffer, mime: 'image/png', sha256: stored.form.signature.sha256 });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, {
    name: DB_NAME,
    stored: { formId: form.id, visitId: form.visit.id, form, status: 'held', sealedAt: form.sealedAt, attempts: 0, nextAttemptAt: 0 },
    signature: Array.from(bytes),
  });

  await enrollThroughSettings(page, server);
  const key = await readDeviceKey(page);
  expect(key).toMatchObject({
    version: 3, recordKeyId: key.keyId, isCryptoKey: true, extractable: false,
    algorithm: { name: 'ECDSA', namedCurve: 'P-256' }, exported: 'InvalidAccessError', signatureBytes: 64, verifies: true,
  });
  // the server registered exactly the public key the phone holds
  const registered = await server.storage.listDeviceKeys(server.demo.technician.id);
  expect(registered.at(-1)).toMatchObject({ keyId: key.keyId, publicKey: key.publicKey, supersededAt: null, revokedAt: null });
  // the form the older app sealed is still there, unsigned as it was
  const kept = await readSealedFromIndexedDB(page, form.id);
  expect(kept.form).toEqual(form);
  expect(kept.signature.bytes).toEqual(bytes);
});

test('a visit sealed with the place allowed lands signed by the phone; the back office shows both checks and the place beside the address', async ({ server, context, page }) => {
  await context.grantPermissions(['geolocation'], { origin: server.url });
  await context.setGeolocation({ latitude: 31.230416, longitude: 121.473701, accuracy: 25 });
  const visit = await dispatchVisit(server);
  await enrollThroughSettings(page, server);
  const { keyId } = await readDeviceKey(page);
  await downloadVisits(page);
  const formId = await openVisit(page, visit.id);
  await walkToSign(page, { firstVisit: true });
  await drawSignature(page);
  await useSignature(page);
  // the customer hands the phone back to the technician, who seals
  await handBack(page);
  // asked once, beside the seal: off until the technician says yes
  await page.getByTestId('seal-location-allow').click();
  await page.getByTestId('seal-location-ask').waitFor({ state: 'detached' });
  await sealVisit(page);
  // the sealed screen says the phone signed it, and where
  const signedLine = page.locator('[data-testid="sealed-device"][data-signed="true"]');
  await signedLine.waitFor();
  expect(await signedLine.textContent()).toContain(keyId.slice(0, 12));
  expect(await signedLine.textContent()).toContain('31.23042');

  await expect.poll(async () => (await server.storage.getForm(formId))?.deviceJson ?? null, { timeout: 2 * EVENT_TIMEOUT_MS }).not.toBeNull();
  const detail = await server.admin<FormDetail>(`/api/v1/admin/forms/${formId}`);
  expect(detail.sealCheck).toBe('verified');
  expect(detail.device).toMatchObject({ check: 'verified', keyId, technicianId: server.demo.technician.id, location: { lat: 31.230416, lon: 121.473701, accuracyM: 25 } });

  const office = await context.newPage();
  await office.setViewportSize({ width: 1280, height: 900 });
  await signInToBackOffice(office, server);
  await office.goto(`${server.url}/backoffice/#/forms/${formId}`);
  await office.locator('[data-testid="device-check"][data-device="verified"]').waitFor();
  expect(await office.getByTestId('device-key').textContent()).toBe(keyId.slice(0, 12));
  expect(await office.getByTestId('device-place').textContent()).toContain('31.230416');
  expect(await office.getByTestId('device-visit-address').textContent()).toBe(visit.customer.address);
  await office.close();

  // the question is not asked again
  const next = await dispatchVisit(server, { firstVisit: false });
  await page.getByTestId('nav-visits').click();
  await downloadVisits(page);
  await openVisit(page, next.id);
  await walkToSign(page, { firstVisit: false });
  await drawSignature(page);
  await useSignature(page);
  await handBack(page);
  await page.getByTestId('step-seal').waitFor();
  expect(await page.getByTestId('seal-location-ask').count()).toBe(0);
}, WALK_TIMEOUT_MS);
