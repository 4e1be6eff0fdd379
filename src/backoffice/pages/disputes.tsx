// The dispute queue: forms with a dispute or a conduct breach, worked to the end — given to a clerk,
// a thread of notes, resolved with an outcome and a note, reopened when it comes back. Each row shows
// the dispute's age and who has it; a role without `disputes.work` sees everything and changes nothing.
import { useState } from 'preact/hooks';
import type { DisputeRecord } from '../../domain/api';
import type { DisputeListFilter } from '../api-client';
import { Empty, ErrorMessage, Loading, Notice } from '../components/feedback';
import { DisputeWork } from '../components/dispute-work';
import { IncidentTable } from '../components/incident-table';
import { PageHeading } from '../components/page-heading';
import { useApi, useI18n } from '../context';
import { formatDateTime, formatDuration } from '../format';
import { useLoad } from '../hooks';
import { routeHash, type DisputeStatus } from '../routes';

const STATUSES: readonly DisputeStatus[] = ['open', 'resolved'];
type AssigneeChoice = 'anyone' | 'mine' | 'unassigned' | `user:${string}`;

function listFilter(assignee: AssigneeChoice, overdue: boolean): DisputeListFilter {
  const filter: DisputeListFilter = {};
  if (assignee === 'mine' || assignee === 'unassigned') filter.assignee = assignee;
  else if (assignee.startsWith('user:')) filter.assignee = { userId: assignee.slice('user:'.length) };
  if (overdue) filter.overdue = true;
  return filter;
}

export function DisputesPage({ status }: { status: DisputeStatus }) {
  const { t } = useI18n();
  const api = useApi();
  const [assignee, setAssignee] = useState<AssigneeChoice>('anyone');
  const [overdue, setOverdue] = useState(false);
  const wantOverdue = overdue && status === 'open';
  const [disputes, reload] = useLoad(() => api.listDisputes(status, listFilter(assignee, wantOverdue)), [api, status, assignee, wantOverdue]);
  const [assignees] = useLoad(() => api.listDisputeAssignees(), [api]);
  const [notice, setNotice] = useState<string | null>(null);
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
      <form class="filters" onSubmit={(e) => e.preventDefault()} data-testid="disputes-filters">
        <div class="field">
          <label for="disputes-assignee">{t('disputes.filter.assignee')}</label>
          <select id="disputes-assignee" value={assignee} onChange={(e) => setAssignee(e.currentTarget.value as AssigneeChoice)} data-testid="disputes-filter-assignee">
            <option value="anyone">{t('disputes.filter.anyone')}</option>
            <option value="mine">{t('disputes.filter.mine')}</option>
            <option value="unassigned">{t('disputes.filter.unassigned')}</option>
            {assignees.data?.map((u) => <option key={u.id} value={`user:${u.id}`}>{u.name}</option>)}
          </select>
        </div>
        {status === 'open' && (
          <div class="field checkbox">
            <label>
              <input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.currentTarget.checked)} data-testid="disputes-filter-overdue" />
              {' '}{t('disputes.filter.overdue')}
            </label>
          </div>
        )}
      </form>
      {notice && <Notice testId="dispute-notice">{notice}</Notice>}
      {disputes.status === 'error' && <ErrorMessage error={disputes.error} />}
      {disputes.status === 'loading' && disputes.data === undefined && <Loading />}
      {disputes.data && (disputes.data.length === 0
        ? <Empty testId="disputes-empty">{t(status === 'open' ? 'disputes.noneOpen' : 'disputes.noneResolved')}</Empty>
        : (
          <ul class="cards" data-testid="disputes-list">
            {disputes.data.map((d) => (
              <li key={d.formId}>
                <DisputeCard dispute={d} onChanged={(message) => { setNotice(message); reload(); }} />
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}

function DisputeCard({ dispute, onChanged }: { dispute: DisputeRecord; onChanged(message: string): void }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const headingId = `dispute-${dispute.formId}`;
  return (
    <article class="card" aria-labelledby={headingId} data-testid="dispute" data-form-id={dispute.formId}>
      <h2 id={headingId}>{t('disputes.heading', { customer: dispute.customerName, date: dispute.visitDate })}</h2>
      <dl class="pairs">
        <dt>{t('disputes.technician')}</dt>
        <dd>{dispute.technicianName}</dd>
        <dt>{t('disputes.age')}</dt>
        <dd data-testid="dispute-age">{formatDuration(dispute.ageMs, lang)}</dd>
        <dt>{t('disputes.assignee')}</dt>
        <dd data-testid="dispute-assignee">{dispute.assignee ? dispute.assignee.name : t('disputes.unassigned')}</dd>
        <dt>{t('disputes.form')}</dt>
        <dd><a href={routeHash({ page: 'form', id: dispute.formId })} data-testid="dispute-form-link">{t('disputes.openForm')}</a> <code class="muted">{dispute.formId}</code></dd>
      </dl>
      <IncidentTable incidents={dispute.incidents} caption={t('disputes.incidents')} testId="dispute-incidents" />
      {dispute.resolvedAt && (
        <div class="resolution" data-testid="dispute-resolution">
          <p><strong>{t('disputes.resolvedAt', { at: formatDateTime(dispute.resolvedAt) })}</strong>
            {dispute.outcome && <> · <span data-testid="dispute-outcome">{t(`disputes.outcome.${dispute.outcome}`)}</span></>}</p>
          <p class="prose">{dispute.resolutionNote}</p>
        </div>
      )}
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="dispute-toggle">
        {t(open ? 'disputes.hideDetail' : 'disputes.showDetail')}
      </button>
      {open && <DisputeWork formId={dispute.formId} onChanged={onChanged} />}
    </article>
  );
}
