// The equipment's last repairs (same serial), as downloaded with the visit: read before arrival, offline.
import type { PastRepair } from '../../domain/api';
import { useI18n } from '../context';

export function EquipmentHistory({ history, open }: { history: readonly PastRepair[]; open: boolean }) {
  const { t } = useI18n();
  if (history.length === 0) return <p class="muted" data-testid="equipment-history-none">{t('history.none')}</p>;
  return (
    <details class="equipment-history" open={open} data-testid="equipment-history">
      <summary>{t('history.title', { count: history.length })}</summary>
      <ol>
        {history.map((repair, i) => (
          <li key={i} data-testid="past-repair">
            <strong>{repair.visitDate}</strong>
            <span> · {t('history.fault', { text: repair.faultFound })}</span>
            <span> · {t('history.work', { text: repair.workDone })}</span>
            <span> · {t('history.parts', {
              text: repair.partsUsed.length === 0 ? t('history.noParts') : repair.partsUsed.map((p) => `${p.name} ×${p.quantity}`).join(t('history.separator')),
            })}</span>
          </li>
        ))}
      </ol>
    </details>
  );
}
