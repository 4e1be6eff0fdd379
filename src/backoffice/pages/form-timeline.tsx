// The time line of every event: the phone's wall-clock time, the time since the visit opened (immune
// to clock changes), and the server's receipt time with the drift between the two clocks.
import type { FormSummary } from '../../domain/api';
import type { SealedForm } from '../../domain/form-schema';
import { checklistOf } from '../checklist-labels';
import { eventLines } from '../describe-text';
import { TableWrap } from '../components/table-wrap';
import { useI18n } from '../context';
import { driftText, formatDateTime, formatDuration, formatElapsed, isLargeDrift, serverClockTime } from '../format';

export function FormTimeline({ form, summary }: { form: SealedForm; summary: FormSummary }) {
  const { lang, t } = useI18n();
  const checklist = checklistOf(form.checklist);
  const lines = eventLines(checklist, form.events, lang, t);
  const drift = summary.clockDriftMs;
  const large = isLargeDrift(drift);
  return (
    <section class="card" data-testid="timeline">
      <h2>{t('timeline.title')}</h2>
      <dl class="pairs">
        <dt>{t('timeline.receivedAt')}</dt>
        <dd class="time" data-testid="timeline-received-at">{formatDateTime(summary.receivedAt)}</dd>
        <dt>{t('timeline.drift')}</dt>
        <dd data-testid="timeline-drift">{driftText(drift, lang, t)}</dd>
      </dl>
      {large && <p class="warning" role="note" data-testid="drift-warning">{t('timeline.driftWarning', { duration: formatDuration(drift ?? 0, lang) })}</p>}
      <TableWrap label={t('timeline.title')}>
        <table data-testid="timeline-table">
          <caption class="visually-hidden">{t('timeline.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('timeline.seq')}</th>
              <th scope="col">{t('timeline.deviceTime')}</th>
              {large && <th scope="col">{t('timeline.serverClockTime')}</th>}
              <th scope="col">{t('timeline.elapsed')}</th>
              <th scope="col">{t('timeline.event')}</th>
            </tr>
          </thead>
          <tbody>
            {form.events.map((event, i) => {
              const corrected = large && drift !== null ? serverClockTime(event.at, drift) : null;
              return (
                <tr key={event.seq} data-testid="timeline-event" data-seq={event.seq}>
                  <td class="num">{event.seq}</td>
                  <td class="time">{formatDateTime(event.at)}</td>
                  {large && <td class="time">{corrected ? formatDateTime(corrected) : '—'}</td>}
                  <td class="time">{formatElapsed(event.elapsedMs)}</td>
                  <td class="prose">{lines[i]}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr data-testid="timeline-receipt">
              <td />
              <td class="time" colSpan={large ? 3 : 2}>{formatDateTime(summary.receivedAt)}</td>
              <td>{t('timeline.receivedByServer')}</td>
            </tr>
          </tfoot>
        </table>
      </TableWrap>
    </section>
  );
}
