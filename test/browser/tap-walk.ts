// The whole path on a fresh phone, walked by what is on screen alone — roles and visible text, never
// test ids — and counted in taps: enroll, download the visits, a complete first-time visit (every
// required item, a part used, the customer's answers), sign, seal. A tap is a click on a control;
// a tap into a text box counts, the typing after it does not, nor does drawing the signature (strokes,
// not taps) or scrolling. Each tap is listed with the screen and the control it went to, so the count
// can be read and cut. No vitest here: the benchmark walks it too (bench/taps.bench.ts), and so does
// the Chromium test (test/browser/taps.browser.test.ts).
import type { Locator, Page } from 'playwright-core';
import { ANSWERS, drawSignature } from './e2e-steps';
import type { RealServer } from './real-server-core';

/** The count for this walk before the visit-flow work (42 taps and 8 into text boxes), and its aim. */
export const TAPS_BEFORE = 50;
export const TAPS_AIM = 40;

export interface Tap {
  /** where the technician was: "settings", "visit list", or the visit's phase */
  screen: string;
  /** the control's role and name as a screen reader would say them */
  control: string;
  textBox: boolean;
}

export interface TapWalk {
  taps: Tap[];
  /** the sealed form's hash as the sealed screen shows it */
  sealHash: string;
}

/** The form field around a control (its label, the control and the field's saved note). */
const FIELD = 'xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " field ")][1]';

class Taps {
  readonly taps: Tap[] = [];
  private screen = '';

  on(screen: string): void {
    this.screen = screen;
  }

  async tap(locator: Locator, control: string): Promise<void> {
    await locator.click();
    this.taps.push({ screen: this.screen, control, textBox: false });
  }

  /** A tap into the text box, then the typing (not counted); waits until the field says its answer is saved. */
  async type(locator: Locator, control: string, text: string, { waitSaved = true } = {}): Promise<void> {
    await locator.click();
    this.taps.push({ screen: this.screen, control: `${control} (text box)`, textBox: true });
    await locator.fill(text);
    // the field's own "saved" note, beside it
    if (waitSaved) await locator.locator(FIELD).getByText('已保存').first().waitFor();
  }
}

const panel = (page: Page) => page.getByRole('tabpanel');

/** Waits until `phase` (its tab's label, e.g. 见面) is the visit's current phase and on screen. */
async function currentPhase(page: Page, phase: string): Promise<void> {
  await page.getByRole('tab', { name: `${phase} (当前阶段)`, selected: true }).waitFor();
}

/** Ticks every checkbox of the phase on screen that is not ticked yet, each waited for until shown ticked. */
async function tickAll(page: Page, taps: Taps): Promise<void> {
  const unticked = panel(page).getByRole('checkbox', { checked: false });
  for (let left = await unticked.count(); left > 0; left = await unticked.count()) {
    const box = unticked.first();
    const name = (await box.textContent())?.trim() ?? '';
    await taps.tap(box, `checkbox "${name}"`);
    await panel(page).getByRole('checkbox', { name, exact: true, checked: true }).waitFor();
  }
}

/**
 * From a fresh phone (nothing stored, not enrolled) at the app's start page to the sealed form, on the
 * real server with `customerName`'s visit dispatched to the demo technician (a first visit). Resolves the
 * taps, in order.
 */
