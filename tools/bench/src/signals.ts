/**
 * Signals benchmark: the five daily signals in batch for 500 symbols x 2,520 daily bars,
 * their rolling validation and health scores, and streaming updates of one symbol.
 *
 *   node --conditions=@quantpipe/source --import tsx tools/bench/src/signals.ts
 *
 * Targets (2-core machine): >= 30 M signal-bars/s in batch, validation + health of all five
 * signals for the 500 symbols < 0.2 s, < 2 us per bar for all five streaming signals.
 * Batch and validation are measured on one thread, then on both cores (two worker threads,
 * each with half the symbols, loading the built package: `npm run bench:signals` builds it).
 */
import {
  computeDailySignals,
  DAILY_SIGNAL_NAMES,
  DailySignalsStream,
  healthScore,
  pctChange,
  rollingSum,
  rollingValidation,
  type DailySignals,
} from '@quantpipe/signals';
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { formatCount, machineLine, measure } from './harness';
import { csvUniverse, syntheticUniverse } from './signals-data';
import { benchVsPandas } from './signals-vs-pandas';

if (process.argv.includes('--vs-pandas')) {
  // the spec's pandas code and ours on the same universe: 100 symbols x 5,849 sessions (the
  // length of the real daily histories the spec's reference runs on); `--bars <folder>` takes
  // the closes of a folder of daily CSV files instead (e.g. ../shared/data, real bars)
  console.log(machineLine());
  const at = process.argv.indexOf('--bars');
  const folder = at < 0 ? undefined : process.argv[at + 1];
  if (at >= 0 && folder === undefined) throw new Error('--bars needs a folder of *_1d.csv files');
  const real = folder === undefined ? undefined : await csvUniverse(folder, 100);
  if (real) console.log(`bars of ${folder}: ${real.sources.join(', ')} in turn, market SPY`);
  const ok = await benchVsPandas(real ?? syntheticUniverse(100, 5849, 20_261_124));
  process.exit(ok ? 0 : 1);
}

const SYMBOLS = 500;
const BARS = 2520;
const SEED = 20_261_124;

const universe = syntheticUniverse(SYMBOLS, BARS, SEED);
const marketReturns = pctChange(universe.marketClose);
const returns = universe.closes.map((c) => pctChange(c));

console.log(`signals benchmark: ${SYMBOLS} symbols x ${BARS} daily bars (seed ${SEED})`);
console.log(machineLine());

