// Equipment history: every form for one serial number, newest first, keyset-paged like the forms list.
// Reached from a form's serial, or by searching a serial here; the serial lives in the hash.
import { useState } from 'preact/hooks';
import type { EquipmentHistoryEntry } from '../../domain/api';
import { Empty, ErrorMessage, Loading } from '../components/feedback';
import { PageHeading } from '../components/page-heading';
import { TableWrap } from '../components/table-wrap';
import { useApi, useI18n } from '../context';
import { navigate, useLoad } from '../hooks';
import { currentCursor, firstPage, hasPrevious, nextPage, pageNumber, previousPage } from '../pager';
import { routeHash } from '../routes';

export function EquipmentPage({ serial }: { serial: string | null }) {
  const { t } = useI18n();
  return (
    <section data-testid="page-equipment">
      <PageHeading title={serial === null ? t('equipment.title') : t('equipment.heading', { serial })} />
      <SerialSearch key={serial ?? ''} serial={serial} />
      {serial !== null && <HistoryPages key={serial} serial={serial} />}
    </section>
  );
}

function SerialSearch({ serial }: { serial: string | null }) {
  const { t } = useI18n();
  const [text, setText] = useState(serial ?? '');
  const search = (event: Event) => {
    event.preventDefault();
    const wanted = text.trim();
    navigate({ page: 'equipment', serial: wanted === '' ? null : wanted });
  };
  return (
    <form class="filter-bar" role="search" onSubmit={search} aria-label={t('equipment.search')} data-testid="equipment-search">
      <div class="field">
        <label for="equipment-serial">{t('equipment.serial')}</label>
        <input id="equipment-serial" type="search" value={text} maxLength={200} required onInput={(e) => setText(e.currentTarget.value)} data-testid="equipment-serial" />
      </div>
      <div class="filter-actions">
        <button type="submit" data-testid="equipment-submit">{t('equipment.submit')}</button>
      </div>
    </form>
  );
}

/** Keyed by the serial: another serial starts again at the first page. */
function HistoryPages({ serial }: { serial: string }) {
  const { t } = useI18n();
  const api = useApi();
  const [pager, setPager] = useState(firstPage);
  const cursor = currentCursor(pager);
  const [page] = useLoad(() => api.equipmentHistory(serial, cursor), [api, serial, cursor]);
  return (
    <>
      {page.status === 'error' && <ErrorMessage error={page.error} />}
      {page.status === 'loading' && page.data === undefined && <Loading />}
      {page.data && (page.data.forms.length === 0
        ? <Empty testId="equipment-empty">{pageNumber(pager) === 1 ? t('equipment.none') : t('forms.noMore')}</Empty>
        : <HistoryTable entries={page.data.forms} busy={page.status === 'loading'} />)}
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

function HistoryTable({ entries, busy }: { entries: readonly EquipmentHistoryEntry[]; busy: boolean }) {
  const { t } = useI18n();
  return (
    <TableWrap label={t('equipment.caption')}>
      <table data-testid="equipment-table" aria-busy={busy}>
        <caption class="visually-hidden">{t('equipment.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('forms.col.visitDate')}</th>
            <th scope="col">{t('forms.col.technician')}</th>
            <th scope="col">{t('form.faultFound')}</th>
            <th scope="col">{t('form.workDone')}</th>
            <th scope="col">{t('form.partsUsed')}</th>
            <th scope="col">{t('forms.col.satisfaction')}</th>
            <th scope="col">{t('forms.col.flags')}</th>
            <th scope="col">{t('equipment.form')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.formId} data-testid="equipment-row" data-form-id={e.formId}>
              <td class="time">{e.visitDate}</td>
              <td>{e.technicianName || e.technicianId}</td>
              <td>{e.faultFound}</td>
              <td>{e.workDone}</td>
              <td>{e.partsUsed.length === 0 ? <span class="muted">{t('common.none')}</span> : e.partsUsed.map((p) => `${p.name} ×${p.quantity}`).join(t('equipment.partSeparator'))}</td>
              <td class="num">{e.satisfaction}</td>
              <td>
                {e.dispute || e.conductBreach ? (
                  <ul class="flags">
                    {e.dispute && <li class="badge badge-alert" data-testid="flag-dispute">{t('flag.dispute')}</li>}
                    {e.conductBreach && <li class="badge badge-alert" data-testid="flag-conduct-breach">{t('flag.conductBreach')}</li>}
                  </ul>
                ) : <span class="muted">—</span>}
              </td>
              <td><a href={routeHash({ page: 'form', id: e.formId })} data-testid="equipment-form-link">{t('equipment.open')}</a></td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
