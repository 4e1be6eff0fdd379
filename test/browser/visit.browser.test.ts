// A whole visit in the production build served by the real server, clicked through as a technician:
// enrolled through the settings, the demo's first visit downloaded, every phase walked, the signature
// drawn with the pointer, sealed. The seal is then checked in Node from what IndexedDB holds, and the
// customer copy shows every answer and the signature's own bytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { festivalOn, parseFestivalsFile } from '../../src/domain/festivals';
import { verifySeal } from '../../src/domain/seal';
import { checkFormConsistency } from '../../src/domain/service-form';
import { signaturePoints } from '../../src/domain/form-view';
import {
  ANSWERS, arrive, checklist, downloadVisits, drawSignature, fillForm, openVisit, prepare, PROHIBITIONS,
  readSealedFromIndexedDB, repair, sealVisit, snap, useSignature, verify, WALK_TIMEOUT_MS,
} from './e2e-steps';
import { REPO_ROOT } from './harness';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer } from './real-server';

setUpBrowserAndServer();

const festivals = parseFestivalsFile(JSON.parse(readFileSync(join(REPO_ROOT, 'checklists/festivals.json'), 'utf8')), 'festivals.json');

test('a whole first visit, clicked through every phase with a drawn signature, is sealed; its seal verifies from IndexedDB', async ({ server, page }) => {
  const visit = server.demo.visits[0]!;
  expect(visit.firstVisit).toBe(true);
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  const formId = await openVisit(page, visit.id);

  await prepare(page);
  await arrive(page, true);
  await repair(page);
  await verify(page);
  await fillForm(page);
  await drawSignature(page);
  await snap(page, 'visit-sign-drawn');
  await useSignature(page);
  const shownHash = await sealVisit(page);
  await snap(page, 'visit-sealed');

  const sealed = await readSealedFromIndexedDB(page, formId);
  expect(sealed.status).toMatch(/^(queued|sending|synced)$/);
  expect(sealed.form.seal.hash).toBe(shownHash);
  expect(sealed.signature).toMatchObject({ mime: 'image/png', storedAsArrayBuffer: true, sha256: sealed.form.signature.sha256 });
  expect([...sealed.signature.bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(await verifySeal(sealed.form, sealed.signature.bytes)).toEqual({ ok: true });
  expect(checkFormConsistency(sealed.form, checklist)).toEqual({ ok: true });
  // the check can fail: one changed byte of the signature breaks it
  const altered = sealed.signature.bytes.slice();
  altered[altered.length - 20]! ^= 0xff;
  expect(await verifySeal(sealed.form, altered)).toMatchObject({ ok: false, reason: 'signature-bytes' });

  const form = sealed.form;
  expect(form.visit).toMatchObject({ id: visit.id, firstVisit: true });
  // the gift was ticked exactly when the festival calendar says the visit's date is in a festival
  expect(form.visit.festival?.id ?? null).toBe(festivalOn(festivals, form.visit.date)?.festival.id ?? null);
  expect(form.items.find((item) => item.id === 'kit.gift')?.outcome).toBe(form.visit.festival ? 'done' : 'not-applicable');
  expect(form.technician.id).toBe(server.demo.technician.id);
  expect(form.customer).toEqual(visit.customer);
  // this app writes format 2: the answers keyed by item id, the signature's points once
  expect(form).toMatchObject({
    formatVersion: 2,
    answers: {
      'greet.account': ANSWERS.customerAccount,
      'form.fault-found': ANSWERS.faultFound,
      'form.work-done': ANSWERS.workDone,
      'form.parts-used': [ANSWERS.part],
      'form.opinion': ANSWERS.customerOpinion,
      'form.satisfaction': ANSWERS.satisfaction,
      'form.signer-name': ANSWERS.signerName,
      'form.attestation': PROHIBITIONS,
      'form.conduct': Object.fromEntries(PROHIBITIONS.map((rule) => [rule, 'kept'])),
    },
    flags: { dispute: false, conductBreach: false },
  });
  expect(form.signature).not.toHaveProperty('points');
  expect(form.testRuns.map((run) => [run.by, run.passed])).toEqual([['technician', true], ['customer', true]]);
  expect(form.incidents).toEqual([expect.objectContaining({ kind: 'declined-offer', rule: 'no-smoking', flagged: false })]);
  expect(form.items.find((item) => item.id === 'greet.introduce')?.outcome).toBe('done');
  // two strokes drawn by the pointer, each with the points of its moves
  const strokes = signaturePoints(form, checklist);
  expect(strokes).toHaveLength(2);
  for (const stroke of strokes) expect(stroke.points.length).toBeGreaterThan(5);

  await page.getByTestId('copy-link').click();
  const copy = page.getByTestId('customer-copy');
  await copy.waitFor();
  const text = (await copy.textContent()) ?? '';
  for (const expected of [
    visit.id, visit.customer.name, visit.equipment.model, server.demo.technician.name,
    ANSWERS.customerAccount, ANSWERS.faultFound, ANSWERS.workDone, `${ANSWERS.part.name} × ${ANSWERS.part.quantity}`,
    ANSWERS.customerOpinion, ANSWERS.signerName, form.seal.hash,
    ...PROHIBITIONS.map((rule) => checklist.rules.find((r) => r.id === rule)!.text['zh-CN']),
  ]) {
    expect(text, `the customer copy shows ${expected}`).toContain(expected);
  }
  expect(await page.getByTestId('copy-timeline').locator('li').count()).toBe(form.events.length);
  // the image is the stored PNG itself: it decodes to the same pixels as the bytes in IndexedDB
  // (the page's CSP keeps fetch() away from blob: URLs, so the comparison is made on pixels)
  await page.waitForFunction(() => (document.querySelector('[data-testid="copy-signature"]') as HTMLImageElement | null)?.complete === true);
  const shown = await page.getByTestId('copy-signature').evaluate(async (img: HTMLImageElement, stored: number[]) => {
    const pixels = (source: CanvasImageSource, width: number, height: number) => {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('2d')!;
      context.drawImage(source, 0, 0);
      return context.getImageData(0, 0, width, height).data;
    };
    const decoded = await createImageBitmap(new Blob([new Uint8Array(stored)], { type: 'image/png' }));
    const a = pixels(img, img.naturalWidth, img.naturalHeight);
    const b = pixels(decoded, decoded.width, decoded.height);
    let inked = 0;
    for (let i = 3; i < b.length; i += 4) if (b[i - 1]! < 128) inked++;
    return { src: img.src, width: img.naturalWidth, height: img.naturalHeight, same: a.length === b.length && a.every((v, i) => v === b[i]), inked };
  }, Array.from(sealed.signature.bytes));
  expect(shown).toMatchObject({ width: 1200, height: 480, same: true });
  expect(shown.src).toMatch(/^blob:/);
  expect(shown.inked).toBeGreaterThan(100);
  await snap(page, 'visit-customer-copy');
  // the declined cigarette is named in the customer's language, as the visit screen names it, not by the engine's word for it
  const incidents = (await copy.locator('.copy-row', { hasText: '事件记录' }).locator('dd').textContent()) ?? '';
  expect(incidents, 'the customer copy names the declined offer as 婉拒香烟').toContain('婉拒香烟');
  expect(incidents, 'the customer copy shows no untranslated offer kind').not.toMatch(/cigarette/);
}, WALK_TIMEOUT_MS);