// Calibration: a plain compensated rolling sum, to judge how busy the shared machine is
// (the figures below scale with it).
const calibration = measure(() => rollingSum(returns[0] as Float64Array, 20), {
  warmupRuns: 20,
  runs: 51,
});
console.log(
  `calibration: rolling sum ${((calibration.medianMs * 1e6) / BARS).toFixed(1)} ns per value (median), ` +
    `${((calibration.minMs * 1e6) / BARS).toFixed(1)} (min); load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
);

const signals: DailySignals[] = universe.closes.map((close) =>
  computeDailySignals({ close, dates: universe.dates, marketReturns }),
);

// 1. Validation (window 252) + health score (lookback 63) of all five signals, 500 symbols, on
// signals computed once (untimed) before the batch loop below churns the heap.
let checksum = 0;
const validation = measure(
  () => {
    checksum = 0;
    for (let s = 0; s < SYMBOLS; s++) {
      const sig = signals[s] as DailySignals;
      const ret = returns[s] as Float64Array;
      for (const name of DAILY_SIGNAL_NAMES) {
        const v = rollingValidation(sig[name], ret, { window: 252 });
        checksum += healthScore(v, { lookback: 63 }).score;
      }
    }
  },
  { warmupRuns: 2, runs: 7 },
);
console.log(
  `validation + health, 5 signals x ${SYMBOLS} symbols: median ${(validation.medianMs / 1000).toFixed(3)} s ` +
    `(min ${(validation.minMs / 1000).toFixed(3)}) (target < 0.2 s) ${validation.medianMs < 200 ? 'OK' : 'MISSED'}` +
    ` [mean health ${(checksum / (SYMBOLS * 5)).toFixed(4)}]`,
);

// 2. Batch: the five daily signals (input checks and pctChange included).
const batch = measure(
  () => {
    universe.closes.map((close) =>
      computeDailySignals({ close, dates: universe.dates, marketReturns }),
    );
  },
  { warmupRuns: 3, runs: 9 },
);
const signalBars = SYMBOLS * BARS * DAILY_SIGNAL_NAMES.length;
const rate = signalBars / (batch.medianMs / 1000);
console.log(
  `batch five signals: median ${batch.medianMs.toFixed(1)} ms (min ${batch.minMs.toFixed(1)}, p90 ${batch.p90Ms.toFixed(1)}) ` +
    `-> ${formatCount(rate)} signal-bars/s (target >= 30 M) ${rate >= 30e6 ? 'OK' : 'MISSED'}`,
);

// 3. Streaming: all five signals of one symbol, one update per bar.
const close0 = universe.closes[0] as Float64Array;
const bars = universe.dates.map((date, i) => ({
  date,
  close: close0[i] as number,
  marketReturn: marketReturns[i] as number,
}));
let last = 0;
const streaming = measure(
  () => {
    const stream = new DailySignalsStream();
    for (const bar of bars) last = stream.update(bar).Carry;
  },
  { warmupRuns: 5, runs: 21 },
);
const usPerBar = (streaming.medianMs * 1000) / BARS;
console.log(
  `streaming five signals, one symbol: median ${usPerBar.toFixed(3)} us per bar ` +
    `(min ${((streaming.minMs * 1000) / BARS).toFixed(3)}) (target < 2 us) ${usPerBar < 2 ? 'OK' : 'MISSED'} [last ${last.toFixed(6)}]`,
);

// 4. Both cores: the symbols are independent, so two worker threads each take half of them.
// Wall time from the request to the last reply; each worker loads the built package.
async function twoCores(): Promise<void> {
  const half = Math.ceil(SYMBOLS / 2);
  const workers = [0, 1].map(
    (k) =>
      new Worker(new URL('./signals-worker.cjs', import.meta.url), {
        execArgv: [],
        workerData: {
          dates: universe.dates,
          marketClose: universe.marketClose,
          closes: universe.closes.slice(k * half, (k + 1) * half),
        },
      }),
  );
  const next = (w: Worker): Promise<{ ms: number; checksum: number; ready?: boolean }> =>
    new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        w.off('message', onMessage);
        reject(error);
      };
      const onMessage = (reply: { ms: number; checksum: number; ready?: boolean }): void => {
        w.off('error', onError);
        resolve(reply);
      };
      w.once('message', onMessage);
      w.once('error', onError);
    });
  await Promise.all(workers.map(next));
  const round = async (kind: 'batch' | 'validation'): Promise<number> => {
    const t0 = process.hrtime.bigint();
    const replies = workers.map(next);
    for (const w of workers) w.postMessage(kind);
    await Promise.all(replies);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const median = (xs: number[]): number =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const runs = async (
    kind: 'batch' | 'validation',
    warmup: number,
    n: number,
  ): Promise<number[]> => {
    for (let i = 0; i < warmup; i++) await round(kind);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(await round(kind));
    return out;
  };
  const batchMs = await runs('batch', 3, 9);
  const validationMs = await runs('validation', 2, 7);
  for (const w of workers) await w.terminate();
  const twoRate = signalBars / (median(batchMs) / 1000);
  console.log(
    `two cores, batch five signals: median ${median(batchMs).toFixed(1)} ms (min ${Math.min(...batchMs).toFixed(1)}) ` +
      `-> ${formatCount(twoRate)} signal-bars/s (target >= 30 M) ${twoRate >= 30e6 ? 'OK' : 'MISSED'}`,
  );
  console.log(
    `two cores, validation + health, 5 signals x ${SYMBOLS} symbols: median ${(median(validationMs) / 1000).toFixed(3)} s ` +
      `(min ${(Math.min(...validationMs) / 1000).toFixed(3)}) (target < 0.2 s) ${median(validationMs) < 200 ? 'OK' : 'MISSED'}`,
  );
}
await twoCores();
