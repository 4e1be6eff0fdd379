// Conflicts: a form id that arrived again with another hash. The first stays the record; each later one is listed here.
import { ConflictTable } from '../components/conflict-table';
import { Empty, ErrorMessage, Loading } from '../components/feedback';
import { PageHeading } from '../components/page-heading';
import { useApi, useI18n } from '../context';
import { useLoad } from '../hooks';

export function ConflictsPage() {
  const { t } = useI18n();
  const api = useApi();
  const [conflicts] = useLoad(() => api.listConflicts(), [api]);
  // names only help: the table shows the technician's id when the list cannot be had
  const [technicians] = useLoad(() => api.listTechnicians(), [api]);
  const names = new Map((technicians.data ?? []).map((tech) => [tech.id, tech.name]));
  return (
    <section data-testid="page-conflicts">
      <PageHeading title={t('conflicts.title')} />
      <p>{t('conflicts.intro')}</p>
      {conflicts.status === 'error' && <ErrorMessage error={conflicts.error} />}
      {conflicts.status === 'loading' && <Loading />}
      {conflicts.status === 'ok' && (conflicts.data.length === 0
        ? <Empty testId="conflicts-empty">{t('conflicts.none')}</Empty>
        : <ConflictTable conflicts={conflicts.data} caption={t('conflicts.caption')} names={names} />)}
    </section>
  );
}
