// The dispute queue: forms with a dispute or a conduct breach, open until a clerk resolves them with a note.
import { useState } from 'preact/hooks';
import type { DisputeRecord } from '../../domain/api';
import { Empty, ErrorMessage, Loading, Notice } from '../components/feedback';
import { IncidentTable } from '../components/incident-table';
import { PageHeading } from '../components/page-heading';
import { useApi, useI18n, useMay } from '../context';
import { formatDateTime } from '../format';
import { useAction, useLoad } from '../hooks';
import { routeHash, type DisputeStatus } from '../routes';

const STATUSES: readonly DisputeStatus[] = ['open', 'resolved'];

export function DisputesPage({ status }: { status: DisputeStatus }) {
  const { t } = useI18n();
  const api = useApi();
  const [disputes, reload] = useLoad(() => api.listDisputes(status), [api, status]);
  const [resolved, setResolved] = useState<string | null>(null);
  return (
    <section data-testid="page-disputes">
      <PageHeading title={t('disputes.title')} />
      <nav aria-label={t('disputes.tabs')}>
        <ul class="tabs">
          {STATUSES.map((s) => (
            <li key={s}>
              <a href={routeHash({ page: 'disputes', status: s })} aria-current={s === status ? 'page' : undefined} data-testid={`disputes-tab-${s}`}>
                {t(`disputes.tab.${s}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {resolved && <Notice testId="dispute-resolved-notice">{t('disputes.resolvedNotice', { id: resolved })}</Notice>}
      {disputes.status === 'error' && <ErrorMessage error={disputes.error} />}
      {disputes.status === 'loading' && disputes.data === undefined && <Loading />}
      {disputes.data && (disputes.data.length === 0
        ? <Empty testId="disputes-empty">{t(status === 'open' ? 'disputes.noneOpen' : 'disputes.noneResolved')}</Empty>
        : (
          <ul class="cards" data-testid="disputes-list">
            {disputes.data.map((d) => (
              <li key={d.formId}>
                <DisputeCard dispute={d} onResolved={() => { setResolved(d.formId); reload(); }} />
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}

function DisputeCard({ dispute, onResolved }: { dispute: DisputeRecord; onResolved(): void }) {
  const { t } = useI18n();
  const may = useMay();
  const headingId = `dispute-${dispute.formId}`;
  return (
    <article class="card" aria-labelledby={headingId} data-testid="dispute" data-form-id={dispute.formId}>
      <h2 id={headingId}>{t('disputes.heading', { customer: dispute.customerName, date: dispute.visitDate })}</h2>
      <dl class="pairs">
        <dt>{t('disputes.technician')}</dt>
        <dd>{dispute.technicianName}</dd>
        <dt>{t('disputes.form')}</dt>
        <dd><a href={routeHash({ page: 'form', id: dispute.formId })} data-testid="dispute-form-link">{t('disputes.openForm')}</a> <code class="muted">{dispute.formId}</code></dd>
      </dl>
      <IncidentTable incidents={dispute.incidents} caption={t('disputes.incidents')} testId="dispute-incidents" />
      {dispute.resolvedAt
        ? (
          <div class="resolution" data-testid="dispute-resolution">
            <p><strong>{t('disputes.resolvedAt', { at: formatDateTime(dispute.resolvedAt) })}</strong></p>
            <p class="prose">{dispute.resolutionNote}</p>
          </div>
        )
        : may('disputes.work') && <ResolveForm formId={dispute.formId} onResolved={onResolved} />}
    </article>
  );
}

function ResolveForm({ formId, onResolved }: { formId: string; onResolved(): void }) {
  const { t } = useI18n();
  const api = useApi();
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const { busy, error, run } = useAction();
  const noteId = `resolve-note-${formId}`;
  const submit = (event: Event) => {
    event.preventDefault();
    const trimmed = note.trim();
    setMissing(trimmed === '');
    if (trimmed === '') return;
    void run(async () => {
      await api.resolveDispute(formId, trimmed);
      onResolved();
    });
  };
  return (
    <form class="resolve" onSubmit={submit} noValidate data-testid="resolve-form">
      <div class="field">
        <label for={noteId}>{t('disputes.note')}</label>
        <textarea
          id={noteId}
          rows={3}
          maxLength={2000}
          required
          value={note}
          aria-invalid={missing ? true : undefined}
          aria-describedby={missing ? `${noteId}-error` : undefined}
          onInput={(e) => setNote(e.currentTarget.value)}
          data-testid="resolve-note"
        />
        {missing && <p id={`${noteId}-error`} class="field-error" data-testid="resolve-note-error">{t('disputes.noteRequired')}</p>}
      </div>
      <button type="submit" disabled={busy} data-testid="resolve-submit">{t('disputes.markResolved')}</button>
      {error !== null && <ErrorMessage error={error} testId="resolve-error" />}
    </form>
  );
}
