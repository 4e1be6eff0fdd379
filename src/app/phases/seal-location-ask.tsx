// Asked once, beside the seal: may the seal record where it is signed? Off until the technician says
// yes; the answer is kept and can be changed under Settings.
import { useEffect, useState } from 'preact/hooks';
import { useI18n, useServices } from '../context';

export function SealLocationAsk() {
  const { t } = useI18n();
  const services = useServices();
  const [asked, setAsked] = useState(true);
  useEffect(() => void services.settings.sealLocation().then((choice) => setAsked(choice !== undefined)), []);
  if (asked) return null;
  const answer = (choice: 'allowed' | 'declined') => void services.settings.setSealLocation(choice).then(() => setAsked(true));
  return (
    <div class="item notice" role="group" aria-labelledby="seal-location-ask" data-testid="seal-location-ask">
      <p id="seal-location-ask">{t('sealLocation.ask')}</p>
      <div class="choice-row">
        <button type="button" class="button" onClick={() => answer('allowed')} data-testid="seal-location-allow">{t('sealLocation.allow')}</button>
        <button type="button" class="button" onClick={() => answer('declined')} data-testid="seal-location-decline">{t('sealLocation.decline')}</button>
      </div>
    </div>
  );
}
