// Incidents of a visit (declined offers, disputes, conduct breaches) with the rule each concerns.
import type { Checklist } from '../../domain/checklist';
import type { VisitEvent } from '../../domain/form-schema';
import { ruleLabel, ruleLabelInAnyVersion } from '../checklist-labels';
import { incidentDetails, incidentKindLabel } from '../describe-text';
import { useI18n } from '../context';
import { formatDateTime } from '../format';
import { TableWrap } from './table-wrap';

/** A form's incidents have `flagged`; a dispute record's come without it. */
type Row = { kind: string; rule: string; detail: string; at: string; flagged?: boolean };

interface Props {
  incidents: readonly Row[];
  /** the version the form was filled under (null: not one this back office knows); a dispute record names none */
  checklist?: Checklist | null;
  /** the form's events, which say what each declined offer was; a dispute record has none */
  events?: readonly VisitEvent[];
  caption: string;
  /** under a heading that already says what the table is */
  hideCaption?: boolean;
  testId?: string;
}

export function IncidentTable({ incidents, checklist, events, caption, hideCaption = false, testId = 'incidents' }: Props) {
  const { lang, t } = useI18n();
  const showFlagged = incidents.some((i) => i.flagged !== undefined);
  const details = incidentDetails(incidents, events, checklist ?? undefined, lang, t);
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
              <td>{checklist === undefined ? ruleLabelInAnyVersion(incident.rule, lang) : ruleLabel(checklist ?? undefined, incident.rule, lang)}</td>
              <td class="prose">{details[i]}</td>
              <td class="time">{formatDateTime(incident.at)}</td>
              {showFlagged && <td>{incident.flagged ? t('common.yes') : t('common.no')}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
