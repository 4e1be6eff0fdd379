// The dispute queue: forms with a dispute or a conduct breach, worked to the end — given to a clerk,
// a thread of notes, resolved with an outcome and a note, reopened when it comes back. Each row shows
// the dispute's age and who has it; a role without `disputes.work` sees everything and changes nothing.
import { useState } from 'preact/hooks';
import type { DisputeDetail, DisputeEvent, DisputeRecord } from '../../domain/api';
import { DISPUTE_NOTE_MAX, DISPUTE_OUTCOMES, type DisputeOutcome } from '../../domain/disputes';
import type { DisputeListFilter } from '../api-client';
import { Empty, ErrorMessage, Loading, Notice } from '../components/feedback';
import { IncidentTable } from '../components/incident-table';
import { PageHeading } from '../components/page-heading';
import { useApi, useI18n, useMay, useSession } from '../context';
import { formatDateTime, formatDuration } from '../format';
import { useAction, useLoad } from '../hooks';
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
      {open && <DisputeDetailView formId={dispute.formId} onChanged={onChanged} />}
    </article>
  );
}

function DisputeDetailView({ formId, onChanged }: { formId: string; onChanged(message: string): void }) {
  const { t } = useI18n();
  const api = useApi();
  const may = useMay();
  const [loaded, reload] = useLoad(() => api.getDispute(formId), [api, formId]);
  const [assignees] = useLoad(() => (may('disputes.work') ? api.listDisputeAssignees() : Promise.resolve([])), [api]);
  const { session } = useSession();
  const action = useAction();
  /** makes the change, then reloads the thread and the list; answers whether it was made (a failed note is kept in its box) */
  const run = async (message: string, work: () => Promise<DisputeDetail>): Promise<boolean> => {
    let made = false;
    await action.run(async () => {
      await work();
      made = true;
      reload();
      onChanged(message);
    });
    return made;
  };
  if (loaded.status === 'error') return <ErrorMessage error={loaded.error} testId="dispute-detail-error" />;
  if (!loaded.data) return <Loading />;
  const { dispute, events } = loaded.data;
  return (
    <div class="dispute-detail" data-testid="dispute-detail">
      <h3>{t('disputes.thread')}</h3>
      {events.length === 0
        ? <Empty testId="dispute-thread-empty">{t('disputes.threadEmpty')}</Empty>
        : <ol class="thread" data-testid="dispute-thread">{events.map((e) => <ThreadLine key={e.id} event={e} />)}</ol>}
      {may('disputes.work') && (
        <div class="dispute-actions" data-testid="dispute-actions">
          <div class="field">
            <label for={`assignee-${formId}`}>{t('disputes.assignTo')}</label>
            <select
              id={`assignee-${formId}`}
              value={dispute.assignee?.id ?? ''}
              disabled={action.busy}
              onChange={(e) => {
                const userId = e.currentTarget.value || null;
                void run(t('disputes.assignedNotice'), () => api.assignDispute(formId, userId));
              }}
              data-testid="dispute-assignee-picker"
            >
              <option value="">{t('disputes.unassigned')}</option>
              {assignees.data?.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
            </select>
            {dispute.assignee?.id !== session.user.id && (
              <button type="button" disabled={action.busy} onClick={() => void run(t('disputes.assignedNotice'), () => api.assignDispute(formId, session.user.id))} data-testid="dispute-assign-me">
                {t('disputes.assignToMe')}
              </button>
            )}
          </div>
          <NoteForm
            id={`note-${formId}`} label={t('disputes.addNote')} submitLabel={t('disputes.addNoteSubmit')} testId="dispute-note" busy={action.busy}
            onSubmit={(text) => run(t('disputes.notedNotice'), () => api.addDisputeNote(formId, text))}
          />
          {dispute.resolvedAt === null
            ? (
              <NoteForm
                id={`resolve-${formId}`} label={t('disputes.note')} submitLabel={t('disputes.markResolved')} testId="resolve" busy={action.busy} withOutcome
                onSubmit={(note, outcome) => run(t('disputes.resolvedNotice', { id: formId }), () => api.resolveDispute(formId, outcome!, note))}
              />
            )
            : (
              <NoteForm
                id={`reopen-${formId}`} label={t('disputes.reopenNote')} submitLabel={t('disputes.reopen')} testId="reopen" busy={action.busy}
                onSubmit={(note) => run(t('disputes.reopenedNotice', { id: formId }), () => api.reopenDispute(formId, note))}
              />
            )}
          {action.error !== null && <ErrorMessage error={action.error} testId="dispute-action-error" />}
        </div>
      )}
    </div>
  );
}

function ThreadLine({ event }: { event: DisputeEvent }) {
  const { t } = useI18n();
  const who = event.userName || t('disputes.event.beforeThread');
  const what = event.kind === 'assigned'
    ? (event.assignee ? t('disputes.event.assigned', { name: event.assignee.name }) : t('disputes.event.unassigned'))
    : event.kind === 'resolved'
      ? t('disputes.event.resolved', { outcome: event.outcome ? t(`disputes.outcome.${event.outcome}`) : '' })
      : t(`disputes.event.${event.kind}`);
  return (
    <li data-testid="dispute-event" data-kind={event.kind}>
      <p><strong>{who}</strong> · <time dateTime={event.at}>{formatDateTime(event.at)}</time> · {what}</p>
      {event.note !== null && <p class="prose" data-testid="dispute-event-note">{event.note}</p>}
    </li>
  );
}

function NoteForm({ id, label, submitLabel, testId, busy, withOutcome = false, onSubmit }: {
  id: string; label: string; submitLabel: string; testId: string; busy: boolean; withOutcome?: boolean;
  onSubmit(note: string, outcome?: DisputeOutcome): Promise<boolean>;
}) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState<DisputeOutcome | ''>('');
  const [missing, setMissing] = useState<{ note: boolean; outcome: boolean }>({ note: false, outcome: false });
  const submit = (event: Event) => {
    event.preventDefault();
    const trimmed = note.trim();
    const now = { note: trimmed === '', outcome: withOutcome && outcome === '' };
    setMissing(now);
    if (now.note || now.outcome) return;
    void onSubmit(trimmed, outcome === '' ? undefined : outcome).then((made) => {
      if (made) { setNote(''); setOutcome(''); }
    });
  };
  return (
    <form class="resolve" onSubmit={submit} noValidate data-testid={`${testId}-form`}>
      {withOutcome && (
        <div class="field">
          <label for={`${id}-outcome`}>{t('disputes.outcome')}</label>
          <select
            id={`${id}-outcome`} value={outcome} required
            aria-invalid={missing.outcome ? true : undefined} aria-describedby={missing.outcome ? `${id}-outcome-error` : undefined}
            onChange={(e) => setOutcome(e.currentTarget.value as DisputeOutcome | '')} data-testid={`${testId}-outcome`}
          >
            <option value="">{t('disputes.outcomeChoose')}</option>
            {DISPUTE_OUTCOMES.map((o) => <option key={o} value={o}>{t(`disputes.outcome.${o}`)}</option>)}
          </select>
          {missing.outcome && <p id={`${id}-outcome-error`} class="field-error" data-testid={`${testId}-outcome-error`}>{t('disputes.outcomeRequired')}</p>}
        </div>
      )}
      <div class="field">
        <label for={id}>{label}</label>
        <textarea
          id={id} rows={3} maxLength={DISPUTE_NOTE_MAX} required value={note}
          aria-invalid={missing.note ? true : undefined} aria-describedby={missing.note ? `${id}-error` : undefined}
          onInput={(e) => setNote(e.currentTarget.value)} data-testid={`${testId}-note`}
        />
        {missing.note && <p id={`${id}-error`} class="field-error" data-testid={`${testId}-note-error`}>{t('disputes.noteRequired')}</p>}
      </div>
      <button type="submit" disabled={busy} data-testid={`${testId}-submit`}>{submitLabel}</button>
    </form>
  );
}
