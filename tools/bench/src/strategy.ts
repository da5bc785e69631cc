/**
 * Strategy benchmark: the composite strategy for a whole backtest — 100 symbols x (2,520 +
 * 252 warm-up) daily sessions of generated bars with a benchmark, a decision every session
 * after the warm-up (2,520 decisions), monthly (21-bar) re-weighting, no hourly bars — computed
 * two ways, alternating, on one thread:
 * - `precomputeComposite`: the batch pass over the whole history (validation included);
 * - `CompositeStrategy`, the streaming form, fed decision after decision the bars the same
 *   schedule makes visible.
 * Prints each run, the medians, and whether the two agree on every composite (bit for bit).
 * Target: the batch pass well under 1 s (aim: <= 0.3 s).
 *
 *   node --expose-gc --conditions=@quantpipe/source --import tsx tools/bench/src/strategy.ts [symbols] [runs]
 */
import type { Bar, BarView, DecisionSchedule, StrategyOutput } from '@quantpipe/core';
import {
  CompositeStrategy,
  decisionScheduleFromCutoffs,
  precomputeComposite,
  type CompositeMarket,
} from '@quantpipe/strategy';
import { seededRandom } from '@quantpipe/core/testing';
import { machineLine, summarize } from './harness';

const SYMBOLS = Number(process.argv[2] ?? 100);
/** `global.gc` when node runs with --expose-gc (the npm script does). */
const collect = (globalThis as { gc?: () => void }).gc;
const RUNS = Number(process.argv[3] ?? 5);
const WARMUP_SESSIONS = 252;
const SESSIONS = 2520 + WARMUP_SESSIONS;
const BENCHMARK = 'SYNMKT';

/** Weekday session dates from 2012-01-02. */
function sessionDates(count: number): string[] {
  const dates: string[] = [];
  for (let ms = Date.UTC(2012, 0, 2); dates.length < count; ms += 86_400_000) {
    const day = new Date(ms).getUTCDay();
    if (day !== 0 && day !== 6) dates.push(new Date(ms).toISOString().slice(0, 10));
  }
  return dates;
}

/** Closes: each stock loads 0.5–1.5 on a market factor plus its own noise. */
function generate(symbols: readonly string[], dates: readonly string[]) {
  const rand = seededRandom(2026);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const market = dates.map(() => gauss() * 0.01);
  const closes = (beta: number, noise: number) => {
    let price = 50 + rand() * 100;
    return Float64Array.from(market, (m) => (price *= 1 + beta * m + noise * gauss()));
  };
  return {
    benchmark: closes(1, 0),
    stocks: symbols.map((_, i) => closes(0.5 + i / symbols.length, 0.015)),
  };
}

function toBars(symbol: string, dates: readonly string[], close: Float64Array): Bar[] {
  return dates.map((timestamp, i) => {
    const c = close[i] as number;
    return { symbol, timestamp, open: c, high: c, low: c, close: c, volume: 1e6 };
  });
}

/** The streaming strategy fed the schedule's visible bars, decision after decision. */
function stream(
  symbols: readonly string[],
  bars: ReadonlyMap<string, readonly Bar[]>,
  schedule: DecisionSchedule,
): StrategyOutput[] {
  const strategy = new CompositeStrategy();
  const n = symbols.length;
  const index = new Map(symbols.map((s, i) => [s, i]));
  const outputs: StrategyOutput[] = [];
  for (let d = 0; d < schedule.decisions; d++) {
    const range = (symbol: string): [number, number, number] => {
      const i = index.get(symbol);
      if (i === undefined) {
        const first = schedule.benchmarkFirst;
        const prev = d === 0 ? first : Math.max(first, schedule.benchmarkEnd[d - 1] as number);
        return [first, prev, Math.max(first, schedule.benchmarkEnd[d] as number)];
      }
      const first = schedule.dailyFirst[i] as number;
      const prev = d === 0 ? first : Math.max(first, schedule.dailyEnd[(d - 1) * n + i] as number);
      return [first, prev, Math.max(first, schedule.dailyEnd[d * n + i] as number)];
    };
    const view: BarView = {
      bars: (symbol) => {
        const [first, , end] = range(symbol);
        return (bars.get(symbol) ?? []).slice(first, end);
      },
      newBars: (symbol) => {
        const [, prev, end] = range(symbol);
        return (bars.get(symbol) ?? []).slice(prev, end);
      },
    };
    outputs.push(
      strategy.decide({
        cycle: d + 1,
        timestamp: '2030-01-01T00:00:00.000Z',
        symbols,
        benchmarkSymbol: BENCHMARK,
        daily: view,
        equityUsd: 1e6,
        positions: {},
      }),
    );
  }
  return outputs;
}

