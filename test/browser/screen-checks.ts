// What every screen must pass on a 360 × 740 phone, each finding one line naming the screen and the
// offending element: axe-core's serious and critical violations, horizontal scrolling (and what sticks
// out), controls smaller than 48 px for a gloved finger, and the phase's primary action (its next-action
// button) out of sight without scrolling. Used by a11y.browser.test.ts; no vitest here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type AxeCore from 'axe-core';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './builds';

export const PHONE = { width: 360, height: 740 } as const;
export const TOUCH_PX = 48;

// evaluated through the DevTools protocol: the server's CSP (script-src 'self') rightly blocks an injected <script>
const AXE_SOURCE = `${readFileSync(join(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8')}\n;void 0`;

/** axe's serious and critical violations on the page as it is now, one line each, naming the screen. */
export async function seriousViolations(page: Page, screen: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: typeof AxeCore };
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.slice(0, 5).join(', ')}`);
}

/** How an element is named in a finding: its test id, or its tag, class and the start of its text. */
function describeInPage(): void {
  (window as unknown as { __describe: (el: Element) => string }).__describe = (el) => {
    const id = el.getAttribute('data-testid');
    if (id) return id;
    const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30);
    return `${el.tagName.toLowerCase()}${cls}${text ? ` "${text}"` : ''}`;
  };
}

async function withDescribe(page: Page): Promise<void> {
  if (!(await page.evaluate(() => '__describe' in window))) await page.evaluate(describeInPage);
}

/**
 * Horizontal scrolling: the document wider than the viewport. Names the innermost elements that stick
 * out past the right edge (inside no scrolling box of their own), at most five.
 */
export async function horizontalScroll(page: Page, screen: string): Promise<string[]> {
  await withDescribe(page);
  const found = await page.evaluate(() => {
    const describe = (window as unknown as { __describe: (el: Element) => string }).__describe;
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return [];
    const width = root.clientWidth;
    const scrolls = (el: Element) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
    const sticking = [...document.body.querySelectorAll('*')].filter((el) => {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.right <= width + 0.5) return false;
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) if (scrolls(up)) return false;
      return true;
    });
    const innermost = sticking.filter((el) => !sticking.some((other) => other !== el && el.contains(other)));
    return [
      `the page is ${root.scrollWidth} px wide for a ${width} px screen`,
      ...innermost.slice(0, 5).map((el) => `${describe(el)} reaches ${Math.round(el.getBoundingClientRect().right)} px`),
    ];
  });
  return found.length === 0 ? [] : [`${screen}: ${found.join('; ')}`];
}

/**
 * Every visible control smaller than 48 × 48 px (a control inside its label: the label, which takes the
 * tap), one line each, naming the screen.
 */
export async function smallTouchTargets(page: Page, screen: string): Promise<string[]> {
  await withDescribe(page);
  const small = await page.evaluate((min) => {
    const describe = (window as unknown as { __describe: (el: Element) => string }).__describe;
    const controls = document.querySelectorAll('button, input, textarea, select, a[href], [role=checkbox], [role=radio], [role=tab]');
    return [...controls].flatMap((el) => {
      const box = (el.closest('label') ?? el).getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') return [];
      if (box.height >= min && box.width >= min) return [];
      return [`${describe(el)}: ${Math.round(box.width)}×${Math.round(box.height)}`];
    });
  }, TOUCH_PX);
  return small.map((line) => `${screen}: ${line}`);
}

/**
 * The phase's primary action — its next-action button, the one obvious thing to do next — on screen as
 * the phase is shown, without scrolling: wholly inside the viewport and not covered (the element at its
 * centre is the button). Nothing to report on a phase without one.
 */
export async function primaryActionHidden(page: Page, screen: string): Promise<string[]> {
  const action = page.getByRole('tabpanel').getByRole('button', { name: /^下一步|^Next/ });
  if ((await action.count()) === 0) return [];
  const where = await action.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const inside = box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth;
    const atCentre = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    const covered = inside && !(atCentre && el.contains(atCentre));
    return { inside, covered, top: Math.round(box.top), bottom: Math.round(box.bottom), name: (el.textContent ?? '').trim(), by: atCentre?.tagName.toLowerCase() ?? null };
  });
  if (where.inside && !where.covered) return [];
  const why = where.covered ? `covered by ${where.by}` : `at ${where.top}–${where.bottom} px, the screen is ${PHONE.height} px tall`;
  return [`${screen}: the primary action "${where.name}" is not on screen without scrolling (${why})`];
}
