// The whole path on a fresh phone by roles and text, tap by tap (tap-walk.ts): enroll, download, a
// complete first-time visit, sign, seal. The visit is sealed with every answer given on the way, and
// the walk takes no more taps than the aim of 40 (the 50 before the visit-flow work). With the
// hand-over (attest all four and "all kept" in one tap each) it takes 37; the list is printed with the count.
import { expect } from 'vitest';
import { ANSWERS, dispatchVisit, formIdOf, readSealedFromIndexedDB, WALK_TIMEOUT_MS } from './e2e-steps';
import { serverTest as test, setUpBrowserAndServer } from './real-server';
import { formatTaps, TAPS_AIM, TAPS_BEFORE, walkCountingTaps } from './tap-walk';

setUpBrowserAndServer();

test('a fresh phone to a sealed first-time visit by what is on screen, counted in taps', async ({ server, page }) => {
  const visit = await dispatchVisit(server, { firstVisit: true });
  const walk = await walkCountingTaps(page, server, visit.customer.name);
  console.log(`taps, fresh phone to seal: ${walk.taps.length} (before: ${TAPS_BEFORE}, aim ≤ 40)\n${formatTaps(walk.taps)}`);

  const sealed = await readSealedFromIndexedDB(page, formIdOf(page));
  expect(sealed.form.seal.hash).toBe(walk.sealHash);
  expect(sealed.form.visit.id).toBe(visit.id);
  // every answer given on the way is on the customer's copy of the sealed form
  await page.getByRole('link', { name: '查看用户联（可打印）' }).click();
  const copy = page.getByTestId('customer-copy');
  for (const answer of [ANSWERS.customerAccount, ANSWERS.faultFound, ANSWERS.workDone, ANSWERS.part.name, ANSWERS.customerOpinion, ANSWERS.signerName]) {
    await copy.getByText(answer).first().waitFor();
  }
  // every tap went to a control named on screen, and none was needed beyond the aim
  for (const tap of walk.taps) expect(tap.control).toMatch(/^(link|button|checkbox|radio|textbox|spinbutton) "[^"]+"/);
  expect(walk.taps.length).toBeLessThanOrEqual(TAPS_AIM);
}, WALK_TIMEOUT_MS);
