// The audit log (admins): who did what, when and from where; filtered by user, action and dates;
// older entries page by page; exported as CSV or NDJSON (the export is itself recorded).
import { useState } from 'preact/hooks';
import { AUDIT_ACTIONS, type AuditFilter, type AuditRecord } from '../../domain/accounts';
import type { ExportFormat } from '../api-client';
import { Empty, ErrorMessage, Loading } from '../components/feedback';
import { PageHeading } from '../components/page-heading';
import { TableWrap } from '../components/table-wrap';
import { useI18n, useSession } from '../context';
import { saveBlob } from '../download';
import { formatDateTime } from '../format';
import { useAction, useLoad } from '../hooks';

export function AuditPage() {
  const { t } = useI18n();
  const { accounts } = useSession();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [older, setOlder] = useState<AuditRecord[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [page] = useLoad(async () => {
    const first = await accounts.listAudit(filter, null);
    setOlder([]);
    setNext(first.nextBefore);
    return first.entries;
  }, [accounts, filter]);
  const [users] = useLoad(() => accounts.listUsers(), [accounts]);
  const more = useAction();
  const loadOlder = () => void more.run(async () => {
    if (next === null) return;
    const answer = await accounts.listAudit(filter, next);
    setOlder((before) => [...before, ...answer.entries]);
    setNext(answer.nextBefore);
  });
  const entries = [...(page.data ?? []), ...older];
  return (
    <section data-testid="page-audit">
      <PageHeading title={t('audit.title')} />
      <AuditFilterBar filter={filter} users={users.data ?? []} onApply={setFilter} />
      <AuditExport filter={filter} />
      {page.status === 'error' && <ErrorMessage error={page.error} />}
      {page.status === 'loading' && page.data === undefined && <Loading />}
      {page.data && (entries.length === 0 ? <Empty testId="audit-empty">{t('audit.none')}</Empty> : (
        <TableWrap label={t('audit.list')}>
          <table data-testid="audit-table">
            <caption class="visually-hidden">{t('audit.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.col.at')}</th>
                <th scope="col">{t('audit.col.user')}</th>
                <th scope="col">{t('audit.col.action')}</th>
                <th scope="col">{t('audit.col.target')}</th>
                <th scope="col">{t('audit.col.details')}</th>
                <th scope="col">{t('audit.col.address')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{e.userName}</td>
                  <td><code>{e.action}</code></td>
                  <td>{e.target}</td>
                  <td><code class="muted">{JSON.stringify(e.details)}</code></td>
                  <td>{e.address}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ))}
      {next !== null && <button type="button" class="secondary" disabled={more.busy} onClick={loadOlder} data-testid="audit-more">{t('audit.more')}</button>}
      {more.error !== null && <ErrorMessage error={more.error} />}
    </section>
  );
}

function AuditFilterBar({ filter, users, onApply }: { filter: AuditFilter; users: Array<{ id: string; name: string }>; onApply(filter: AuditFilter): void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<AuditFilter>(filter);
  const set = (key: keyof AuditFilter, value: string) => setDraft((d) => {
    const copy = { ...d };
    if (value === '') delete copy[key];
    else copy[key] = value;
    return copy;
  });
  return (
    <form class="card inline-form" aria-label={t('audit.filters')} onSubmit={(e) => { e.preventDefault(); onApply(draft); }} data-testid="audit-filter">
      <div class="field">
        <label for="audit-user">{t('audit.user')}</label>
        <select id="audit-user" value={draft.userId ?? ''} onChange={(e) => set('userId', e.currentTarget.value)} data-testid="audit-user">
          <option value="">{t('common.all')}</option>
          {users.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
        </select>
      </div>
      <div class="field">
        <label for="audit-action">{t('audit.action')}</label>
        <select id="audit-action" value={draft.action ?? ''} onChange={(e) => set('action', e.currentTarget.value)} data-testid="audit-action">
          <option value="">{t('common.all')}</option>
          {AUDIT_ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
      </div>
      <div class="field">
        <label for="audit-from">{t('audit.from')}</label>
        <input id="audit-from" type="date" value={draft.from ?? ''} onInput={(e) => set('from', e.currentTarget.value)} data-testid="audit-from" />
      </div>
      <div class="field">
        <label for="audit-to">{t('audit.to')}</label>
        <input id="audit-to" type="date" value={draft.to ?? ''} onInput={(e) => set('to', e.currentTarget.value)} data-testid="audit-to" />
      </div>
      <button type="submit" data-testid="audit-apply">{t('audit.apply')}</button>
    </form>
  );
}

function AuditExport({ filter }: { filter: AuditFilter }) {
  const { t } = useI18n();
  const { accounts } = useSession();
  const { busy, error, run } = useAction();
  const exportAs = (format: ExportFormat) => void run(async () => {
    const { blob, filename } = await accounts.exportAudit(format, filter);
    saveBlob(blob, filename);
  });
  return (
    <div class="export" role="group" aria-label={t('audit.title')}>
      <button type="button" class="secondary" disabled={busy} onClick={() => exportAs('csv')} data-testid="audit-export-csv">{t('audit.exportCsv')}</button>
      <button type="button" class="secondary" disabled={busy} onClick={() => exportAs('ndjson')} data-testid="audit-export-ndjson">{t('audit.exportNdjson')}</button>
      {error !== null && <ErrorMessage error={error} testId="audit-export-error" />}
    </div>
  );
}
