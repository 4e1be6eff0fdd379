// Beside the seal check: whose phone signed the form (its device key, when it was enrolled), whether
// that signature still verifies, and where the seal was made, beside the visit's address.
import type { FormDetail } from '../../domain/api';
import { shortKeyId } from '../../domain/device-message';
import { useI18n } from '../context';
import { formatDateTime } from '../format';

export function DeviceCheckView({ detail }: { detail: FormDetail }) {
  const { t } = useI18n();
  const device = detail.device;
  if (!device) {
    return (
      <section class="seal seal-unsigned" aria-labelledby="device-heading" data-testid="device-check" data-device="unsigned">
        <h2 id="device-heading">{t('device.unsigned')}</h2>
        <p>{t('device.unsignedHelp')}</p>
      </section>
    );
  }
  const verified = device.check === 'verified';
  const place = device.location;
  return (
    <section class={verified ? 'seal seal-ok' : 'seal seal-failed'} aria-labelledby="device-heading" data-testid="device-check" data-device={device.check}>
      <h2 id="device-heading">{verified ? t('device.verified') : t('device.failed')}</h2>
      <p>{verified ? t('device.verifiedHelp') : t('device.failedHelp', { problem: device.problem ?? '' })}</p>
      <dl class="pairs">
        <dt>{t('device.key')}</dt>
        <dd><code title={device.keyId} data-testid="device-key">{shortKeyId(device.keyId)}</code></dd>
        <dt>{t('device.enrolledAt')}</dt>
        <dd class="time" data-testid="device-enrolled-at">{device.enrolledAt ? formatDateTime(device.enrolledAt) : t('device.notRegistered')}</dd>
        {device.supersededAt && <><dt>{t('device.supersededAt')}</dt><dd class="time">{formatDateTime(device.supersededAt)}</dd></>}
        {device.revokedAt && <><dt>{t('device.revokedAt')}</dt><dd class="time">{formatDateTime(device.revokedAt)}</dd></>}
        <dt>{t('device.place')}</dt>
        <dd data-testid="device-place">
          {place === undefined ? t('device.placeNotAllowed') : place === null ? t('device.placeNotGiven')
            : t('device.placeAt', { lat: place.lat.toFixed(6), lon: place.lon.toFixed(6), accuracy: Math.round(place.accuracyM) })}
        </dd>
        <dt>{t('device.visitAddress')}</dt>
        <dd data-testid="device-visit-address">{detail.form.customer.address}</dd>
      </dl>
    </section>
  );
}
