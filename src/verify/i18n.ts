// The verify page's words in Chinese and English. The page follows the browser's language, and its
// switch remembers the choice on this device.
import type { Locale } from '../domain/checklist';

const zh = {
  title: '服务单查验',
  brand: '上门服务助手',
  switchTo: 'English',
  switchLabel: 'Switch to English',
  checking: '正在向客服后台查验……',
  'held-verified.heading': '真实有效',
  'held-verified.text': '客服后台存有这份服务单，封签与存档完全一致，未被改动。',
  'held-failed.heading': '封签校验失败',
  'held-failed.text': '客服后台存有封签相同的服务单，但按存档重新计算的封签不一致。请联系公司核实。',
  'seal-differs.heading': '与存档不符',
  'seal-differs.text': '客服后台存有这个编号的服务单，但封签不同：这份副本不是后台存档的那一份，可能被伪造或改动过。请联系公司核实。',
  'conflict.heading': '存档有两个版本',
  'conflict.text': '这份副本的封签与后台收到的第二个版本一致，而后台以先收到的版本为准，第二个版本另行保存待核查。请联系公司核实。',
  'unknown.heading': '未找到这份服务单',
  'unknown.text': '客服后台没有这个编号的服务单。若维修刚刚完成，师傅的手机可能还没有上传，请稍后再查。',
  'malformed.heading': '二维码内容不完整或被改动',
  'malformed.text': '这不是本系统生成的查验码：编号或封签缺失、不完整或被改动过。请重新扫描服务单上的二维码。',
  'rate-limited.heading': '查验次数过多',
  'rate-limited.text': '这个网络的查验次数过多，请 {seconds} 秒后再试。',
  'error.heading': '暂时无法查验',
  'error.text': '无法连接客服后台（{detail}）。请检查网络后重试。',
  retry: '重试',
  visitDate: '上门日期',
  sealedAt: '封签时间',
  equipment: '设备',
  technician: '维修师傅',
  seal: '封签核验',
  'seal.verified': '已核验（SHA-256 与存档一致）',
  'seal.failed': '核验失败',
  deviceSignature: '设备签名',
  'deviceSignature.not-recorded': '未记录',
  'deviceSignature.recorded-not-checked': '已记录，尚未核验',
  'deviceSignature.verified': '已核验',
  'deviceSignature.failed': '核验失败',
  formId: '服务单编号',
  sealHash: '封签码',
  'part.form': '服务单编号',
  'part.seal': '封签',
  partWrong: '{part}有误',
  privacy: '本页只显示日期、设备与师傅姓名，不显示客户的任何信息。',
} as const;

export type VerifyMessageKey = keyof typeof zh;

const en: Record<VerifyMessageKey, string> = {
  title: 'Check a service form',
  brand: 'Onsite',
  switchTo: '中文',
  switchLabel: '切换到中文',
  checking: 'Asking the back office…',
  'held-verified.heading': 'Genuine',
  'held-verified.text': 'The back office holds this service form, and its seal matches the stored form exactly: nothing was changed.',
  'held-failed.heading': 'The seal does not verify',
  'held-failed.text': 'The back office holds a form with this seal, but the seal recomputed over the stored form differs. Please contact the company.',
  'seal-differs.heading': 'Does not match the stored form',
  'seal-differs.text': 'The back office holds a form with this number, but with a different seal: this copy is not the form the back office holds. It may be forged or altered. Please contact the company.',
  'conflict.heading': 'Two versions on file',
  'conflict.text': 'This copy\'s seal matches a second version the back office received; the first one received is the one on file, and the second is kept aside for review. Please contact the company.',
  'unknown.heading': 'No such form',
  'unknown.text': 'The back office holds no form with this number. If the repair has just finished, the technician\'s phone may not have sent it yet: please check again later.',
  'malformed.heading': 'The code is incomplete or altered',
  'malformed.text': 'This is not a code this system makes: the form number or the seal is missing, cut short or altered. Please scan the QR code on the service form again.',
  'rate-limited.heading': 'Too many checks',
  'rate-limited.text': 'Too many checks from this network; please try again in {seconds} s.',
  'error.heading': 'Cannot check right now',
  'error.text': 'The back office could not be reached ({detail}). Please check the network and try again.',
  retry: 'Try again',
  visitDate: 'Visit date',
  sealedAt: 'Sealed at',
  equipment: 'Equipment',
  technician: 'Technician',
  seal: 'Seal check',
  'seal.verified': 'verified (SHA-256 matches the stored form)',
  'seal.failed': 'does not verify',
  deviceSignature: 'Device signature',
  'deviceSignature.not-recorded': 'not recorded',
  'deviceSignature.recorded-not-checked': 'recorded, not checked yet',
  'deviceSignature.verified': 'verified',
  'deviceSignature.failed': 'does not verify',
  formId: 'Form number',
  sealHash: 'Seal (SHA-256)',
  'part.form': 'The form number',
  'part.seal': 'The seal',
  partWrong: '{part} is not valid',
  privacy: 'This page shows only the date, the equipment and the technician\'s name, nothing about the customer.',
};

export const VERIFY_MESSAGES: Record<Locale, Record<VerifyMessageKey, string>> = { 'zh-CN': zh, en };

export const VERIFY_LANG_KEY = 'onsite.verify.lang';

/** The saved choice, else the browser's first language that is Chinese or English, else Chinese. */
export function pickLocale(saved: string | null, browserLanguages: readonly string[]): Locale {
  if (saved === 'zh-CN' || saved === 'en') return saved;
  for (const language of browserLanguages) {
    const tag = language.toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export function verifyText(locale: Locale, key: VerifyMessageKey, params: Record<string, string | number> = {}): string {
  return VERIFY_MESSAGES[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
