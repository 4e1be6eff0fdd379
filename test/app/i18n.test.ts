import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, OFFER_KINDS, parseChecklist, prohibitionRules, reminderFor, ruleById, itemById, type Checklist } from '../../src/domain/checklist';
import { apply, createVisit, type Refusal, type RefusalKey, type VisitState } from '../../src/domain/visit-workflow';
import type { VisitAction } from '../../src/domain/form-schema';
import { holderMay } from '../../src/domain/hand-over';
import { fill, loadLocale, translate } from '../../src/app/i18n';
import { coreEn } from '../../src/app/i18n/en';
import { formatRefusal, formatRefusalParts } from '../../src/app/i18n/refusals';
import { refusalsEn, screensEn } from '../../src/app/i18n/screens.en';
import { refusalsZh, screensZh } from '../../src/app/i18n/screens.zh-CN';
import { coreZh } from '../../src/app/i18n/zh-CN';

const zhCN: Record<string, string> = { ...coreZh, ...screensZh };
const en: Record<string, string> = { ...coreEn, ...screensEn };
import { checklist, checklistPath, completeVisitActions, fakeClock, firstVisitInFestival, ordinaryDay, run, signatureBytes, signatureFor } from '../fixtures/visits';

// A Record over the type makes tsc fail here when the engine gains a refusal key this list lacks.
const ALL_REFUSAL_KEYS: Record<RefusalKey, true> = {
  'refusal.sealed': true, 'refusal.malformed': true, 'refusal.unknownItem': true, 'refusal.notAField': true, 'refusal.notTickable': true,
  'refusal.notApplicable': true, 'refusal.missingPrerequisite': true, 'refusal.laterStepDone': true, 'refusal.alreadyDone': true,
  'refusal.notDone': true, 'refusal.invalidValue': true, 'refusal.conductIncomplete': true, 'refusal.attestationIncomplete': true,
  'refusal.incompleteForm': true, 'refusal.handedOver': true,
};
const refusalKeys = Object.keys(ALL_REFUSAL_KEYS) as RefusalKey[];

/** The session's refusal while the customer holds the phone (the engine never sees the action). */
function handedOverRefusal(action: VisitAction): Refusal {
  const decision = holderMay(checklist, 'customer', action);
  if (decision.ok) throw new Error(`expected ${JSON.stringify(action)} to be refused in the customer's hands`);
  return decision.refusal;
}

function refusalOf(state: VisitState, action: VisitAction): Refusal {
  const result = apply(state, action, fakeClock());
  if (result.ok) throw new Error(`expected ${JSON.stringify(action)} to be refused`);
  return result.refusal;
}

/** Each refusal key, produced by the real engine in a situation that earns it. */
async function realRefusals(): Promise<Array<[RefusalKey, Refusal, Checklist]>> {
  const signature = await signatureFor(signatureBytes());
  const actions = completeVisitActions(ordinaryDay, signature);
  const fresh = createVisit(checklist, ordinaryDay);
  const upTo = (n: number) => run(fresh, actions.slice(0, n), fakeClock());
  const afterCustomerTest = upTo(actions.findIndex((a) => a.type === 'test' && a.by === 'customer') + 1);
  const started = upTo(actions.findIndex((a) => a.type === 'step' && a.step === 'start-visit') + 1);
  const sealed = upTo(actions.length);
  const raw = JSON.parse(readFileSync(checklistPath, 'utf8')) as Checklist;
  raw.items.find((i) => i.id === 'step.seal')!.after = [];
  const loose = parseChecklist(raw, 'loose.json');
  const [first] = prohibitionRules(checklist);
  const list: Array<[RefusalKey, Refusal, Checklist]> = [
    ['refusal.sealed', refusalOf(sealed, { type: 'tick', item: 'dress.clothes' }), checklist],
    ['refusal.malformed', refusalOf(fresh, { type: 'tick', item: 'Not An Id' }), checklist],
    ['refusal.unknownItem', refusalOf(fresh, { type: 'tick', item: 'no.such-item' }), checklist],
    ['refusal.notAField', refusalOf(fresh, { type: 'set', item: 'dress.clothes', value: '是' }), checklist],
    ['refusal.notTickable', refusalOf(fresh, { type: 'tick', item: 'step.start-visit' }), checklist],
    ['refusal.notApplicable', refusalOf(fresh, { type: 'tick', item: 'kit.gift' }), checklist],
    ['refusal.missingPrerequisite', refusalOf(fresh, { type: 'step', step: 'start-visit' }), checklist],
    ['refusal.laterStepDone', refusalOf(started, { type: 'untick', item: 'dress.clothes' }), checklist],
    ['refusal.alreadyDone', refusalOf(started, { type: 'tick', item: 'dress.clothes' }), checklist],
    ['refusal.notDone', refusalOf(fresh, { type: 'untick', item: 'dress.clothes' }), checklist],
    ['refusal.invalidValue', refusalOf(afterCustomerTest, { type: 'set', field: 'satisfaction', value: 9 }), checklist],
    ['refusal.conductIncomplete', refusalOf(afterCustomerTest, { type: 'set', field: 'conduct', value: { [first!.id]: 'kept' } }), checklist],
    ['refusal.attestationIncomplete', refusalOf(afterCustomerTest, { type: 'set', field: 'attestation', value: [first!.id] }), checklist],
    ['refusal.incompleteForm', refusalOf(createVisit(loose, ordinaryDay), { type: 'step', step: 'seal' }), loose],
    ['refusal.handedOver', handedOverRefusal({ type: 'set', item: 'form.fault-found', value: '改过' }), checklist],
  ];
  return list;
}