const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${String(i).padStart(3, '0')}`);
const dates = sessionDates(SESSIONS);
const generated = generate(symbols, dates);
const market: CompositeMarket = {
  symbols,
  benchmarkSymbol: BENCHMARK,
  daily: generated.stocks.map((close) => ({ timestamps: dates, close })),
  benchmark: { timestamps: dates, close: generated.benchmark },
};
const bars = new Map<string, readonly Bar[]>(
  symbols.map((s, i) => [s, toBars(s, dates, generated.stocks[i] as Float64Array)]),
);
bars.set(BENCHMARK, toBars(BENCHMARK, dates, generated.benchmark));
const schedule = decisionScheduleFromCutoffs(market, { daily: dates.slice(WARMUP_SESSIONS) });

console.log(
  `strategy benchmark: ${SYMBOLS} symbols x (${SESSIONS - WARMUP_SESSIONS} + ${WARMUP_SESSIONS}) daily sessions, ${schedule.decisions} daily decisions, monthly re-weighting, no hourly bars`,
);
console.log(`${machineLine()}${collect ? ', heap collected before each timed run' : ''}`);

/**
 * Wall and CPU time (user + system, this process) of `fn`, in ms. The heap is collected first
 * (with --expose-gc), so that one form does not pay for the other's garbage.
 */
function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  collect?.();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = fn();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const batch = { wall: [] as number[], cpu: [] as number[] };
const streaming = { wall: [] as number[], cpu: [] as number[] };
let identical = true;
for (let run = 0; run < RUNS; run++) {
  const b = timed(() => precomputeComposite({}, market, schedule));
  batch.wall.push(b.wallMs);
  batch.cpu.push(b.cpuMs);
  const s = timed(() => stream(symbols, bars, schedule));
  streaming.wall.push(s.wallMs);
  streaming.cpu.push(s.cpuMs);
  if (run === 0) {
    s.value.forEach((out, d) =>
      out.decisions.forEach((x, i) => {
        if (!Object.is(b.value.composite[d * SYMBOLS + i], x.composite)) identical = false;
      }),
    );
  }
  console.log(
    `run ${run + 1}: precomputeComposite ${b.wallMs.toFixed(0)} ms (cpu ${b.cpuMs.toFixed(0)}), streaming ${s.wallMs.toFixed(0)} ms (cpu ${s.cpuMs.toFixed(0)})`,
  );
}
const median = (xs: readonly number[]) => summarize(xs).medianMs;
const batchMs = median(batch.wall);
const streamMs = median(streaming.wall);
console.log(
  `median of ${RUNS}: precomputeComposite ${batchMs.toFixed(0)} ms (cpu ${median(batch.cpu).toFixed(0)} ms), streaming ${streamMs.toFixed(0)} ms (cpu ${median(streaming.cpu).toFixed(0)} ms): ${(streamMs / batchMs).toFixed(1)}x faster; composites identical: ${identical ? 'yes' : 'NO'}`,
);
console.log(
  `target: well under 1000 ms (aim 300 ms): ${batchMs <= 300 ? 'met' : batchMs < 1000 ? 'under 1 s, above the aim' : 'MISSED'}`,
);
