/**
 * Weighting benchmark: the cost of one signal-weight optimisation (@quantpipe/weighting).
 * - 5 signals × 500 symbols: ICs and correlation matrices from generated signal series
 *   (seeded PRNG, one common factor so the signals correlate), then optimizeSignalWeights per
 *   symbol, each call timed on its own; median and p99 per optimisation;
 * - the same through the prepared kernel only (validation and result object excluded);
 * - dynamicCorrelationWeights (IC + correlation over 252 rows + optimisation) per symbol;
 * - 20 signals with several bounds (the search grows with C(19, k));
 * - computeCompositeSignal (the whole per-symbol pipeline) on 2,520 generated daily bars.
 *
 * Run: node --conditions=@quantpipe/source --import tsx tools/bench/src/weighting.ts
 */
import {
  computeCompositeSignal,
  dynamicCorrelationWeights,
  optimizeSignalWeights,
  prepareSignalWeightProblem,
  signalCorrelation,
  signalIcs,
  solvePreparedSignalWeights,
  type SignalWeightProblem,
} from '@quantpipe/weighting';
import { seededRandom } from '@quantpipe/core/testing';
import { machineLine, summarize } from './harness';

const SYMBOLS = 500;
const ROWS = 252;

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

interface GeneratedSymbol {
  readonly signals: Record<string, number[]>;
  readonly returns: number[];
}

function generateSymbol(rand: () => number, names: readonly string[]): GeneratedSymbol {
  const returns = Array.from({ length: ROWS }, () => gaussian(rand) * 0.01);
  const factor = Array.from({ length: ROWS }, () => gaussian(rand));
  const signals: Record<string, number[]> = {};
  for (const name of names) {
    const loading = rand() * 1.6 - 0.8;
    const skill = rand() * 0.3 - 0.15;
    signals[name] = factor.map(
      (f, t) => loading * f + gaussian(rand) + skill * ((returns[t + 1] ?? 0) / 0.01),
    );
  }
  return { signals, returns };
}

function timeEach<T>(items: readonly T[], rounds: number, fn: (item: T) => unknown): number[] {
  for (const item of items) fn(item); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const item of items) {
      const t0 = process.hrtime.bigint();
      fn(item);
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  return samples;
}

function report(label: string, samplesMs: number[]): void {
  const s = summarize(samplesMs);
  const us = (ms: number) => `${(ms * 1000).toFixed(2)} µs`;
  console.log(
    `${label.padEnd(50)} n=${String(s.runs).padStart(6)}  median ${us(s.medianMs).padStart(11)}  p99 ${us(s.p99Ms).padStart(11)}  max ${us(s.maxMs).padStart(11)}`,
  );
}

function main(): void {
  console.log(`weighting benchmark — ${machineLine()}`);
  const rand = seededRandom(20261124);
  const names5 = ['Volatility', 'Momentum', 'TailRisk', 'Beta', 'Carry'];
  const symbols = Array.from({ length: SYMBOLS }, () => generateSymbol(rand, names5));
  const problems: SignalWeightProblem[] = symbols.map(({ signals, returns }) => {
    const ics = signalIcs(signals, returns);
    return { names: names5, ics, corr: signalCorrelation(signals), baseWeights: {} };
  });

  report(
    `optimizeSignalWeights, 5 signals × ${SYMBOLS} symbols`,
    timeEach(problems, 20, (p) => optimizeSignalWeights(p)),
  );
  const prepared = problems.map((p) => prepareSignalWeightProblem(p));
  const out = new Float64Array(5);
  report(
    `  kernel only (prepared problem)`,
    timeEach(prepared, 20, (p) => solvePreparedSignalWeights(p, out)),
  );
  report(
    `dynamicCorrelationWeights, ${ROWS} rows × 5 signals`,
    timeEach(symbols, 3, (s) => dynamicCorrelationWeights(s.signals, s.returns)),
  );

  const names20 = Array.from({ length: 20 }, (_, i) => `s${i}`);
  const problems20 = Array.from({ length: 50 }, () => {
    const s = generateSymbol(rand, names20);
    return {
      names: names20,
      ics: signalIcs(s.signals, s.returns),
      corr: signalCorrelation(s.signals),
    };
  });
  for (const [lower, upper, note] of [
    [0.05, 0.5, 'one feasible point'],
    [0.01, 0.5, '1 of 19 at upper'],
    [0.02, 0.1, '7 of 19 at upper'],
    [0.0, 0.1, '9 of 19 at upper'],
  ] as const) {
    report(
      `20 signals, bounds [${lower}, ${upper}] (${note})`,
      timeEach(problems20, 2, (p) => optimizeSignalWeights({ ...p, lower, upper })),
    );
  }
}

/** Generated daily closes and market returns (random walk from the seeded PRNG). */
function generateDailyBars(rand: () => number, days: number) {
  const dates: string[] = [];
  const close: number[] = [];
  const marketReturns: number[] = [];
  let t = Date.UTC(2010, 0, 4);
  let price = 100;
  while (dates.length < days) {
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) {
      const m = gaussian(rand) * 0.01;
      price *= 1 + 1.1 * m + gaussian(rand) * 0.01;
      dates.push(new Date(t).toISOString().slice(0, 10));
      close.push(price);
      marketReturns.push(dates.length === 1 ? NaN : m);
    }
    t += 86_400_000;
  }
  return { dates, close, marketReturns };
}

main();
const bars = generateDailyBars(seededRandom(7), 2520);
report(
  'computeCompositeSignal, 2520 daily bars, 1 symbol',
  timeEach([bars], 20, (b) => computeCompositeSignal(b)),
);
