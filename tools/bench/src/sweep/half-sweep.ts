/**
 * One half of the sweep benchmark's jobs on one worker thread, in a process of its own: the
 * benchmark starts two, waits for both to print `ready` (modules loaded), writes a line to
 * both, and times them until both print `done`.
 *   node --import tsx tools/bench/src/sweep/half-sweep.ts <configs> <symbols> <sessions> <0|1> <out-dir> <name>
 */
import { createInterface } from 'node:readline';
import { runLocalSweep } from '@quantpipe/backtest';
import { benchSpec } from './bench-spec';

const [configs, symbols, sessions, part, outputDir, name] = process.argv.slice(2);
if (outputDir === undefined || name === undefined || (part !== '0' && part !== '1'))
  throw new Error('usage: half-sweep.ts <configs> <symbols> <sessions> <0|1> <out-dir> <name>');
const spec = benchSpec(
  `${name}-${part}`,
  { configs: Number(configs), symbols: Number(symbols), sessions: Number(sessions) },
  part === '0' ? 0 : 1,
);
const lines = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => lines.once('line', () => resolve()));
process.stdout.write('ready\n');
await go;
lines.close();
const result = await runLocalSweep({ spec, outputDir, threads: 1 });
if (result.interrupted || result.summary?.jobs.done !== result.plan.jobs.length)
  throw new Error(`half ${part}: not every job done`);
process.stdout.write(`done ${result.plan.jobs.length}\n`);
