// 三必须③: the seal. "Saved" appears only once the strict transaction has completed.
import type { ChecklistItem } from '../../domain/checklist';
import { useI18n } from '../context';
import { Feedback } from './controls';
import { useVisit } from './visit-context';
import { SealLocationAsk } from './seal-location-ask';

export function SealButton({ item }: { item: ChecklistItem }) {
  const { t } = useI18n();
  const { session, snapshot } = useVisit();
  if (snapshot.loaded.state.sealed) return null;
  return (
    <div class="item seal">
      <SealLocationAsk />
      <button type="button" class="button button-primary button-large" disabled={snapshot.saving} onClick={() => void session.seal(item.id)} data-testid="step-seal">
        {snapshot.saving ? t('sign.sealing') : t('sign.seal')}
      </button>
      <Feedback target={item.id} />
    </div>
  );
}
