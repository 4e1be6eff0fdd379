// first-load bundle: keep it small
// Errors as the technician reads them: a failed write says plainly that nothing saved before is lost;
// the sync modules' failures (loaded lazily, so recognised by name) are worded from their reason codes.
import { DraftLoadError, DraftWriteError, NotEnrolledError } from '../device/drafts';
import type { I18n } from './context';
import type { MessageKey } from './i18n';

const REASONED: Record<string, { prefix: 'download' | 'enroll'; reasons: readonly string[] }> = {
  VisitsDownloadError: { prefix: 'download', reasons: ['enrollment-needed', 'network', 'server', 'malformed-answer'] },
  EnrollError: { prefix: 'enroll', reasons: ['invalid-code', 'code-not-accepted', 'too-many-attempts', 'network', 'server', 'malformed-answer'] },
};

export function describeError(i18n: I18n, error: unknown): string {
  if (error instanceof DraftWriteError) {
    if (error.reason === 'quota') return i18n.t('error.quota');
    if (error.reason === 'conflict') return i18n.t('error.conflict');
    if (error.reason === 'closed') return i18n.t('error.closed');
    return i18n.t('error.failed', { message: messageOf(error.cause) });
  }
  if (error instanceof NotEnrolledError) return i18n.t('banner.notEnrolled');
  if (error instanceof DraftLoadError && error.checklist) {
    return i18n.t('draft.unknownChecklist', { checklist: `${error.checklist.id} v${error.checklist.version}` });
  }
  if (error instanceof Error) {
    const known = REASONED[error.name];
    const reason = (error as Error & { reason?: unknown }).reason;
    if (known && typeof reason === 'string' && known.reasons.includes(reason)) {
      return i18n.t(`${known.prefix}.${reason}` as MessageKey, { message: error.message });
    }
  }
  return messageOf(error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
