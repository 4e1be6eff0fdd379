import { describe, expect, it } from 'vitest';
import type { DashboardData } from '../../src/domain/api';
import { dashboardCharts } from '../../src/backoffice/dashboard-charts';
import { translator } from '../../src/backoffice/i18n';
import { dashboardPeriod } from '../../src/backoffice/pages/dashboard';

const data: DashboardData = {
  query: { from: '2026-03-08', to: '2026-03-10' },
  forms: 3,
  days: [
    { date: '2026-03-08', forms: 0, meanSatisfaction: null },
    { date: '2026-03-09', forms: 2, meanSatisfaction: 4.5 },
    { date: '2026-03-10', forms: 1, meanSatisfaction: 10 / 3 },
  ],
  weeks: [
    { week: '2026-03-02', forms: 0, meanSatisfaction: null, disputes: 0, conductBreaches: 0, firstTestsFailed: 0, onSiteMedianMs: null, onSiteP90Ms: null },
    { week: '2026-03-09', forms: 3, meanSatisfaction: 4, disputes: 1, conductBreaches: 2, firstTestsFailed: 1, onSiteMedianMs: 2_730_000, onSiteP90Ms: 5_400_000 },
  ],
  satisfaction: [0, 0, 1, 1, 1],
  declinedOffers: { cigarette: 2, 'food-drink': 0, gift: 1 },
  technicians: [],
};

describe('dashboardCharts', () => {
  const charts = dashboardCharts(data, translator('en'));
  const chart = (id: string) => charts.find((c) => c.id === id)!;

  it('makes every chart the dashboard shows, each with as many values per series as labels', () => {
    expect(charts.map((c) => c.id)).toEqual([
      'forms-per-day', 'satisfaction-trend', 'satisfaction-per-day', 'satisfaction-distribution', 'disputes-breaches', 'declined-offers', 'first-tests-failed', 'time-on-site',
    ]);
    for (const c of charts) {
      expect(c.x).toHaveLength(c.labels.length);
      for (const s of c.series) expect(s.values, c.id).toHaveLength(c.labels.length);
    }
  });

  it('puts dates at UTC midnight in seconds, categories at 0, 1, …, and keeps empty weeks empty (not zero)', () => {
    expect(chart('forms-per-day')).toMatchObject({ time: true, x: [1772928000, 1773014400, 1773100800], labels: ['2026-03-08', '2026-03-09', '2026-03-10'] });
    expect(chart('forms-per-day').series[0]!.values).toEqual([0, 2, 1]);
    expect(chart('satisfaction-per-day').series[0]!.values).toEqual([null, 4.5, 3.33]);
    expect(chart('satisfaction-trend').series[0]!.values).toEqual([null, 4]);
    expect(chart('satisfaction-distribution')).toMatchObject({ time: false, x: [0, 1, 2, 3, 4], labels: ['1', '2', '3', '4', '5'] });
    expect(chart('declined-offers')).toMatchObject({ labels: ['Cigarettes', 'Food and drink', 'Gifts'], series: [{ values: [2, 0, 1] }] });
    expect(chart('disputes-breaches').series.map((s) => s.values)).toEqual([[0, 1], [0, 2]]);
    expect(chart('time-on-site').series.map((s) => s.values)).toEqual([[null, 45.5], [null, 90]]);
  });
});

describe('dashboardPeriod', () => {
  it('fills the missing ends: the 30 days to today, or to the given end, or from the given start', () => {
    expect(dashboardPeriod({}, '2026-03-31')).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(dashboardPeriod({ to: '2026-02-28', technician: 't' }, '2026-03-31')).toEqual({ from: '2026-01-30', to: '2026-02-28', technician: 't' });
    expect(dashboardPeriod({ from: '2026-03-10' }, '2026-03-31')).toEqual({ from: '2026-03-10', to: '2026-03-31' });
    expect(dashboardPeriod({ from: '2026-04-10' }, '2026-03-31')).toEqual({ from: '2026-04-10', to: '2026-04-10' });
  });
});
