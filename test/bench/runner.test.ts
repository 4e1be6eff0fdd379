// The benchmark runner's logic, without running a benchmark: arguments, finding and choosing
// measurements, medians over repetitions, aims, and the table.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compared, median, withinAim, type BenchResult, type Measurement } from '../../bench/measurement';
import { choose, combine, formatTable, loadMeasurements, parseArgs } from '../../bench/runner';

const result = (value: number, baselineValue: number, extra: Partial<BenchResult> = {}): BenchResult =>
  compared({ metric: 'first-load', value, unit: 'B', baseline: 'bare page', baselineValue, ...extra });

describe('arguments', () => {
  test('names and --repeat', () => {
    expect(parseArgs([])).toEqual({ names: [], repeat: 1 });
    expect(parseArgs(['size', '--repeat', '3', 'cold-start'])).toEqual({ names: ['size', 'cold-start'], repeat: 3 });
  });

  test('a bad --repeat or an unknown option is an error saying what was given and how to call it', () => {
    expect(() => parseArgs(['--repeat'])).toThrow(/--repeat needs a whole number of at least 1, got nothing \(usage: npm run bench/);
    expect(() => parseArgs(['--repeat', '0'])).toThrow(/got 0/);
    expect(() => parseArgs(['--repeat', '2.5'])).toThrow(/got 2\.5/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option --fast/);
  });
});

describe('measurements', () => {
  const fake = (name: string): Measurement => ({ name, run: async () => [] });

  test('none named runs all; names choose; an unknown name lists the known ones', () => {
    const all = [fake('size'), fake('cold-start')];
    expect(choose(all, []).map((m) => m.name)).toEqual(['size', 'cold-start']);
    expect(choose(all, ['cold-start']).map((m) => m.name)).toEqual(['cold-start']);
    expect(() => choose(all, ['sise'])).toThrow('no measurement named sise (there are: size, cold-start)');
  });

  test('every *.bench.ts is loaded by its default export; one that is not a measurement is named in the error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onsite-bench-'));
    try {
      await writeFile(join(dir, 'a.bench.ts'), "export default { name: 'a', run: async () => [] };");
      await writeFile(join(dir, 'helper.ts'), 'export const notAMeasurement = 1;');
      expect((await loadMeasurements(dir)).map((m) => m.name)).toEqual(['a']);
      await writeFile(join(dir, 'b.bench.ts'), "export const name = 'b';");
      await expect(loadMeasurements(dir)).rejects.toThrow('b.bench.ts: the default export must be { name: string, run(): Promise<BenchResult[]> }');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('figures', () => {
  test('median of odd and even counts; no values is an error', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  test('a figure is within its aim on value or on ratio; no aim is neither', () => {
    expect(withinAim(result(30_000, 5_000, { aim: { max: 30_000, of: 'value' } }))).toBe(true);
    expect(withinAim(result(30_001, 5_000, { aim: { max: 30_000, of: 'value' } }))).toBe(false);
    expect(withinAim(result(130, 100, { aim: { max: 1.3, of: 'ratio' } }))).toBe(true);
    expect(withinAim(result(131, 100, { aim: { max: 1.3, of: 'ratio' } }))).toBe(false);
    expect(withinAim(result(1, 1))).toBeNull();
  });

  test('repetitions combine into medians of value, baseline and ratio, keeping the samples', () => {
    const combined = combine([[result(10, 5)], [result(30, 10)], [result(20, 20)]]);
    expect(combined).toEqual([expect.objectContaining({ value: 20, baselineValue: 10, ratio: 2, samples: { value: [10, 30, 20], baseline: [5, 10, 20] } })]);
    expect(combine([[result(10, 5)]])).toEqual([result(10, 5)]);
    expect(() => combine([[result(1, 1)], [result(1, 1, { metric: 'other' })]])).toThrow(/different metrics/);
  });

  test('the table puts each figure beside its baseline, the ratio and the aim', () => {
    const table = formatTable([{ measurement: 'size', result: result(31_000, 5_000, { aim: { max: 30_000, of: 'value' } }) }]);
    const [header, , row] = table.split('\n');
    expect(header).toMatch(/^measurement\s+metric\s+value\s+baseline\s+baseline value\s+ratio\s+aim$/);
    expect(row).toMatch(/^size\s+first-load\s+31\.00 kB\s+bare page\s+5\.00 kB\s+6\.20×\s+OVER \(≤ 30\.00 kB\)$/);
  });
});
