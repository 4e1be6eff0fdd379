// The whole path on a fresh phone by roles and text, tap by tap (tap-walk.ts): enroll, download, a
// complete first-time visit, sign, seal. The visit is sealed with every answer given on the way, and
// the walk takes at most the aim of 40 taps (50 before the visit-flow work); the count is
// printed with the list of taps and where they go, screen by screen.
import { expect } from 'vitest';
import { ANSWERS, dispatchVisit, formIdOf, readSealedFromIndexedDB, WALK_TIMEOUT_MS } from './e2e-steps';
import { serverTest as test, setUpBrowserAndServer } from './real-server';
import { formatTaps, TAPS_AIM, TAPS_BEFORE, walkCountingTaps, type Tap } from './tap-walk';

setUpBrowserAndServer();

test('a fresh phone to a sealed first-time visit by what is on screen, counted in taps', async ({ server, page }) => {
  const visit = await dispatchVisit(server, { firstVisit: true });
  const walk = await walkCountingTaps(page, server, visit.customer.name);
  console.log(`taps, fresh phone to seal: ${walk.taps.length} (before: ${TAPS_BEFORE}, aim ≤ ${TAPS_AIM}); by screen: ${byScreen(walk.taps)}\n${formatTaps(walk.taps)}`);

  const sealed = await readSealedFromIndexedDB(page, formIdOf(page));
  expect(sealed.form.seal.hash).toBe(walk.sealHash);
  expect(sealed.form.visit.id).toBe(visit.id);
  // every answer given on the way is on the customer's copy of the sealed form
  await page.getByRole('link', { name: '查看用户联（可打印）' }).click();
  const copy = page.getByTestId('customer-copy');
  for (const answer of [ANSWERS.customerAccount, ANSWERS.faultFound, ANSWERS.workDone, ANSWERS.part.name, ANSWERS.customerOpinion, ANSWERS.signerName]) {
    await copy.getByText(answer).first().waitFor();
  }
  // every tap went to a control named on screen, and the whole path takes no more than the aim
  for (const tap of walk.taps) expect(tap.control).toMatch(/^(link|button|checkbox|radio|textbox|spinbutton) "[^"]+"/);
  expect(walk.taps.length).toBeLessThanOrEqual(TAPS_AIM);
  // what the cuts took away: no tap on 下载派工任务 (enrolling downloads), none on a 下一步 to the test
  // run (开始维修 moves on by itself), and one tap for each passed test run
  expect(walk.taps.map((tap) => tap.control)).not.toContain('button "下载派工任务"');
  expect(walk.taps.filter((tap) => tap.screen === '维修')).toHaveLength(2);
  expect(walk.taps.filter((tap) => tap.screen === '试车')).toHaveLength(2);
}, WALK_TIMEOUT_MS);

/** The taps counted per screen, in the walk's order: "settings 3, visit list 2, …". */
function byScreen(taps: readonly Tap[]): string {
  const counts = new Map<string, number>();
  for (const tap of taps) counts.set(tap.screen, (counts.get(tap.screen) ?? 0) + 1);
  return [...counts].map(([screen, count]) => `${screen} ${count}`).join(', ');
}