export async function walkCountingTaps(page: Page, server: RealServer, customerName: string): Promise<TapWalk> {
  const taps = new Taps();
  const code = await server.newEnrollmentCode();
  await page.goto(`${server.url}/`);

  taps.on('visit list');
  await taps.tap(page.getByRole('link', { name: /尚未登记/ }), 'link "本机尚未登记技师…"');
  taps.on('settings');
  await taps.type(page.getByRole('textbox', { name: '一次性登记码' }), 'textbox "一次性登记码"', code, { waitSaved: false });
  await taps.tap(page.getByRole('button', { name: '登记本机', exact: true }), 'button "登记本机"');
  // enrolled, the phone downloads the technician's visits at once: no tap on 下载派工任务
  await page.getByRole('status').getByText(/登记成功.*已下载/).waitFor();

  await taps.tap(page.getByRole('navigation').getByRole('link', { name: '上门任务' }), 'link "上门任务" (top bar)');
  taps.on('visit list');
  await taps.tap(page.getByRole('link', { name: new RegExp(`^${customerName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `) }), `link "${customerName} …" (the visit)`);

  taps.on('出发前');
  await currentPhase(page, '出发前');
  await tickAll(page, taps);
  await taps.tap(panel(page).getByRole('button', { name: '着装、五件宝齐全，出发', exact: true }), 'button "着装、五件宝齐全，出发"');

  taps.on('见面');
  await currentPhase(page, '见面');
  await tickAll(page, taps);
  // the phase's last item: once saved, the visit moves on to the repair
  await taps.type(panel(page).getByRole('textbox', { name: /请详细介绍一下您的产品/ }), 'textbox "…记录用户的介绍"', ANSWERS.customerAccount, { waitSaved: false });

  taps.on('维修');
  await currentPhase(page, '维修');
  await taps.tap(panel(page).getByRole('button', { name: '已戴上手套', exact: true }), 'button "已戴上手套"');
  await panel(page).getByText('✓ 已戴上手套').waitFor();
  await taps.tap(panel(page).getByRole('button', { name: '开始维修', exact: true }), 'button "开始维修"');
  // nothing more is required on 维修: the screen moves on by itself to the technician's test run on 试车

  taps.on('试车');
  await page.getByRole('tab', { name: /^试车/, selected: true }).waitFor();
  for (const [test, by] of [['技师自己试车', '技师'], ['用户试车', '用户']] as const) {
    // a pass with no note: one tap records it
    const block = panel(page).getByRole('group', { name: test });
    await taps.tap(block.getByRole('button', { name: `${test}：通过`, exact: true }), `button "${test}：通过" (${by})`);
    await block.getByText(/完成于/).or(page.getByRole('tab', { name: '签单 (当前阶段)' })).first().waitFor();
  }

  taps.on('签单');
  await currentPhase(page, '签单');
  const sign = panel(page);
  await taps.type(sign.getByRole('textbox', { name: /^故障情况/ }), 'textbox "故障情况"', ANSWERS.faultFound);
  await taps.type(sign.getByRole('textbox', { name: /^维修内容/ }), 'textbox "维修内容"', ANSWERS.workDone);
  const parts = sign.getByRole('group', { name: /^更换配件/ });
  await taps.tap(parts.getByRole('button', { name: '添加配件', exact: true }), 'button "添加配件"');
  await taps.type(parts.getByRole('textbox', { name: '配件名称 1' }), 'textbox "配件名称 1"', ANSWERS.part.name, { waitSaved: false });
  await taps.type(parts.getByRole('spinbutton', { name: '数量' }), 'spinbutton "数量"', String(ANSWERS.part.quantity));
  // the technician's attestation stays on their side, all four in one tap
  const attestation = sign.getByRole('group', { name: /^技师承诺/ });
  await taps.tap(attestation.getByRole('button', { name: /：四条全部承诺$/ }), 'button "技师承诺…：四条全部承诺"');
  await attestation.getByText('已保存').waitFor();
  await taps.tap(sign.getByRole('button', { name: '交给用户确认并签字', exact: true }), 'button "交给用户确认并签字"');

  // the customer's own screen: what they sign, then only their inputs
  taps.on('签单 (用户)');
  const customer = page.getByRole('region', { name: '请您确认服务内容并签字' });
  await customer.waitFor();
  await taps.type(customer.getByRole('textbox', { name: /^用户意见/ }), 'textbox "用户意见"', ANSWERS.customerOpinion);
  const rating = `${ANSWERS.satisfaction} 分（满分 5 分）`;
  await taps.tap(customer.getByRole('radio', { name: rating, exact: true }), `radio "${rating}"`);
  await customer.getByRole('radio', { name: rating, exact: true, checked: true }).waitFor();
  const conduct = customer.getByRole('group', { name: /^用户确认/ });
  await taps.tap(conduct.getByRole('button', { name: /：四条全部遵守$/ }), 'button "用户确认…：四条全部遵守"');
  await conduct.getByText('已保存').waitFor();
  await taps.type(customer.getByRole('textbox', { name: /^签字人姓名/ }), 'textbox "签字人姓名"', ANSWERS.signerName);
  await drawSignature(page);
  await taps.tap(customer.getByRole('button', { name: '确认签字', exact: true }), 'button "确认签字"');
  await customer.getByRole('button', { name: '重新签字', exact: true }).waitFor();
  await taps.tap(customer.getByRole('button', { name: '填好了，交还技师', exact: true }), 'button "填好了，交还技师"');

  // handed back: what the customer entered, then the seal
  taps.on('签单');
  await currentPhase(page, '签单');
  await panel(page).getByRole('region', { name: '用户填写的内容' }).getByText(ANSWERS.signerName).waitFor();
  await taps.tap(panel(page).getByRole('button', { name: '确认并封存服务单', exact: true }), 'button "确认并封存服务单"');

  await page.getByRole('status').getByText('已保存到手机').waitFor();
  const sealHash = (await page.getByTestId('seal-hash').textContent())?.trim() ?? '';
  return { taps: taps.taps, sealHash };
}

/** The taps one line each, numbered, with the screen: what the visit-flow work has to cut. */
export function formatTaps(taps: readonly Tap[]): string {
  return taps.map((tap, i) => `${String(i + 1).padStart(2)}. ${tap.screen}: ${tap.control}`).join('\n');
}
