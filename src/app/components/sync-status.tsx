// Where one sealed form stands on its way to the back office, in the technician's language.
import { useEffect, useState } from 'preact/hooks';
import type { StoredForm } from '../../device/db';
import { useI18n, useServices } from '../context';
import { formatRejection } from '../i18n/rejections';
import { useVisit } from '../phases/visit-context';
import { useSubscribed } from '../store';

/** The sync engine words a failure for the log; the technician reads only what it means for the form. */
function isNetworkFailure(error: string): boolean {
  return error.startsWith('could not reach the server') || error.startsWith('no answer from the server');
}

export function SyncStatus({ formId }: { formId: string }) {
  const { t, time, locale } = useI18n();
  const services = useServices();
  // the rules the form was filled under name the items a rejection refers to
  const { checklist } = useVisit().snapshot.loaded.state;
  const [stored, setStored] = useState<StoredForm | undefined>();
  const [busy, setBusy] = useState(false);
  const engine = useSubscribed(services.sync.state, services.sync.subscribe);
  useEffect(() => {
    const read = () => void services.outbox.get(formId).then(setStored);
    read();
    return services.sync.subscribe(read);
  }, [formId]);
  if (!stored) return null;
  const syncNow = async () => {
    setBusy(true);
    try {
      await services.sync.syncNow();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="sync-status" data-testid="sync-status" data-status={stored.status}>
      {stored.status === 'queued' && <p>{t('sync.queued')}</p>}
      {stored.status === 'sending' && <p>{t('sync.sending')}</p>}
      {stored.status === 'synced' && <p class="ok">{t('sync.synced', { when: stored.syncedAt ? time(stored.syncedAt, true) : '' })}</p>}
      {stored.status === 'held' && (
        <div class="alert" data-testid="sync-held">
          <p>{t('sync.held.explain')}</p>
          <p class="muted">{t('sync.held', { message: stored.lastError ?? '' })}</p>
        </div>
      )}
      {stored.status === 'rejected' && (
        <div class="alert" data-testid="sync-rejected">
          <p>{t('sync.rejected')}</p>
          <ul>
            {(stored.rejection ?? []).map((reason, i) => (
              <li key={i} title={`${reason.path}: ${reason.message}`} data-testid="rejection-reason">{formatRejection(locale, checklist, reason)}</li>
            ))}
          </ul>
        </div>
      )}
      {stored.status === 'queued' && engine.enrollmentNeeded && (
        <p class="notice" data-testid="sync-enrollment-needed"><a href="#/settings">{t('banner.notEnrolled')}</a></p>
      )}
      {stored.status === 'queued' && !engine.enrollmentNeeded && (stored.lastError ?? engine.lastReport?.error) && (
        <p class="muted" title={stored.lastError ?? engine.lastReport?.error ?? ''}>
          {t(isNetworkFailure(stored.lastError ?? engine.lastReport?.error ?? '') ? 'sync.retry.network' : 'sync.retry.server')}
        </p>
      )}
      {(stored.status === 'queued' || stored.status === 'sending') && (
        <button type="button" class="button" onClick={() => void syncNow()} disabled={busy} data-testid="sync-now">{t('sync.now')}</button>
      )}
    </div>
  );
}
