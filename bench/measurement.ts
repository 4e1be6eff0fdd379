// What a benchmark measurement is: a module bench/<name>.bench.ts whose default export has a name and
// a run() that returns figures, each beside the baseline measured in the same run and their ratio.

export interface BenchResult {
  metric: string;
  value: number;
  /** 'B' (bytes, printed in kB) or 'ms', or any other unit, printed as it is */
  unit: string;
  /** what the figure is compared with, e.g. "bare Preact page" */
  baseline: string;
  baselineValue: number;
  /** value / baselineValue */
  ratio: number;
  /** the aim for the figure, when it has one: value or ratio at most `max` */
  aim?: { max: number; of: 'value' | 'ratio' };
  /** the individual figures the medians were taken from */
  samples?: { value: number[]; baseline: number[] };
}

export interface Measurement {
  name: string;
  run(): Promise<BenchResult[]>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A result with its ratio computed. */
export function compared(fields: Omit<BenchResult, 'ratio'>): BenchResult {
  return { ...fields, ratio: fields.value / fields.baselineValue };
}

/** Whether a result is within its aim; null when it has none. */
export function withinAim(result: BenchResult): boolean | null {
  if (!result.aim) return null;
  return (result.aim.of === 'value' ? result.value : result.ratio) <= result.aim.max;
}
