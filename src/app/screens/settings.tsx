// Settings and storage: language, enrollment, whether the browser keeps our data, how much is used,
// forms waiting too long, and the export to a file for a phone with no network. Loaded on demand.
import { useEffect, useState } from 'preact/hooks';
import type { Technician } from '../../domain/api';
import { LOCALES, type Locale } from '../../domain/checklist';
import type { OutboxStatus } from '../../device/db';
import type { StaleForm, StorageStatus } from '../../device/storage-status';
import { useI18n, useServices } from '../context';
import { describeError } from '../errors';
import '../i18n/screens'; // this screen's messages

const LANGUAGE_NAMES: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };

type Outcome = { ok: boolean; message: string } | null;

function formatBytes(locale: Locale, bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

function Language() {
  const { t, locale, setLocale } = useI18n();
  return (
    <section aria-labelledby="language-title">
      <h2 id="language-title">{t('settings.language')}</h2>
      <div role="radiogroup" aria-labelledby="language-title" class="choice-row">
        {LOCALES.map((l) => (
          <button type="button" role="radio" aria-checked={locale === l} lang={l} class="choice" key={l} onClick={() => setLocale(l)} data-testid={`language-${l}`}>
            {LANGUAGE_NAMES[l]}
          </button>
        ))}
      </div>
    </section>
  );
}

function Enrollment() {
  const services = useServices();
  const i18n = useI18n();
  const { t } = i18n;
  const [technician, setTechnician] = useState<Technician | undefined>();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  useEffect(() => void services.settings.technician().then(setTechnician), []);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setOutcome(null);
    try {
      const enrolled = await services.sync.enroll(code);
      setCode('');
      // the technician's visits come down at once, so the visit list is the next and last stop; a
      // download that fails leaves the enrollment done and says so (the list's button tries again)
      const downloaded = await services.visits.download().then(
        (update) => t('settings.enrollDownloaded', { count: update.stored }),
        (error: unknown) => t('settings.enrollDownloadFailed', { message: describeError(i18n, error) }),
      );
      setTechnician(enrolled);
      setOutcome({ ok: true, message: `${t('settings.enrollDone', { name: enrolled.name })}${downloaded}` });
    } catch (error) {
      setOutcome({ ok: false, message: t('settings.enrollFailed', { message: describeError(i18n, error) }) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="enroll-title">
      <h2 id="enroll-title">{t('settings.enroll')}</h2>
      <p data-testid="enrolled-as">{technician ? t('settings.enrolledAs', { name: technician.name, id: technician.id }) : t('settings.notEnrolled')}</p>
      <form onSubmit={submit} class="item field">
        <label class="field-label" for="enroll-code">{t('settings.code')}</label>
        <input id="enroll-code" class="input" type="text" autoComplete="one-time-code" value={code} onInput={(e) => setCode(e.currentTarget.value)} data-testid="enroll-code" />
        <button type="submit" class="button button-primary" disabled={busy} data-testid="enroll-submit">{busy ? t('settings.enrolling') : t('settings.enrollSubmit')}</button>
      </form>
      {outcome && <p role={outcome.ok ? 'status' : 'alert'} class={outcome.ok ? 'ok' : 'alert'} data-testid="enroll-outcome">{outcome.message}</p>}
    </section>
  );
}

function SealLocation() {
  const services = useServices();
  const { t } = useI18n();
  const [choice, setChoice] = useState<'allowed' | 'declined' | undefined>();
  useEffect(() => void services.settings.sealLocation().then(setChoice), []);
  const choose = (next: 'allowed' | 'declined') => void services.settings.setSealLocation(next).then(() => setChoice(next));
  return (
    <section aria-labelledby="seal-location-title">
      <h2 id="seal-location-title">{t('sealLocation.title')}</h2>
      <p class="muted">{t('sealLocation.explain')}</p>
      <div role="radiogroup" aria-labelledby="seal-location-title" class="choice-row">
        {(['allowed', 'declined'] as const).map((c) => (
          <button type="button" role="radio" aria-checked={(choice ?? 'declined') === c} class="choice" key={c} onClick={() => choose(c)} data-testid={`seal-location-${c}`}>
            {t(c === 'allowed' ? 'sealLocation.on' : 'sealLocation.off')}
          </button>
        ))}
      </div>
    </section>
  );
}

function countByStatus(statuses: Map<string, OutboxStatus>): Record<OutboxStatus, number> {
  const counts: Record<OutboxStatus, number> = { queued: 0, sending: 0, synced: 0, rejected: 0, held: 0 };
  for (const status of statuses.values()) counts[status]++;
  return counts;
}

function Storage() {
  const services = useServices();
  const { t, locale, time } = useI18n();
  const [status, setStatus] = useState<StorageStatus | null>(null);
  const [stale, setStale] = useState<StaleForm[]>([]);
  const [counts, setCounts] = useState<Record<OutboxStatus, number> | null>(null);
  useEffect(() => {
    const read = () => {
      void services.storage.status().then(setStatus);
      void services.storage.staleForms().then(setStale);
      void services.outbox.statuses().then((statuses) => setCounts(countByStatus(statuses)));
    };
    read();
    return services.sync.subscribe(read);
  }, []);
  return (
    <section aria-labelledby="storage-title">
      <h2 id="storage-title">{t('settings.storage')}</h2>
      {status && (
        <>
          <p data-testid="storage-persisted" data-persisted={String(status.persisted)} class={status.persisted === false ? 'notice' : ''}>
            {status.persisted === null ? t('settings.persistUnknown') : status.persisted ? t('settings.persisted') : t('settings.notPersisted')}
          </p>
          <p data-testid="storage-estimate">
            {status.usageBytes !== null && status.quotaBytes !== null
              ? t('settings.estimate', { usage: formatBytes(locale, status.usageBytes), quota: formatBytes(locale, status.quotaBytes) })
              : t('settings.estimateUnknown')}
          </p>
        </>
      )}
      {counts && <p data-testid="storage-counts">{t('settings.counts', { queued: counts.queued + counts.sending, rejected: counts.rejected, held: counts.held, synced: counts.synced })}</p>}
      {stale.length > 0 ? (
        <div role="alert" class="alert" data-testid="stale-warning">
          <p>{t('settings.stale', { count: stale.length })}</p>
          <ul>
            {stale.map((form) => (
              <li key={form.formId}>{form.customerName} · {time(form.sealedAt, true)} · {t(`status.${form.status}`)}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p class="muted" data-testid="stale-none">{t('settings.noStale')}</p>
      )}
    </section>
  );
}

function Export() {
  const services = useServices();
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const exportFile = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      const bundle = await services.bundle.exportUnsent();
      const skipped = bundle.skipped.length === 0 ? '' : ` ${t('settings.exportSkipped', {
        count: bundle.skipped.length,
        reasons: bundle.skipped.map((s) => `${s.formId} (${s.errors.map((e) => `${e.path}: ${e.message}`).join('; ')})`).join(', '),
      })}`;
      if (bundle.formIds.length === 0) {
        setOutcome({ ok: bundle.skipped.length === 0, message: t('settings.exportNone') + skipped });
        return;
      }
      const url = URL.createObjectURL(bundle.blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = bundle.fileName;
      link.click();
      // the download has its own reference to the blob once it started
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setOutcome({ ok: bundle.skipped.length === 0, message: t('settings.exported', { count: bundle.formIds.length, file: bundle.fileName }) + skipped });
    } catch (error) {
      setOutcome({ ok: false, message: t('settings.exportFailed', { message: describeError(i18n, error) }) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="export-title">
      <h2 id="export-title">{t('settings.exportTitle')}</h2>
      <button type="button" class="button button-primary" onClick={() => void exportFile()} disabled={busy} data-testid="export-bundle">
        {busy ? t('settings.exporting') : t('settings.export')}
      </button>
      {outcome && <p role={outcome.ok ? 'status' : 'alert'} class={outcome.ok ? 'ok' : 'alert'} data-testid="export-outcome">{outcome.message}</p>}
    </section>
  );
}

export function Settings() {
  const { t } = useI18n();
  return (
    <div class="settings">
      <h1>{t('settings.title')}</h1>
      <Language />
      <Enrollment />
      <SealLocation />
      <Storage />
      <Export />
    </div>
  );
}
