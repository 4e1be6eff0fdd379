// Forms list: filters in the hash, keyset paging, exports with the same filters.
import { useState } from 'preact/hooks';
import type { FormFilter, FormSummary } from '../../domain/api';
import type { ExportFormat } from '../api-client';
import { Empty, ErrorMessage, Loading } from '../components/feedback';
import { FormFlags } from '../components/flags';
import { PageHeading } from '../components/page-heading';
import { TableWrap } from '../components/table-wrap';
import { useApi, useI18n, useMay } from '../context';
import { saveBlob } from '../download';
import { filterKey } from '../form-filter';
import { formatDateTime } from '../format';
import { useAction, useLoad } from '../hooks';
import { currentCursor, firstPage, hasPrevious, nextPage, pageNumber, previousPage } from '../pager';
import { routeHash } from '../routes';
import { FormsFilterBar } from './forms-filter-bar';

export function FormsList({ filter }: { filter: FormFilter }) {
  const { t } = useI18n();
  const may = useMay();
  const api = useApi();
  const [technicians] = useLoad(() => api.listTechnicians(), [api]);
  const key = filterKey(filter);
  return (
    <section data-testid="page-forms">
      <PageHeading title={t('forms.title')}>
        {may('forms.export') && <ExportButtons filter={filter} />}
      </PageHeading>
      {technicians.status === 'error' && <ErrorMessage error={technicians.error} testId="technicians-error" />}
      <FormsFilterBar key={key} filter={filter} technicians={technicians.data ?? []} />
      <FormsPages key={key} filter={filter} />
    </section>
  );
}

/** Keyed by the filter: a new filter starts again at the first page. */
function FormsPages({ filter }: { filter: FormFilter }) {
  const { t } = useI18n();
  const api = useApi();
  const [pager, setPager] = useState(firstPage);
  const cursor = currentCursor(pager);
  const [page] = useLoad(() => api.listForms(filter, cursor), [api, cursor]);

  return (
    <>
      {page.status === 'error' && <ErrorMessage error={page.error} />}
      {page.status === 'loading' && page.data === undefined && <Loading />}
      {page.data && (page.data.forms.length === 0
        ? <Empty testId="forms-empty">{pageNumber(pager) === 1 ? t('forms.none') : t('forms.noMore')}</Empty>
        : <FormsTable forms={page.data.forms} busy={page.status === 'loading'} />)}
      <nav class="pager" aria-label={t('forms.paging')}>
        <button type="button" class="secondary" disabled={!hasPrevious(pager) || page.status === 'loading'} onClick={() => setPager(previousPage)} data-testid="page-previous">
          {t('forms.previous')}
        </button>
        <span data-testid="page-number" aria-live="polite">{t('forms.page', { n: pageNumber(pager) })}</span>
        <button
          type="button"
          class="secondary"
          disabled={page.status !== 'ok' || page.data.nextCursor === null}
          onClick={() => page.status === 'ok' && page.data.nextCursor !== null && setPager(nextPage(pager, page.data.nextCursor))}
          data-testid="page-next"
        >
          {t('forms.next')}
        </button>
      </nav>
    </>
  );
}

function FormsTable({ forms, busy }: { forms: readonly FormSummary[]; busy: boolean }) {
  const { t } = useI18n();
  return (
    <TableWrap label={t('forms.caption')}>
      <table data-testid="forms-table" aria-busy={busy}>
        <caption class="visually-hidden">{t('forms.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('forms.col.visitDate')}</th>
            <th scope="col">{t('forms.col.customer')}</th>
            <th scope="col">{t('forms.col.equipment')}</th>
            <th scope="col">{t('forms.col.technician')}</th>
            <th scope="col">{t('forms.col.satisfaction')}</th>
            <th scope="col">{t('forms.col.flags')}</th>
            <th scope="col">{t('forms.col.sealedAt')}</th>
            <th scope="col">{t('forms.col.receivedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {forms.map((f) => (
            <tr key={f.id} data-testid="form-row" data-form-id={f.id}>
              <td class="time">{f.visitDate}</td>
              <td><a href={routeHash({ page: 'form', id: f.id })} data-testid="form-link">{f.customerName}</a></td>
              <td>{f.equipmentType}</td>
              <td>{f.technicianName}</td>
              <td class="num">{f.satisfaction}</td>
              <td><FormFlags summary={f} /></td>
              <td class="time">{formatDateTime(f.sealedAt)}</td>
              <td class="time">{formatDateTime(f.receivedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function ExportButtons({ filter }: { filter: FormFilter }) {
  const { t } = useI18n();
  const api = useApi();
  const { busy, error, run } = useAction();
  const exportAs = (format: ExportFormat) => run(async () => {
    const { blob, filename } = await api.exportForms(format, filter);
    saveBlob(blob, filename);
  });
  return (
    <div class="export" role="group" aria-label={t('forms.export')}>
      <button type="button" class="secondary" disabled={busy} onClick={() => void exportAs('csv')} data-testid="export-csv">{t('forms.exportCsv')}</button>
      <button type="button" class="secondary" disabled={busy} onClick={() => void exportAs('ndjson')} data-testid="export-ndjson">{t('forms.exportNdjson')}</button>
      {error !== null && <ErrorMessage error={error} testId="export-error" />}
    </div>
  );
}
