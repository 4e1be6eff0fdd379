// The parts catalog the phones download with their visits: imported from a spreadsheet (CSV or .xlsx,
// Chinese or English headers; each row adds its part or changes the part with its code), one part saved
// or removed, and the catalog searched by code or name. Changing it is admin's and customer service's.
import { useState } from 'preact/hooks';
import { PART_COLUMN_SPECS, PART_COLUMNS, type CatalogPart, type PartColumn, type PartsImportResult } from '../../domain/parts-catalog';
import { searchParts } from '../../domain/parts-search';
import { Empty, ErrorMessage, Loading, Notice } from '../components/feedback';
import { PageHeading } from '../components/page-heading';
import { TableWrap } from '../components/table-wrap';
import { useApi, useI18n, useMay } from '../context';
import { useAction, useLoad } from '../hooks';

const headerName = (column: PartColumn, lang: string) => (lang === 'zh-CN' ? PART_COLUMN_SPECS[column].zh : column);

export function PartsPage() {
  const { t } = useI18n();
  const api = useApi();
  const [changes, setChanges] = useState(0);
  const [parts] = useLoad(() => api.listParts(), [api, changes]);
  const [editing, setEditing] = useState<CatalogPart | null>(null);
  const manage = useMay()('parts.manage');
  const changed = () => setChanges((n) => n + 1);
  return (
    <section data-testid="page-parts">
      <PageHeading title={t('parts.title')} />
      <p class="hint">{t('parts.intro')}</p>
      {manage && <PartsImport onImported={changed} />}
      {manage && <PartForm key={editing?.code ?? ''} initial={editing} onSaved={() => { setEditing(null); changed(); }} />}
      {parts.status === 'error' && <ErrorMessage error={parts.error} testId="parts-error" />}
      {parts.status === 'loading' && parts.data === undefined && <Loading />}
      {parts.data && <PartsTable parts={parts.data} manage={manage} onEdit={setEditing} onRemoved={changed} />}
    </section>
  );
}

