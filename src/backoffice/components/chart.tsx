// One dashboard chart: the title, the uPlot canvas (loaded on demand) and the same figures as a table,
// so nothing is only a picture.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../context';
import type { ChartSpec } from '../dashboard-charts';
import { TableWrap } from './table-wrap';

export function Chart({ spec }: { spec: ChartSpec }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    let plot: { destroy(): void } | null = null;
    import('../uplot-chart').then(
      ({ drawChart }) => {
        if (live && canvas.current) plot = drawChart(canvas.current, spec);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      plot?.destroy();
    };
  }, [spec]);
  return (
    <figure class="chart" data-testid={`chart-${spec.id}`} aria-labelledby={`chart-${spec.id}-title`}>
      <figcaption id={`chart-${spec.id}-title`}>{spec.title}</figcaption>
      {/* the picture repeats the table below, which is what assistive technology reads */}
      <div ref={canvas} class="chart-canvas" aria-hidden="true" data-testid="chart-canvas" />
      {failed && <p class="muted" data-testid="chart-failed">{t('dashboard.chartFailed')}</p>}
      <details class="chart-table">
        <summary>{t('dashboard.asTable')}</summary>
        <ChartTable spec={spec} />
      </details>
    </figure>
  );
}

export function ChartTable({ spec }: { spec: ChartSpec }) {
  return (
    <TableWrap label={spec.title}>
      <table data-testid={`chart-table-${spec.id}`}>
        <caption class="visually-hidden">{spec.title}</caption>
        <thead>
          <tr>
            <th scope="col">{spec.xLabel}</th>
            {spec.series.map((s) => <th scope="col" key={s.label}>{s.label}</th>)}
          </tr>
        </thead>
        <tbody>
          {spec.labels.map((label, i) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {spec.series.map((s) => <td class="num" key={s.label}>{s.values[i] ?? '—'}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
