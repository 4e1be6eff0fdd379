// The dashboard: charts over a chosen period and technician (all from one request), each with its
// table, and a compliance table per technician. The period lives in the hash, so a view is a link.
import { useMemo, useState } from 'preact/hooks';
import type { DashboardData, DashboardQuery, TechnicianRecord } from '../../domain/api';
import { Chart } from '../components/chart';
import { ErrorMessage, Loading } from '../components/feedback';
import { PageHeading } from '../components/page-heading';
import { TableWrap } from '../components/table-wrap';
import { TechnicianSelect } from '../components/technician-select';
import { useApi, useI18n } from '../context';
import { dashboardCharts, onSiteMinutes } from '../dashboard-charts';
import { todayInShanghai } from '../format';
import { navigate, useLoad } from '../hooks';

const DEFAULT_DAYS = 30;

/** The period asked for in the hash, the missing ends filled: by default the last 30 days to today. */
export function dashboardPeriod(query: Partial<DashboardQuery>, today: string): DashboardQuery {
  const to = query.to ?? (query.from && query.from > today ? query.from : today);
  const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to, ...(query.technician ? { technician: query.technician } : {}) };
}

export function DashboardPage({ query }: { query: Partial<DashboardQuery> }) {
  const { t } = useI18n();
  const api = useApi();
  const period = dashboardPeriod(query, todayInShanghai());
  const [technicians] = useLoad(() => api.listTechnicians(), [api]);
  const [data] = useLoad(() => api.dashboard(period), [api, period.from, period.to, period.technician]);
  return (
    <section data-testid="page-dashboard">
      <PageHeading title={t('dashboard.title')} />
      <PeriodBar key={`${period.from} ${period.to} ${period.technician ?? ''}`} period={period} technicians={technicians.data ?? []} />
      {data.status === 'error' && <ErrorMessage error={data.error} />}
      {data.status === 'loading' && data.data === undefined && <Loading />}
      {data.data && <Figures data={data.data} busy={data.status === 'loading'} />}
    </section>
  );
}

function PeriodBar({ period, technicians }: { period: DashboardQuery; technicians: readonly TechnicianRecord[] }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState({ from: period.from, to: period.to, technician: period.technician ?? '' });
  const show = (event: Event) => {
    event.preventDefault();
    navigate({ page: 'dashboard', query: { from: draft.from, to: draft.to, ...(draft.technician ? { technician: draft.technician } : {}) } });
  };
  return (
    <form class="filter-bar" onSubmit={show} aria-label={t('dashboard.period')} data-testid="dashboard-period">
      <div class="field">
        <label for="dashboard-from">{t('forms.filter.from')}</label>
        <input id="dashboard-from" type="date" required value={draft.from} max={draft.to} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} data-testid="dashboard-from" />
      </div>
      <div class="field">
        <label for="dashboard-to">{t('forms.filter.to')}</label>
        <input id="dashboard-to" type="date" required value={draft.to} min={draft.from} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} data-testid="dashboard-to" />
      </div>
      <div class="field">
        <label for="dashboard-technician">{t('forms.filter.technician')}</label>
        <TechnicianSelect id="dashboard-technician" technicians={technicians} value={draft.technician} onChange={(technician) => setDraft({ ...draft, technician })}
          noneLabel={t('common.all')} testId="dashboard-technician" />
      </div>
      <div class="filter-actions">
        <button type="submit" data-testid="dashboard-show">{t('dashboard.show')}</button>
      </div>
    </form>
  );
}

function Figures({ data, busy }: { data: DashboardData; busy: boolean }) {
  const { t, lang } = useI18n();
  // one spec per chart and answer: a chart is drawn again only when its figures (or the language) change
  const charts = useMemo(() => dashboardCharts(data, t), [data, lang]);
  return (
    <div aria-busy={busy}>
      <p data-testid="dashboard-total">{t('dashboard.total', { n: data.forms, from: data.query.from, to: data.query.to })}</p>
      <div class="chart-grid">
        {charts.map((spec) => <Chart key={spec.id} spec={spec} />)}
      </div>
      <ComplianceTable data={data} />
    </div>
  );
}

function ComplianceTable({ data }: { data: DashboardData }) {
  const { t } = useI18n();
  const mean = (n: number) => (Math.round(n * 100) / 100).toFixed(2);
  return (
    <section aria-labelledby="compliance-heading">
      <h2 id="compliance-heading">{t('dashboard.compliance')}</h2>
      {data.technicians.length === 0 ? <p class="muted">{t('dashboard.noForms')}</p> : (
        <TableWrap label={t('dashboard.compliance')}>
          <table data-testid="compliance-table">
            <caption class="visually-hidden">{t('dashboard.compliance')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('forms.col.technician')}</th>
                <th scope="col">{t('dashboard.forms')}</th>
                <th scope="col">{t('dashboard.conductBreaches')}</th>
                <th scope="col">{t('dashboard.disputes')}</th>
                <th scope="col">{t('dashboard.meanSatisfaction')}</th>
                <th scope="col">{t('dashboard.firstTestsFailed')}</th>
                <th scope="col">{t('dashboard.medianMinutes')}</th>
              </tr>
            </thead>
            <tbody>
              {data.technicians.map((row) => (
                <tr key={row.technicianId} data-testid="compliance-row" data-technician-id={row.technicianId}>
                  <th scope="row">{row.technicianName || row.technicianId}</th>
                  <td class="num">{row.forms}</td>
                  <td class="num">{row.conductBreaches}</td>
                  <td class="num">{row.disputes}</td>
                  <td class="num">{mean(row.meanSatisfaction)}</td>
                  <td class="num">{row.firstTestsFailed}</td>
                  <td class="num">{onSiteMinutes(row.onSiteMedianMs) ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
