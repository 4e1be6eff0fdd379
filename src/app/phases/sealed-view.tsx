// The sealed form: "saved" (the state shown is the saved one), its hash as IndexedDB holds it, the
// customer copy and where the form stands on its way to the back office.
import { useEffect, useState } from 'preact/hooks';
import { SyncStatus } from '../components/sync-status';
import { useI18n, useServices } from '../context';
import { href } from '../router';
import { useVisit } from './visit-context';
import type { StoredForm } from '../../device/db';
import { shortKeyId } from '../../domain/device-message';

export function SealedView() {
  const { t, time } = useI18n();
  const services = useServices();
  const { snapshot } = useVisit();
  const { draft, state } = snapshot.loaded;
  const sealEvent = state.events.at(-1);
  const [hash, setHash] = useState<string | null>(snapshot.sealed?.form.seal.hash ?? null);
  const [device, setDevice] = useState<StoredForm['device'] | null>(snapshot.sealed ? snapshot.sealed.device : null);
  useEffect(() => void services.outbox.get(draft.formId).then((stored) => {
    setHash(stored?.form.seal.hash ?? null);
    setDevice(stored ? stored.device : null);
  }), [draft.formId]);
  return (
    <section class="sealed" aria-labelledby="sealed-title">
      <h2 id="sealed-title">{t('sealed.title')}</h2>
      <p class="ok" role="status" data-testid="sealed-saved">
        ✓ {t('sealed.saved')} {sealEvent && <time dateTime={sealEvent.at}>{time(sealEvent.at, true)}</time>}
      </p>
      {hash && (
        <p>
          {t('sealed.hash')}: <code class="hash" data-testid="seal-hash">{hash}</code>
        </p>
      )}
      {device !== null && (
        <p data-testid="sealed-device" data-signed={String(device !== undefined)}>
          {device === undefined ? t('sealed.unsignedByDevice') : t('sealed.signedByDevice', { key: shortKeyId(device.keyId) })}
          {device?.location !== undefined && ` · ${device.location === null ? t('sealed.placeNotGiven')
            : t('sealed.place', { lat: device.location.lat.toFixed(5), lon: device.location.lon.toFixed(5), accuracy: Math.round(device.location.accuracyM) })}`}
        </p>
      )}
      <a class="button button-primary" href={href({ name: 'copy', formId: draft.formId })} data-testid="copy-link">{t('sealed.copy')}</a>
      <h3>{t('sealed.sync')}</h3>
      <SyncStatus formId={draft.formId} />
    </section>
  );
}