beforeAll(() => loadLocale('en'));
describe('the i18n tables', () => {
  it('have every UI key in both languages, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const table of [en, zhCN]) for (const value of Object.values(table)) expect(value.trim()).not.toBe('');
  });

  it('have every refusal key of the engine in both languages', () => {
    expect(Object.keys(refusalsZh).sort()).toEqual([...refusalKeys].sort());
    expect(Object.keys(refusalsEn).sort()).toEqual([...refusalKeys].sort());
  });

  it('use the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(zhCN)) expect(names(en[key]!), key).toEqual(names(zhCN[key]!));
  });

  it('keep the first screen\'s messages apart from the lazily loaded screens\' ones', () => {
    expect(Object.keys(coreZh).filter((key) => key in screensZh)).toEqual([]);
  });

  it('fill placeholders and leave a missing one visible', () => {
    expect(fill('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(translate('en', 'sign.satisfaction.n', { n: 4 })).toBe('4 of 5');
    expect(translate('zh-CN', 'list.downloaded', { count: 3 })).toBe('已下载 3 个任务');
  });
});

describe('a refusal message', () => {
  it('is produced for every refusal key by the real engine', async () => {
    const produced = (await realRefusals()).map(([expected, refusal]) => {
      expect(refusal.key).toBe(expected);
      return refusal.key;
    });
    expect(produced.sort()).toEqual([...refusalKeys].sort());
  });

  it.each(LOCALES)('names the rule in the checklist\'s %s words, and the item, with no placeholder left', async (locale) => {
    for (const [key, refusal, list] of await realRefusals()) {
      const message = formatRefusal(locale, list, refusal);
      expect(message, key).toContain(ruleById(list, refusal.rule)!.text[locale]);
      expect(message, key).not.toMatch(/\{\w+\}/);
      const item = typeof refusal.params.item === 'string' ? itemById(list, refusal.params.item) : undefined;
      if (item) expect(message, key).toContain(item.text[locale]);
    }
  });

  it('names what is missing and the condition in the user\'s language', async () => {
    const refusals = new Map((await realRefusals()).map(([key, refusal]) => [key, refusal]));
    const missing = refusals.get('refusal.missingPrerequisite')!;
    expect(formatRefusal('zh-CN', checklist, missing)).toContain(itemById(checklist, String(missing.params.missing))!.text['zh-CN']);
    expect(formatRefusal('en', checklist, refusals.get('refusal.notApplicable')!)).toContain('in a festival period');
    expect(formatRefusal('zh-CN', checklist, refusals.get('refusal.notApplicable')!)).toContain('节日期间');
    const conduct = refusals.get('refusal.conductIncomplete')!;
    expect(formatRefusal('en', checklist, conduct)).toContain(ruleById(checklist, String(conduct.params.missing))!.text.en);
  });

  it('still reads when the festival visit asks for the self-introduction out of order', () => {
    const state = run(createVisit(checklist, firstVisitInFestival), [], fakeClock());
    const refusal = refusalOf(state, { type: 'tick', item: 'greet.introduce' });
    expect(formatRefusal('en', checklist, refusal)).toBe(
      `First “${itemById(checklist, 'greet.hello')!.text.en}”, then “${itemById(checklist, 'greet.introduce')!.text.en}”. Rule: ${ruleById(checklist, 'greeting')!.text.en}`,
    );
  });

  it('names every missing item, and apart from the sentence each as a link to the item', () => {
    const refusal = refusalOf(createVisit(checklist, ordinaryDay), { type: 'step', step: 'start-visit' });
    const names = refusal.missing!.map((id) => itemById(checklist, id)!.text['zh-CN']);
    expect(names.length).toBe(6);
    const message = formatRefusal('zh-CN', checklist, refusal);
    for (const name of names) expect(message).toContain(`“${name}”`);
    const parts = formatRefusalParts('zh-CN', checklist, refusal, true);
    expect(parts.sentence).toBe(`请先完成以下 6 项，再进行“${itemById(checklist, 'step.start-visit')!.text['zh-CN']}”。`);
    expect(parts.missing).toEqual(refusal.missing!.map((id, i) => ({ id, label: names[i] })));
    expect(parts.because).toBe(`依据：${ruleById(checklist, 'dress')!.text['zh-CN']}`);
    expect(formatRefusalParts('en', checklist, refusal, true).sentence).toContain('the 6 items below');
  });

  it('names the log refused, not the prohibition, for an offer declined before the visit starts', () => {
    const fresh = createVisit(checklist, ordinaryDay);
    const cigarette = formatRefusal('zh-CN', checklist, refusalOf(fresh, { type: 'offer-declined', offer: 'cigarette', note: '' }));
    expect(cigarette).toContain('再进行“婉拒香烟”');
    expect(cigarette).not.toContain(itemById(checklist, 'ban.smoking')!.text['zh-CN']);
    expect(formatRefusal('en', checklist, refusalOf(fresh, { type: 'dispute', description: 'x' }))).toContain('then “Report the dispute”');
    for (const offer of OFFER_KINDS) {
      const rule = ruleById(checklist, reminderFor(checklist, offer).rule)!;
      const parts = formatRefusalParts('en', checklist, refusalOf(fresh, { type: 'offer-declined', offer, note: '' }));
      // the action refused (the one-tap log's own words), in both languages; the prohibition is only the rule
      expect(parts.sentence).toContain(`then “${translate('en', `offer.${offer}`)}”`);
      expect(parts.sentence).not.toContain(rule.text.en);
      expect(formatRefusalParts('zh-CN', checklist, refusalOf(fresh, { type: 'offer-declined', offer, note: '' })).sentence)
        .toMatch(new RegExp(`再进行“${translate('zh-CN', `offer.${offer}`)}”。$`));
    }
  });
});
