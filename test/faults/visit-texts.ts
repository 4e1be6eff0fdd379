// Varied visits for the simulated phones: customers, equipment and everything the technician and the
// customer write, drawn from a seeded generator (mostly Chinese, some English, an emoji now and then),
// so no two sealed forms of a fault run are alike and a run replays from its seed.
import type { StoredVisit } from '../../src/device/db';
import type { Signature, VisitAction, VisitFacts } from '../../src/domain/form-schema';
import { OFFER_KINDS } from '../../src/domain/checklist';
import { checklist, completeVisitActions } from '../fixtures/visits';
import { targetItem } from '../fixtures/visit-actions';
import { randomInt, type Random } from './seeded-random';

const CUSTOMERS = ['某市环卫处', '城东环卫所', '绿源清洁服务有限公司', '市政道路养护中心', '开发区物业管理处', '华南垃圾转运站', 'Riverside Sanitation Dept.', '西湖区城管局'];
const DISTRICTS = ['朝阳区', '浦东新区', '天河区', '武侯区', '鼓楼区', '江北区'];
const ROADS = ['建设路', '人民大道', '环城北路', '工业园三路', '解放西街', '滨江大道'];
const EQUIPMENT = ['洗扫车', '压缩式垃圾车', '扫路车', '洒水车', '勾臂垃圾车', '餐厨垃圾车', '高压清洗车'];
const ACCOUNTS = ['清扫车主刷不转，有异响。', '液压系统漏油，举升无力。', '洒水泵不出水，压力表读数为零。', '垃圾箱压缩到一半就停了。', '启动后仪表报故障码 E07。', 'The side brush stops after ten minutes.'];
const FAULTS = ['主刷电机碳刷磨损', '液压油管接头松动', '水泵叶轮卡死', '压缩板限位开关损坏', '控制器接插件氧化', '吸嘴密封条老化'];
const WORK = ['更换碳刷，清理刷盘', '紧固接头，补充液压油', '拆洗水泵，更换叶轮', '更换限位开关并调试', '清理接插件，涂导电膏', '更换密封条，试吸正常'];
const PARTS = ['碳刷', '液压油管', '水泵叶轮', '限位开关', '密封条', '保险丝', 'O 型圈'];
const OPINIONS = ['修得很好，师傅很专业。', '速度快，态度好 👍', '基本满意，希望下次早点到。', '问题解决了，谢谢！', 'Fixed quickly, thank you.', '师傅讲解清楚，满意。'];
const SIGNERS = ['王先生', '李女士', '张经理', '陈主任', '刘师傅', 'Mr. Zhao'];
const NOTES = ['', '运转正常', '空载试车 5 分钟', '负载试车，无异响', 'OK'];

function pick<T>(random: Random, list: readonly T[]): T {
  return list[randomInt(random, 0, list.length - 1)]!;
}

/** A visit created on the phone ("new visit"), its texts drawn from `random`. */
export function variedVisit(random: Random, id: string, technicianId: string, now: Date): StoredVisit {
  return {
    id,
    technicianId,
    scheduledDate: now.toISOString().slice(0, 10),
    firstVisit: random() < 0.3,
    notes: '',
    customer: {
      name: `${pick(random, CUSTOMERS)}${randomInt(random, 1, 99)}号站`,
      phone: `1${randomInt(random, 30, 99)} ${randomInt(random, 1000, 9999)} ${randomInt(random, 1000, 9999)}`,
      address: `${pick(random, DISTRICTS)}${pick(random, ROADS)}${randomInt(random, 1, 888)}号`,
    },
    equipment: { type: pick(random, EQUIPMENT), model: `XS-${randomInt(random, 1000, 9999)}`, serial: `SN-${randomInt(random, 100000, 999999)}` },
    source: 'device',
    createdAt: now.toISOString(),
  };
}

/**
 * A complete, rule-abiding visit up to (not including) the seal, as the technician would walk it, with
 * its texts, parts, declined offers and test-run notes drawn from `random`.
 */
export function variedVisitActions(random: Random, facts: VisitFacts, signature: Signature): VisitAction[] {
  const text: Record<string, unknown> = {
    customerAccount: `${pick(random, ACCOUNTS)}（第 ${randomInt(random, 1, 9)} 次报修）`,
    faultFound: pick(random, FAULTS),
    workDone: pick(random, WORK),
    partsUsed: Array.from({ length: randomInt(random, 0, 3) }, () => ({ name: pick(random, PARTS), quantity: randomInt(random, 1, 4) })),
    customerOpinion: pick(random, OPINIONS),
    satisfaction: randomInt(random, 3, 5),
    signerName: pick(random, SIGNERS),
  };
  const offers = OFFER_KINDS.filter(() => random() < 0.3);
  const actions: VisitAction[] = [];
  for (const action of completeVisitActions(facts, signature)) {
    if (action.type === 'step' && action.step === 'seal') break;
    if (action.type === 'offer-declined') {
      actions.push(...offers.map((offer): VisitAction => ({ type: 'offer-declined', offer, note: random() < 0.5 ? '' : '已婉拒' })));
    } else if (action.type === 'test') {
      actions.push({ ...action, note: pick(random, NOTES) });
    } else if (action.type === 'set' && (targetItem(checklist, action)?.field ?? '') in text) {
      actions.push({ ...action, value: text[targetItem(checklist, action)!.field as keyof typeof text] } as VisitAction);
    } else {
      actions.push(action);
    }
  }
  return actions;
}
