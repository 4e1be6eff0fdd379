// Import device bundles: the files a phone with no network at all saved. Each goes through the same
// validation and exactly-once rules as a sync; the answer is shown per file and per form.
import { useState } from 'preact/hooks';
import type { ImportSummary } from '../../domain/api';
import { bundleNotJson, bundleTooBig } from '../bundle-file';
import { ErrorMessage } from '../components/feedback';
import { PageHeading } from '../components/page-heading';
import { TableWrap } from '../components/table-wrap';
import { useApi, useI18n } from '../context';
import { useAction } from '../hooks';
import { routeHash } from '../routes';

type FileOutcome =
  | { name: string; summary: ImportSummary }
  | { name: string; problem: string }
  | { name: string; error: unknown };

export function ImportPage() {
  const { t } = useI18n();
  const api = useApi();
  const [files, setFiles] = useState<File[]>([]);
  const [outcomes, setOutcomes] = useState<FileOutcome[]>([]);
  const { busy, error, run } = useAction();

  const importOne = async (file: File): Promise<FileOutcome> => {
    const tooBig = bundleTooBig(file.size, t);
    if (tooBig) return { name: file.name, problem: tooBig };
    const notJson = bundleNotJson(await file.text(), t);
    if (notJson) return { name: file.name, problem: notJson };
    try {
      return { name: file.name, summary: await api.importBundle(file) };
    } catch (error) {
      return { name: file.name, error };
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    setOutcomes([]);
    void run(async () => {
      // one after another: the server takes each file in one transaction, and the clerk sees them land in order
      for (const file of files) {
        const outcome = await importOne(file);
        setOutcomes((done) => [...done, outcome]);
      }
    });
  };

  return (
    <section data-testid="page-import">
      <PageHeading title={t('import.title')} />
      <p id="import-hint">{t('import.intro')}</p>
      <form class="card" onSubmit={submit} data-testid="import-form">
        <div class="field">
          <label for="bundle-files">{t('import.files')}</label>
          <input id="bundle-files" type="file" multiple accept=".json,application/json" aria-describedby="import-hint"
            onChange={(e) => setFiles(Array.from(e.currentTarget.files ?? []))} data-testid="bundle-files" />
        </div>
        <button type="submit" disabled={busy || files.length === 0} data-testid="import-submit">
          {busy ? t('import.importing', { done: outcomes.length, total: files.length }) : t('import.submit', { n: files.length })}
        </button>
      </form>
      {error !== null && <ErrorMessage error={error} testId="import-error" />}
      <div aria-live="polite" data-testid="import-results">
        {outcomes.map((outcome, i) => <FileReport key={`${i}-${outcome.name}`} outcome={outcome} />)}
      </div>
    </section>
  );
}

function FileReport({ outcome }: { outcome: FileOutcome }) {
  const { t } = useI18n();
  return (
    <article class="card" data-testid="import-file" data-file-name={outcome.name}>
      <h2>{outcome.name}</h2>
      {'problem' in outcome && <p class="error" role="alert" data-testid="import-file-problem">{outcome.problem}</p>}
      {'error' in outcome && <ErrorMessage error={outcome.error} testId="import-file-error" />}
      {'summary' in outcome && <SummaryReport summary={outcome.summary} />}
    </article>
  );
}

const COUNTS = ['accepted', 'duplicate', 'conflict', 'rejected'] as const;

function SummaryReport({ summary }: { summary: ImportSummary }) {
  const { t } = useI18n();
  const rejected = summary.results.filter((r) => r.status === 'rejected');
  const conflicts = summary.results.filter((r) => r.status === 'conflict' && r.id !== null);
  return (
    <>
      <dl class="counts" data-testid="import-summary">
        {COUNTS.map((status) => (
          <div key={status} class={summary[status] > 0 ? `count count-${status} count-some` : `count count-${status}`}>
            <dt>{t(`import.count.${status}`)}</dt>
            <dd data-testid={`import-count-${status}`}>{summary[status]}</dd>
          </div>
        ))}
      </dl>
      {conflicts.length > 0 && (
        <>
          <h3>{t('import.conflicts')}</h3>
          <ul data-testid="import-conflicts">
            {conflicts.map((r) => <li key={r.index}><a href={routeHash({ page: 'form', id: r.id ?? '' })}><code>{r.id}</code></a></li>)}
          </ul>
        </>
      )}
      {rejected.length > 0 && (
        <TableWrap label={t('import.rejected')}>
          <table data-testid="import-rejected">
            <caption>{t('import.rejected')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('import.col.index')}</th>
                <th scope="col">{t('import.col.id')}</th>
                <th scope="col">{t('import.col.reasons')}</th>
              </tr>
            </thead>
            <tbody>
              {rejected.map((r) => (
                <tr key={r.index} data-testid="import-rejected-row">
                  <td class="num">{r.index}</td>
                  <td>{r.id === null ? <span class="muted">{t('import.noId')}</span> : <code>{r.id}</code>}</td>
                  <td>
                    <ul class="field-error-list">
                      {(r.errors ?? []).map((e, j) => <li key={j}><code>{e.path}</code>: {e.message}</li>)}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}
