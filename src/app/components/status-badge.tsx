// first-load bundle: keep it small
import type { OutboxStatus } from '../../device/db';
import { useI18n } from '../context';

export type VisitStatus = 'new' | 'draft' | OutboxStatus;

export function StatusBadge({ status }: { status: VisitStatus }) {
  const { t } = useI18n();
  return <span class={`badge badge-${status}`} data-status={status}>{t(`status.${status}`)}</span>;
}
