// Enrolling a phone downloads the technician's visits at once, so the visit list is the next stop with
// no tap on 下载派工任务; a download that fails then leaves the phone enrolled and says that the visits
// were not downloaded, and why. Production build, real server, real Chromium.
import { expect } from 'vitest';
import { dispatchVisit } from './e2e-steps';
import { serverTest as test, setUpBrowserAndServer } from './real-server';

setUpBrowserAndServer();

test("enrolled, the phone has the technician's visits without a tap on 下载派工任务", async ({ server, page }) => {
  const visit = await dispatchVisit(server);
  await page.goto(`${server.url}/#/settings`);
  await page.getByTestId('enroll-code').fill(await server.newEnrollmentCode());
  await page.getByTestId('enroll-submit').click();
  const outcome = page.getByTestId('enroll-outcome');
  await outcome.filter({ hasText: '登记成功' }).waitFor();
  expect(await outcome.getAttribute('role')).toBe('status');
  expect(await outcome.textContent()).toMatch(/已下载 \d+ 个派工任务/);
  await page.getByTestId('enrolled-as').filter({ hasText: server.demo.technician.id }).waitFor();
  // the list shows the visit as it opens
  await page.getByTestId('nav-visits').click();
  await page.getByTestId(`visit-${visit.id}`).waitFor();
});

test('a download that fails after enrolling leaves the phone enrolled and says the visits were not downloaded', async ({ server, page }) => {
  const visit = await dispatchVisit(server);
  await page.route(/\/api\/v1\/visits(\?|$)/, (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"unavailable"}' }));
  await page.goto(`${server.url}/#/settings`);
  await page.getByTestId('enroll-code').fill(await server.newEnrollmentCode());
  await page.getByTestId('enroll-submit').click();
  const outcome = page.getByTestId('enroll-outcome');
  await outcome.filter({ hasText: '登记成功' }).waitFor();
  expect(await outcome.textContent()).toContain('派工任务未能下载');
  await page.getByTestId('enrolled-as').filter({ hasText: server.demo.technician.id }).waitFor();
  // the list's own button fetches them once the server answers again
  await page.unroute(/\/api\/v1\/visits(\?|$)/);
  await page.getByTestId('nav-visits').click();
  expect(await page.getByTestId(`visit-${visit.id}`).count()).toBe(0);
  await page.getByTestId('download-visits').click();
  await page.getByTestId(`visit-${visit.id}`).waitFor();
});
