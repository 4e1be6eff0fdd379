// What the verify page shows for each outcome of a check: the result's name (its heading, its text and
// its colour) and the facts beside it. Pure, so every outcome is tested without a browser.
import type { Locale } from '../domain/checklist';
import type { VerifyAnswer, VerifyCode } from '../domain/verify-link';
import type { FieldError } from '../domain/validation-issues';
import { verifyText, type VerifyMessageKey } from './i18n';

export type Outcome =
  | { kind: 'checking'; code: VerifyCode }
  | { kind: 'answer'; code: VerifyCode; answer: VerifyAnswer }
  | { kind: 'malformed'; problems: FieldError[] }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'error'; detail: string; code: VerifyCode };

export type ResultName = 'checking' | 'held-verified' | 'held-failed' | 'seal-differs' | 'conflict' | 'unknown' | 'malformed' | 'rate-limited' | 'error';
export type Tone = 'ok' | 'bad' | 'notice' | 'neutral';

export interface View {
  result: ResultName;
  tone: Tone;
  heading: string;
  text: string;
  /** label → value, in order; the form number and the seal are marked as codes */
  facts: Array<[string, string, 'code'?]>;
  /** the parts of a malformed code that are wrong, worded */
  problems: string[];
  retry: boolean;
}

function resultOf(outcome: Outcome): ResultName {
  switch (outcome.kind) {
    case 'answer':
      return outcome.answer.result === 'held' ? (outcome.answer.seal === 'verified' ? 'held-verified' : 'held-failed') : outcome.answer.result;
    default:
      return outcome.kind;
  }
}

const TONES: Record<ResultName, Tone> = {
  checking: 'neutral', 'held-verified': 'ok', 'held-failed': 'bad', 'seal-differs': 'bad', conflict: 'notice',
  unknown: 'notice', malformed: 'bad', 'rate-limited': 'notice', error: 'notice',
};

export function viewOf(outcome: Outcome, locale: Locale, formatTime: (iso: string) => string): View {
  const t = (key: VerifyMessageKey, params?: Record<string, string | number>) => verifyText(locale, key, params);
  const result = resultOf(outcome);
  const facts: View['facts'] = [];
  if (outcome.kind === 'answer' && outcome.answer.result === 'held') {
    const a = outcome.answer;
    facts.push(
      [t('visitDate'), a.visitDate],
      [t('sealedAt'), formatTime(a.sealedAt)],
      [t('equipment'), [a.equipment.type, a.equipment.model].filter(Boolean).join(' · ')],
      [t('technician'), a.technicianName],
      [t('seal'), t(a.seal === 'verified' ? 'seal.verified' : 'seal.failed')],
      [t('deviceSignature'), t(`deviceSignature.${a.deviceSignature}`)],
    );
  }
  if (outcome.kind === 'answer' || outcome.kind === 'checking' || outcome.kind === 'error') {
    facts.push([t('formId'), outcome.code.formId, 'code'], [t('sealHash'), outcome.code.seal, 'code']);
  }
  const problems = outcome.kind === 'malformed'
    ? outcome.problems.map((p) => t('partWrong', { part: p.path === 'form' || p.path === 'seal' ? t(`part.${p.path}`) : p.path }))
    : [];
  const text = outcome.kind === 'rate-limited'
    ? t('rate-limited.text', { seconds: outcome.retryAfterSeconds })
    : outcome.kind === 'error' ? t('error.text', { detail: outcome.detail })
      : result === 'checking' ? '' : t(`${result}.text` as VerifyMessageKey);
  return {
    result,
    tone: TONES[result],
    heading: result === 'checking' ? t('checking') : t(`${result}.heading` as VerifyMessageKey),
    text,
    facts,
    problems,
    retry: outcome.kind === 'error' || outcome.kind === 'rate-limited',
  };
}
