// A form's flags as words, not colours alone: dispute, conduct breach, clock drift, conflict.
import type { FormSummary } from '../../domain/api';
import { useI18n } from '../context';
import { isLargeDrift } from '../format';

export function FormFlags({ summary }: { summary: FormSummary }) {
  const { t } = useI18n();
  const flags: Array<{ key: string; text: string; tone: 'warn' | 'alert' | 'info' }> = [];
  if (summary.dispute) {
    flags.push({ key: 'dispute', text: summary.disputeResolved ? t('flag.disputeResolved') : t('flag.dispute'), tone: summary.disputeResolved ? 'info' : 'alert' });
  }
  if (summary.conductBreach) flags.push({ key: 'conduct-breach', text: t('flag.conductBreach'), tone: 'alert' });
  if (isLargeDrift(summary.clockDriftMs)) flags.push({ key: 'clock-drift', text: t('flag.clockDrift'), tone: 'warn' });
  if (summary.state === 'conflict') flags.push({ key: 'conflict', text: t('flag.conflict'), tone: 'warn' });
  if (flags.length === 0) return <span class="muted">—</span>;
  return (
    <ul class="flags">
      {flags.map((f) => (
        <li key={f.key} class={`badge badge-${f.tone}`} data-testid={`flag-${f.key}`}>{f.text}</li>
      ))}
    </ul>
  );
}
