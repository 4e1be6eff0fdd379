// Draws one ChartSpec with uPlot. Imported only by the dashboard's Chart component, with import(), so
// the library is a chunk of its own that only the dashboard page loads (never the technician app).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartSpec } from './dashboard-charts';

const COLOURS = ['#0b5cad', '#b3261e', '#6b3fa0'];
const HEIGHT = 220;

export function drawChart(target: HTMLElement, spec: ChartSpec): { destroy(): void } {
  const bars = uPlot.paths.bars?.({ size: [0.6, 48] });
  const categories = !spec.time;
  const options: uPlot.Options = {
    width: Math.max(280, target.clientWidth || 560),
    height: HEIGHT,
    // the dates are UTC midnights: shown as the dates they are, whatever the browser's zone
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: categories ? { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] } : { time: true } },
    legend: { show: spec.series.length > 1 },
    series: [
      { label: spec.xLabel },
      ...spec.series.map((s, i): uPlot.Series => ({
        label: s.label,
        stroke: COLOURS[i % COLOURS.length],
        width: 2,
        ...(spec.kind === 'bars' ? { paths: bars, fill: `${COLOURS[i % COLOURS.length]}99`, points: { show: false } } : {}),
      })),
    ],
    axes: [
      categories ? { splits: () => spec.x, values: (_u, splits) => splits.map((v) => spec.labels[v] ?? '') } : {},
      {},
    ],
  };
  return new uPlot(options, [spec.x, ...spec.series.map((s) => s.values)] as uPlot.AlignedData, target);
}