function PartsImport({ onImported }: { onImported(): void }) {
  const { t, lang } = useI18n();
  const api = useApi();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<PartsImportResult | null>(null);
  const { busy, error, run } = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    if (!file) return;
    setResult(null);
    void run(async () => {
      setResult(await api.importParts(file, file.name));
      onImported();
    });
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="parts-import-heading" data-testid="parts-import">
      <h2 id="parts-import-heading">{t('parts.import')}</h2>
      <p class="hint" id="parts-import-hint">{t('parts.importHint', {
        columns: PART_COLUMNS.map((c) => headerName(c, lang)).join(', '),
        required: PART_COLUMNS.filter((c) => PART_COLUMN_SPECS[c].required).map((c) => headerName(c, lang)).join(', '),
      })}</p>
      <div class="field">
        <label for="parts-file">{t('visits.sheetFile')}</label>
        <input id="parts-file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="parts-import-hint"
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} data-testid="parts-file" />
      </div>
      <button type="submit" disabled={busy || !file} data-testid="parts-import-submit">{busy ? t('common.working') : t('visits.importSubmit')}</button>
      {error !== null && <ErrorMessage error={error} testId="parts-import-error" />}
      {result && (
        <div data-testid="parts-import-result">
          <Notice testId="parts-import-counts">{t('parts.imported', { created: result.created, updated: result.updated })}</Notice>
          {result.errors.length > 0 && (
            <TableWrap label={t('visits.rowErrors', { n: result.errors.length })}>
              <table data-testid="parts-import-errors">
                <caption>{t('visits.rowErrors', { n: result.errors.length })}</caption>
                <thead><tr><th scope="col">{t('visits.errorRow')}</th><th scope="col">{t('visits.errorColumn')}</th><th scope="col">{t('visits.errorMessage')}</th></tr></thead>
                <tbody>
                  {result.errors.map((e, i) => (
                    <tr key={i} data-testid="parts-import-error-row"><td class="num">{e.row}</td><td><code>{e.column}</code></td><td>{e.message}</td></tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </div>
      )}
    </form>
  );
}

/** One part added, or the part being edited changed (its code stays: the code is what the phones' forms keep). */
function PartForm({ initial, onSaved }: { initial: CatalogPart | null; onSaved(): void }) {
  const { t } = useI18n();
  const api = useApi();
  const [part, setPart] = useState<CatalogPart>(initial ?? { code: '', name: '', unit: '' });
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    setSaved(null);
    void run(async () => {
      const stored = await api.savePart({ code: part.code.trim(), name: part.name, unit: part.unit });
      setSaved(stored.code);
      setPart({ code: '', name: '', unit: '' });
      onSaved();
    });
  };
  const field = (key: keyof CatalogPart, label: string, required: boolean) => (
    <div class="field">
      <label for={`part-${key}`}>{label}</label>
      <input id={`part-${key}`} value={part[key]} required={required} readOnly={key === 'code' && initial !== null}
        onInput={(e) => setPart((p) => ({ ...p, [key]: e.currentTarget.value }))} data-testid={`part-field-${key}`} />
    </div>
  );
  return (
    <form class="card" onSubmit={submit} aria-labelledby="part-form-heading" data-testid="part-form">
      <h2 id="part-form-heading">{initial ? t('parts.edit', { code: initial.code }) : t('parts.add')}</h2>
      {field('code', t('parts.code'), true)}
      {field('name', t('parts.name'), true)}
      {field('unit', t('parts.unit'), false)}
      <button type="submit" disabled={busy} data-testid="part-save">{busy ? t('common.working') : t('parts.save')}</button>
      {error !== null && <ErrorMessage error={error} testId="part-save-error" />}
      {saved !== null && <Notice testId="part-saved">{t('parts.saved', { code: saved })}</Notice>}
    </form>
  );
}

function PartsTable({ parts, manage, onEdit, onRemoved }: { parts: readonly CatalogPart[]; manage: boolean; onEdit(part: CatalogPart): void; onRemoved(): void }) {
  const { t } = useI18n();
  const api = useApi();
  const [query, setQuery] = useState('');
  const { busy, error, run } = useAction();
  const shown = query.trim() === '' ? parts : searchParts(parts, query, parts.length);
  return (
    <section class="card" data-testid="parts-list">
      <h2>{t('parts.list', { n: parts.length })}</h2>
      <div class="field">
        <label for="parts-search">{t('parts.search')}</label>
        <input id="parts-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} data-testid="parts-search" />
      </div>
      {error !== null && <ErrorMessage error={error} testId="part-remove-error" />}
      {shown.length === 0 ? <Empty testId="parts-empty">{t('parts.none')}</Empty> : (
        <TableWrap label={t('parts.list', { n: parts.length })}>
          <table data-testid="parts-table">
            <caption class="visually-hidden">{t('parts.list', { n: parts.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('parts.code')}</th>
                <th scope="col">{t('parts.name')}</th>
                <th scope="col">{t('parts.unit')}</th>
                {manage && <th scope="col">{t('parts.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {shown.map((part) => (
                <tr key={part.code} data-testid="part-row" data-code={part.code}>
                  <td><code>{part.code}</code></td>
                  <td>{part.name}</td>
                  <td>{part.unit}</td>
                  {manage && (
                    <td>
                      <button type="button" class="secondary" onClick={() => onEdit(part)} aria-label={t('parts.editOne', { code: part.code })} data-testid={`part-edit-${part.code}`}>{t('parts.editShort')}</button>
                      {' '}
                      <button type="button" class="secondary" disabled={busy} aria-label={t('parts.removeOne', { code: part.code })} data-testid={`part-remove-${part.code}`}
                        onClick={() => void run(async () => { await api.removePart(part.code); onRemoved(); })}>{t('parts.remove')}</button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
