// The benchmark (`npm run bench [-- NAME…] [--repeat N]`): runs every bench/*.bench.ts, or the ones
// named, N times each (default 1), prints each figure beside its baseline with the ratio — medians
// over the repetitions — and writes them all to .bench/results.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchResult } from './measurement';
import { choose, combine, formatTable, loadMeasurements, parseArgs, type Row } from './runner';

const RESULTS_FILE = join(import.meta.dirname, '../.bench/results.json');

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const chosen = choose(await loadMeasurements(import.meta.dirname), options.names);
  const rows: Row[] = [];
  for (const measurement of chosen) {
    process.stderr.write(`bench: ${measurement.name}${options.repeat > 1 ? ` ×${options.repeat}` : ''}…\n`);
    const repetitions: BenchResult[][] = [];
    for (let i = 0; i < options.repeat; i++) repetitions.push(await measurement.run());
    rows.push(...combine(repetitions).map((result) => ({ measurement: measurement.name, result })));
  }
  console.log(formatTable(rows));
  await mkdir(join(RESULTS_FILE, '..'), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, repeat: options.repeat, results: rows }, null, 2)}\n`);
  console.log('\nwritten to .bench/results.json');
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
