// Incidents of a visit (declined offers, disputes, conduct breaches) with the rule each concerns.
import { incidentDetail, incidentKindLabel, ruleLabel } from '../checklist-labels';
import { useI18n } from '../context';
import { formatDateTime } from '../format';
import { TableWrap } from './table-wrap';

/** A form's incidents have `flagged`; a dispute record's come without it. */
type Row = { kind: string; rule: string; detail: string; at: string; flagged?: boolean };

interface Props {
  incidents: readonly Row[];
  caption: string;
  /** under a heading that already says what the table is */
  hideCaption?: boolean;
  testId?: string;
}

export function IncidentTable({ incidents, caption, hideCaption = false, testId = 'incidents' }: Props) {
  const { lang, t } = useI18n();
  const showFlagged = incidents.some((i) => i.flagged !== undefined);
  return (
    <TableWrap label={caption}>
      <table data-testid={testId}>
        <caption class={hideCaption ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('incident.col.kind')}</th>
            <th scope="col">{t('incident.col.rule')}</th>
            <th scope="col">{t('incident.col.detail')}</th>
            <th scope="col">{t('incident.col.at')}</th>
            {showFlagged && <th scope="col">{t('incident.col.flagged')}</th>}
          </tr>
        </thead>
        <tbody>
          {incidents.map((incident, i) => (
            <tr key={i} data-testid="incident-row" class={incident.kind === 'declined-offer' ? undefined : 'row-flagged'}>
              <td>{incidentKindLabel(incident.kind, t)}</td>
              <td>{ruleLabel(incident.rule, lang)}</td>
              <td class="prose">{incidentDetail(incident, t)}</td>
              <td class="time">{formatDateTime(incident.at)}</td>
              {showFlagged && <td>{incident.flagged ? t('common.yes') : t('common.no')}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
