// Later submissions of a form id with another hash: stored and flagged, never replacing the first.
import type { ConflictRecord } from '../../domain/api';
import { useI18n } from '../context';
import { formatDateTime } from '../format';
import { routeHash } from '../routes';
import { TableWrap } from './table-wrap';

interface Props {
  conflicts: readonly ConflictRecord[];
  caption: string;
  /** technician id → name, where known */
  names?: ReadonlyMap<string, string>;
  /** on a form's own page the link back to it says nothing new */
  linkForms?: boolean;
}

export function ConflictTable({ conflicts, caption, names, linkForms = true }: Props) {
  const { t } = useI18n();
  return (
    <TableWrap label={caption}>
      <table data-testid="conflicts-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('conflicts.col.form')}</th>
            <th scope="col">{t('conflicts.col.receivedAt')}</th>
            <th scope="col">{t('conflicts.col.technician')}</th>
            <th scope="col">{t('conflicts.col.originalHash')}</th>
            <th scope="col">{t('conflicts.col.hash')}</th>
          </tr>
        </thead>
        <tbody>
          {conflicts.map((c, i) => (
            <tr key={`${c.formId}-${i}`} data-testid="conflict-row" data-form-id={c.formId}>
              <td>{linkForms ? <a href={routeHash({ page: 'form', id: c.formId })} data-testid="conflict-form-link"><code>{c.formId}</code></a> : <code>{c.formId}</code>}</td>
              <td class="time">{formatDateTime(c.receivedAt)}</td>
              <td>{names?.get(c.technicianId) ?? c.technicianId}</td>
              <td><code class="hash">{c.originalHash}</code></td>
              <td><code class="hash">{c.hash}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
