// The dashboard's charts as data: each chart's series, axis labels and the table that stands in for
// it (a screen reader, a print, a copy into a spreadsheet). Pure: the page draws them (uplot-chart.ts).
import { OFFER_KINDS } from '../domain/checklist';
import type { DashboardData } from '../domain/api';
import type { Translate } from './i18n';

export interface ChartSeries {
  label: string;
  /** null where there is nothing to show (a week without forms) */
  values: Array<number | null>;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** bars for one series of counts; lines otherwise */
  kind: 'line' | 'bars';
  /** dates (x in Unix seconds, UTC midnight) or categories (x = 0, 1, …) */
  time: boolean;
  x: number[];
  /** what each x reads as, in the table and on the category axis */
  labels: string[];
  xLabel: string;
  series: ChartSeries[];
}

const seconds = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;
const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 6000) / 10);
const rounded = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

export function dashboardCharts(data: DashboardData, t: Translate): ChartSpec[] {
  const days = { time: true, x: data.days.map((d) => seconds(d.date)), labels: data.days.map((d) => d.date), xLabel: t('dashboard.day') };
  const weeks = { time: true, x: data.weeks.map((w) => seconds(w.week)), labels: data.weeks.map((w) => w.week), xLabel: t('dashboard.weekOf') };
  return [
    { id: 'forms-per-day', title: t('dashboard.chart.formsPerDay'), kind: 'bars', ...days, series: [{ label: t('dashboard.forms'), values: data.days.map((d) => d.forms) }] },
    {
      id: 'satisfaction-trend', title: t('dashboard.chart.satisfactionTrend'), kind: 'line', ...weeks,
      series: [{ label: t('dashboard.meanSatisfaction'), values: data.weeks.map((w) => rounded(w.meanSatisfaction)) }],
    },
    {
      id: 'satisfaction-per-day', title: t('dashboard.chart.satisfactionPerDay'), kind: 'line', ...days,
      series: [{ label: t('dashboard.meanSatisfaction'), values: data.days.map((d) => rounded(d.meanSatisfaction)) }],
    },
    {
      id: 'satisfaction-distribution', title: t('dashboard.chart.satisfactionDistribution'), kind: 'bars', time: false,
      x: [0, 1, 2, 3, 4], labels: ['1', '2', '3', '4', '5'], xLabel: t('dashboard.rating'),
      series: [{ label: t('dashboard.forms'), values: [...data.satisfaction] }],
    },
    {
      id: 'disputes-breaches', title: t('dashboard.chart.disputesBreaches'), kind: 'line', ...weeks,
      series: [
        { label: t('dashboard.disputes'), values: data.weeks.map((w) => w.disputes) },
        { label: t('dashboard.conductBreaches'), values: data.weeks.map((w) => w.conductBreaches) },
      ],
    },
    {
      id: 'declined-offers', title: t('dashboard.chart.declinedOffers'), kind: 'bars', time: false,
      x: OFFER_KINDS.map((_, i) => i), labels: OFFER_KINDS.map((k) => t(`dashboard.offer.${k}`)), xLabel: t('dashboard.offerKind'),
      series: [{ label: t('dashboard.count'), values: OFFER_KINDS.map((k) => data.declinedOffers[k]) }],
    },
    {
      id: 'first-tests-failed', title: t('dashboard.chart.firstTestsFailed'), kind: 'bars', ...weeks,
      series: [{ label: t('dashboard.firstTestsFailed'), values: data.weeks.map((w) => w.firstTestsFailed) }],
    },
    {
      id: 'time-on-site', title: t('dashboard.chart.timeOnSite'), kind: 'line', ...weeks,
      series: [
        { label: t('dashboard.medianMinutes'), values: data.weeks.map((w) => minutes(w.onSiteMedianMs)) },
        { label: t('dashboard.p90Minutes'), values: data.weeks.map((w) => minutes(w.onSiteP90Ms)) },
      ],
    },
  ];
}

/** Minutes with one decimal, as the tables show a time on site. */
export const onSiteMinutes = minutes;
