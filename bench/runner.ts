// The runner's parts: reading the command line, finding the measurements, taking the medians of the
// repetitions, and laying out the table. run.ts puts them together.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, withinAim, type BenchResult, type Measurement } from './measurement';

export interface RunOptions {
  /** the measurements to run; none named = all */
  names: string[];
  repeat: number;
}

export interface Row {
  measurement: string;
  result: BenchResult;
}

export const USAGE = 'usage: npm run bench -- [NAME…] [--repeat N]';

export function parseArgs(args: readonly string[]): RunOptions {
  const names: string[] = [];
  let repeat = 1;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--repeat') {
      const given = args[++i];
      repeat = Number(given);
      if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat needs a whole number of at least 1, got ${given ?? 'nothing'} (${USAGE})`);
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg} (${USAGE})`);
    else names.push(arg);
  }
  return { names, repeat };
}

/** The default export of every <dir>/*.bench.ts, by file name; a module that is not a measurement is an error naming it. */
export async function loadMeasurements(dir: string): Promise<Measurement[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.bench.ts')).sort();
  const measurements: Measurement[] = [];
  for (const file of files) {
    const candidate = ((await import(pathToFileURL(join(dir, file)).href)) as { default?: Partial<Measurement> }).default;
    if (typeof candidate?.name !== 'string' || typeof candidate.run !== 'function') {
      throw new Error(`${file}: the default export must be { name: string, run(): Promise<BenchResult[]> }`);
    }
    measurements.push(candidate as Measurement);
  }
  return measurements;
}

/** The measurements named (all when none is); an unknown name is an error listing the known ones. */
export function choose(all: readonly Measurement[], names: readonly string[]): Measurement[] {
  const unknown = names.filter((name) => !all.some((measurement) => measurement.name === name));
  if (unknown.length > 0) throw new Error(`no measurement named ${unknown.join(', ')} (there are: ${all.map((m) => m.name).join(', ')})`);
  return names.length === 0 ? [...all] : all.filter((measurement) => names.includes(measurement.name));
}

/** One result per metric over the repetitions: the medians of the values, the baseline values and the ratios. */
export function combine(repetitions: readonly BenchResult[][]): BenchResult[] {
  const [first = []] = repetitions;
  if (repetitions.length === 1) return [...first];
  return first.map((result, index) => {
    const same = repetitions.map((results) => {
      const match = results[index];
      if (match?.metric !== result.metric) throw new Error(`repetitions returned different metrics: "${result.metric}" vs "${match?.metric ?? 'nothing'}"`);
      return match;
    });
    return {
      ...result,
      value: median(same.map((r) => r.value)),
      baselineValue: median(same.map((r) => r.baselineValue)),
      ratio: median(same.map((r) => r.ratio)),
      samples: { value: same.map((r) => r.value), baseline: same.map((r) => r.baselineValue) },
    };
  });
}

export function formatValue(value: number, unit: string): string {
  if (unit === 'B') return `${(value / 1000).toFixed(2)} kB`;
  if (unit === 'ms') return `${value.toFixed(1)} ms`;
  return `${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`;
}

function formatAim(result: BenchResult): string {
  if (!result.aim) return '';
  const limit = result.aim.of === 'ratio' ? `ratio ≤ ${result.aim.max}` : `≤ ${formatValue(result.aim.max, result.unit)}`;
  return `${withinAim(result) ? 'within' : 'OVER'} (${limit})`;
}

export function formatTable(rows: readonly Row[]): string {
  const header = ['measurement', 'metric', 'value', 'baseline', 'baseline value', 'ratio', 'aim'];
  const lines = rows.map(({ measurement, result }) => [
    measurement,
    result.metric,
    formatValue(result.value, result.unit),
    result.baseline,
    formatValue(result.baselineValue, result.unit),
    `${result.ratio.toFixed(2)}×`,
    formatAim(result),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(format)].join('\n');
}
