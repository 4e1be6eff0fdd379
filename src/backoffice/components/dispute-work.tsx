// A dispute's thread (notes, assignment, resolution, reopening, oldest first) and, for a role with
// `disputes.work`, the controls that add to it: the disputes page shows it under each card, the form
// page under the form. With `withStatus` it first says where the dispute stands (who has it, its age,
// its resolution).
import { useState } from 'preact/hooks';
import type { DisputeDetail, DisputeEvent } from '../../domain/api';
import { DISPUTE_NOTE_MAX, DISPUTE_OUTCOMES, type DisputeOutcome } from '../../domain/disputes';
import { Empty, ErrorMessage, Loading } from './feedback';
import { useApi, useI18n, useMay, useSession } from '../context';
import { formatDateTime, formatDuration } from '../format';
import { useAction, useLoad } from '../hooks';

export function DisputeWork({ formId, onChanged, withStatus = false }: { formId: string; onChanged(message: string): void; withStatus?: boolean }) {
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
      {withStatus && <DisputeStatus detail={loaded.data} />}
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

function DisputeStatus({ detail }: { detail: DisputeDetail }) {
  const { t, lang } = useI18n();
  const { dispute } = detail;
  return (
    <dl class="pairs" data-testid="dispute-status">
      <dt>{t('form.disputeStatus')}</dt>
      <dd data-testid="dispute-state" data-state={dispute.resolvedAt === null ? 'open' : 'resolved'}>
        {t(dispute.resolvedAt === null ? 'disputes.tab.open' : 'disputes.tab.resolved')}
      </dd>
      <dt>{t('disputes.assignee')}</dt>
      <dd data-testid="dispute-assignee">{dispute.assignee ? dispute.assignee.name : t('disputes.unassigned')}</dd>
      <dt>{t('disputes.age')}</dt>
      <dd data-testid="dispute-age">{formatDuration(dispute.ageMs, lang)}</dd>
      {dispute.resolvedAt !== null && (
        <>
          <dt>{t('disputes.resolvedAt', { at: formatDateTime(dispute.resolvedAt) })}</dt>
          <dd data-testid="dispute-resolution">
            {dispute.outcome && <span data-testid="dispute-outcome">{t(`disputes.outcome.${dispute.outcome}`)}</span>}
            {dispute.resolutionNote && <p class="prose">{dispute.resolutionNote}</p>}
          </dd>
        </>
      )}
    </dl>
  );
}
