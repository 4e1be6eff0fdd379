// Visits: dispatch one to a technician, import many from a spreadsheet (CSV or .xlsx, with a template
// to fill in), and see who has which.
import { useState } from 'preact/hooks';
import type { TechnicianRecord, VisitImportResult } from '../../domain/api';
import { Empty, ErrorMessage, Loading, Notice } from '../components/feedback';
import { PageHeading } from '../components/page-heading';
import { TableWrap } from '../components/table-wrap';
import { TechnicianSelect } from '../components/technician-select';
import { VISIT_COLUMN_SPECS, VISIT_COLUMNS, type VisitColumn } from '../../domain/visit-columns';
import type { VisitTemplateFormat } from '../api-client';
import { useApi, useI18n, useMay } from '../context';
import { saveBlob } from '../download';
import { useAction, useLoad } from '../hooks';
import { VisitCreateForm } from './visit-create-form';

export function VisitsPage() {
  const { t } = useI18n();
  const api = useApi();
  const [technicians] = useLoad(() => api.listTechnicians(), [api]);
  const [shownTechnician, setShownTechnician] = useState('');
  const [changes, setChanges] = useState(0);
  const active = (technicians.data ?? []).filter((tech) => tech.revokedAt === null);
  const manage = useMay()('visits.manage');
  return (
    <section data-testid="page-visits">
      <PageHeading title={t('visits.title')} />
      {technicians.status === 'error' && <ErrorMessage error={technicians.error} testId="technicians-error" />}
      {manage && <VisitCreateForm technicians={active} onCreated={(visit) => { setShownTechnician(visit.technicianId); setChanges((n) => n + 1); }} />}
      {manage && <VisitImport onImported={() => setChanges((n) => n + 1)} />}
      <VisitList technicians={technicians.data ?? []} technician={shownTechnician} onTechnician={setShownTechnician} changes={changes} />
    </section>
  );
}

/** A column as the clerk's language names it in a header: Chinese in Chinese, the column id in English. */
const headerName = (column: VisitColumn, lang: string) => (lang === 'zh-CN' ? VISIT_COLUMN_SPECS[column].zh : column);

function TemplateLinks() {
  const { t } = useI18n();
  const api = useApi();
  const { busy, error, run } = useAction();
  const download = (format: VisitTemplateFormat) => run(async () => {
    const { blob, filename } = await api.downloadVisitTemplate(format);
    saveBlob(blob, filename);
  });
  return (
    <div class="export" role="group" aria-label={t('visits.template')}>
      <span>{t('visits.template')}</span>
      <button type="button" class="secondary" disabled={busy} onClick={() => void download('xlsx')} data-testid="visit-template-xlsx">{t('visits.templateXlsx')}</button>
      <button type="button" class="secondary" disabled={busy} onClick={() => void download('csv')} data-testid="visit-template-csv">{t('visits.templateCsv')}</button>
      {error !== null && <ErrorMessage error={error} testId="visit-template-error" />}
    </div>
  );
}

function VisitImport({ onImported }: { onImported(): void }) {
  const { t, lang } = useI18n();
  const api = useApi();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<VisitImportResult | null>(null);
  const { busy, error, run } = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    if (!file) return;
    setResult(null);
    void run(async () => {
      setResult(await api.importVisits(file, file.name));
      onImported();
    });
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="visit-import-heading" data-testid="visit-import">
      <h2 id="visit-import-heading">{t('visits.import')}</h2>
      <p class="hint" id="visit-import-hint">{t('visits.importHint', {
        columns: VISIT_COLUMNS.map((c) => headerName(c, lang)).join(', '),
        required: VISIT_COLUMNS.filter((c) => VISIT_COLUMN_SPECS[c].required).map((c) => headerName(c, lang)).join(', '),
      })}</p>
      <TemplateLinks />
      <div class="field">
        <label for="visit-csv">{t('visits.sheetFile')}</label>
        <input id="visit-csv" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="visit-import-hint"
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} data-testid="visit-csv" />
      </div>
      <button type="submit" disabled={busy || !file} data-testid="visit-import-submit">{busy ? t('common.working') : t('visits.importSubmit')}</button>
      {error !== null && <ErrorMessage error={error} testId="visit-import-error" />}
      {result && <VisitImportReport result={result} />}
    </form>
  );
}

function VisitImportReport({ result }: { result: VisitImportResult }) {
  const { t } = useI18n();
  return (
    <div data-testid="visit-import-result">
      <Notice testId="visit-import-created">{t('visits.created', { n: result.created })}</Notice>
      {result.errors.length > 0 && (
        <TableWrap label={t('visits.rowErrors', { n: result.errors.length })}>
          <table data-testid="visit-import-errors">
            <caption>{t('visits.rowErrors', { n: result.errors.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('visits.errorRow')}</th>
                <th scope="col">{t('visits.errorColumn')}</th>
                <th scope="col">{t('visits.errorMessage')}</th>
              </tr>
            </thead>
            <tbody>
              {result.errors.map((e, i) => (
                <tr key={i} data-testid="visit-import-error-row">
                  <td class="num">{e.row}</td>
                  <td><code>{e.column}</code></td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </div>
  );
}

interface ListProps {
  technicians: readonly TechnicianRecord[];
  technician: string;
  onTechnician(id: string): void;
  /** bumped after a create or an import, so the list shows them */
  changes: number;
}

function VisitList({ technicians, technician, onTechnician, changes }: ListProps) {
  const { t } = useI18n();
  const api = useApi();
  const [visits] = useLoad(() => api.listVisits(technician || undefined), [api, technician, changes]);
  return (
    <section class="card" data-testid="visit-list">
      <h2>{t('visits.list')}</h2>
      <div class="field">
        <label for="visit-list-technician">{t('visits.technician')}</label>
        <TechnicianSelect id="visit-list-technician" technicians={technicians} value={technician} onChange={onTechnician} noneLabel={t('common.all')} testId="visit-list-technician" />
      </div>
      {visits.status === 'error' && <ErrorMessage error={visits.error} />}
      {visits.status === 'loading' && visits.data === undefined && <Loading />}
      {visits.data && (visits.data.length === 0 ? <Empty testId="visits-empty">{t('visits.none')}</Empty> : (
        <TableWrap label={t('visits.list')}>
          <table data-testid="visits-table">
            <caption class="visually-hidden">{t('visits.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('visits.field.id')}</th>
                <th scope="col">{t('visits.field.scheduledDate')}</th>
                <th scope="col">{t('visits.technician')}</th>
                <th scope="col">{t('visits.field.customerName')}</th>
                <th scope="col">{t('visits.field.customerAddress')}</th>
                <th scope="col">{t('visits.field.equipmentType')}</th>
                <th scope="col">{t('visits.col.firstVisit')}</th>
              </tr>
            </thead>
            <tbody>
              {visits.data.map((v) => (
                <tr key={v.id} data-testid="visit-row" data-visit-id={v.id}>
                  <td><code>{v.id}</code></td>
                  <td>{v.scheduledDate}</td>
                  <td>{technicians.find((tech) => tech.id === v.technicianId)?.name ?? v.technicianId}</td>
                  <td>{v.customer.name}</td>
                  <td>{v.customer.address}</td>
                  <td>{v.equipment.type}</td>
                  <td>{v.firstVisit ? t('common.yes') : t('common.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ))}
    </section>
  );
}
