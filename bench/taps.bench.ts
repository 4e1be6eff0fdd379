// Taps for a whole visit on a fresh phone, in Chromium at 360 × 740 against the real server: enroll,
// download the visits, a complete first-time visit, sign, seal — walked by roles and visible text
// (test/browser/tap-walk.ts), typing and the signature's strokes not counted, a tap into a text box
// counted. The figure is set beside the count before the visit-flow work (50: 42 taps and 8
// into text boxes), with the aim of at most 40; the taps themselves are listed on stderr, so what to
// cut can be read off. A tap count does not vary between runs: one walk is enough.
import { launchChromium } from '../test/browser/chromium';
import { dispatchVisit } from '../test/browser/e2e-steps';
import { newTestContext } from '../test/browser/pages';
import { startRealServer } from '../test/browser/real-server-core';
import { formatTaps, TAPS_AIM, TAPS_BEFORE, walkCountingTaps, type TapWalk } from '../test/browser/tap-walk';
import { compared, type Measurement } from './measurement';

/** Of the 50, the taps into text boxes (code, account, fault, work, part, quantity, opinion, signer). */
const TEXT_BOX_TAPS_BEFORE = 8;

const taps: Measurement = {
  name: 'taps',
  async run() {
    const server = await startRealServer();
    const browser = await launchChromium();
    let walk: TapWalk;
    try {
      const visit = await dispatchVisit(server);
      const page = await (await newTestContext(browser)).newPage();
      walk = await walkCountingTaps(page, server, visit.customer.name);
    } finally {
      await browser.close();
      await server.close();
    }
    process.stderr.write(`taps, fresh phone to seal (${walk.taps.length}):\n${formatTaps(walk.taps)}\n`);
    const intoTextBoxes = walk.taps.filter((tap) => tap.textBox).length;
    return [
      compared({
        metric: 'taps, fresh phone → enrolled → downloaded → first-time visit sealed',
        value: walk.taps.length,
        unit: 'taps',
        baseline: "issue 11's count before",
        baselineValue: TAPS_BEFORE,
        aim: { max: TAPS_AIM, of: 'value' },
      }),
      compared({
        metric: 'of which taps into a text box',
        value: intoTextBoxes,
        unit: 'taps',
        baseline: "issue 11's count before",
        baselineValue: TEXT_BOX_TAPS_BEFORE,
      }),
    ];
  },
};

export default taps;
