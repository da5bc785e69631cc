// Test-only: drives a streaming strategy through a DecisionSchedule exactly as an engine would
// (each decision's new bars are those that became visible since the previous one), converts a
// bar market into the columns the batch pass reads, and builds irregular schedules.
import type { Bar, BarView, DecisionSchedule, Strategy, StrategyOutput } from '@quantpipe/core';
import { seededRandom } from '@quantpipe/core/testing';
import type { CompositeMarket } from '../composite-market';

const NONE: readonly Bar[] = Object.freeze([]);

/** A market as bars: what a streaming strategy is fed. */
export interface BarMarket {
  readonly symbols: readonly string[];
  readonly benchmarkSymbol: string;
  /** Daily bars by symbol (the benchmark's under `benchmarkSymbol`, when it has any). */
  readonly daily: Readonly<Record<string, readonly Bar[]>>;
  /** Hourly bars by symbol, when hourly bars are used. */
  readonly hourly?: Readonly<Record<string, readonly Bar[]>>;
}

/** The columns of a bar market (the input of the batch pass). */
export function columnarMarket(market: BarMarket): CompositeMarket {
  const daily = (bars: readonly Bar[]) => ({
    timestamps: bars.map((b) => b.timestamp),
    close: Float64Array.from(bars, (b) => b.close),
  });
  const benchmark = market.daily[market.benchmarkSymbol];
  const hourly = market.hourly;
  return {
    symbols: market.symbols,
    benchmarkSymbol: market.benchmarkSymbol,
    daily: market.symbols.map((s) => daily(market.daily[s] ?? NONE)),
    ...(benchmark ? { benchmark: daily(benchmark) } : {}),
    ...(hourly
      ? {
          hourly: market.symbols.map((s) => {
            const bars = hourly[s] ?? NONE;
            return {
              timestamps: bars.map((b) => b.timestamp),
              high: Float64Array.from(bars, (b) => b.high),
              low: Float64Array.from(bars, (b) => b.low),
              close: Float64Array.from(bars, (b) => b.close),
            };
          }),
        }
      : {}),
  };
}

/** Visible bars `[first, max(first, end))` and the new ones since `previousEnd`. */
function window(bars: readonly Bar[], first: number, previousEnd: number, end: number) {
  const to = Math.max(first, end);
  return { all: bars.slice(first, to), fresh: bars.slice(Math.max(first, previousEnd), to) };
}

/**
 * Runs `strategy.decide()` once per decision of `schedule`, feeding it the bars the schedule
 * makes visible; returns every output.
 */
export function streamOverSchedule(
  strategy: Strategy,
  market: BarMarket,
  schedule: DecisionSchedule,
): StrategyOutput[] {
  const n = market.symbols.length;
  const outputs: StrategyOutput[] = [];
  for (let d = 0; d < schedule.decisions; d++) {
    const daily = new Map<string, ReturnType<typeof window>>();
    market.symbols.forEach((symbol, s) => {
      const prev = d === 0 ? 0 : (schedule.dailyEnd[(d - 1) * n + s] as number);
      daily.set(
        symbol,
        window(
          market.daily[symbol] ?? NONE,
          schedule.dailyFirst[s] as number,
          prev,
          schedule.dailyEnd[d * n + s] as number,
        ),
      );
    });
    if (!daily.has(market.benchmarkSymbol)) {
      const prev = d === 0 ? 0 : (schedule.benchmarkEnd[d - 1] as number);
      daily.set(
        market.benchmarkSymbol,
        window(
          market.daily[market.benchmarkSymbol] ?? NONE,
          schedule.benchmarkFirst,
          prev,
          schedule.benchmarkEnd[d] as number,
        ),
      );
    }
    const view: BarView = {
      bars: (symbol) => daily.get(symbol)?.all ?? NONE,
      newBars: (symbol) => daily.get(symbol)?.fresh ?? NONE,
    };
    let hourly: BarView | undefined;
    if (market.hourly && schedule.hourlyUsed?.[d] === 1) {
      const held = new Map<string, readonly Bar[]>();
      market.symbols.forEach((symbol, s) => {
        const first = schedule.hourlyFirst?.[s] as number;
        const end = Math.max(first, schedule.hourlyEnd?.[d * n + s] as number);
        held.set(symbol, (market.hourly?.[symbol] ?? NONE).slice(first, end));
      });
      hourly = { bars: (symbol) => held.get(symbol) ?? NONE, newBars: () => NONE };
    }
    const output = strategy.decide({
      cycle: d + 1,
      timestamp: '2030-01-01T00:00:00.000Z',
      symbols: market.symbols,
      benchmarkSymbol: market.benchmarkSymbol,
      daily: view,
      ...(hourly ? { hourly } : {}),
      equityUsd: 1e6,
      positions: {},
    });
    outputs.push(output as StrategyOutput);
  }
  return outputs;
}

/** How {@link irregularSchedule} walks the sessions. */
export interface ScheduleParams {
  /** Seed of the lags and of the hourly switch. */
  readonly seed: number;
  /** Index of the session where the history fed to the strategy starts. */
  readonly historyStart: number;
  /** Index of the session of the first decision. */
  readonly firstDecision: number;
  /** Sessions between consecutive decisions (0: a decision with nothing new), cycled. */
  readonly steps: readonly number[];
  /** Number of decisions. */
  readonly decisions: number;
  /** Chance that a symbol's (or the benchmark's) latest bars arrive one decision late. */
  readonly lagRate: number;
  /** Decisions (0-based) where the benchmark is not visible yet. */
  readonly benchmarkHiddenUntil: number;
  /** Chance that a decision is handed the hourly bars (when the market has them). */
  readonly hourlyRate: number;
}

function countAtMost(bars: readonly Bar[], last: string): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bars[mid] as Bar).timestamp <= last) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A schedule over the sessions `dates` of a bar market: decisions at irregular steps; at each
 * one every series is visible through the decision's session, except that a series' end may
 * lag by one decision (its bars then arrive in the next batch) and the benchmark may be hidden
 * for the first decisions.
 */
export function irregularSchedule(
  market: BarMarket,
  dates: readonly string[],
  p: ScheduleParams,
): DecisionSchedule {
  const next = seededRandom(p.seed);
  const n = market.symbols.length;
  const start = dates[p.historyStart] as string;
  const firstIndex = (bars: readonly Bar[]) => {
    const i = bars.findIndex((b) => b.timestamp >= start);
    return i < 0 ? bars.length : i;
  };
  const benchmark = market.daily[market.benchmarkSymbol] ?? NONE;
  const dailyFirst = Int32Array.from(market.symbols, (s) => firstIndex(market.daily[s] ?? NONE));
  const hourlyFirst = Int32Array.from(market.symbols, (s) =>
    firstIndex(market.hourly?.[s] ?? NONE),
  );
  const dailyEnd = new Int32Array(p.decisions * n);
  const hourlyEnd = new Int32Array(p.decisions * n);
  const benchmarkEnd = new Int32Array(p.decisions);
  const hourlyUsed = new Uint8Array(p.decisions);
  let t = p.firstDecision;
  for (let d = 0; d < p.decisions; d++) {
    if (d > 0) t = Math.min(dates.length - 1, t + (p.steps[(d - 1) % p.steps.length] as number));
    const last = dates[t] as string;
    const lagged = (full: number, prev: number) =>
      Math.max(prev, next() < p.lagRate ? full - 1 : full);
    market.symbols.forEach((s, i) => {
      const prev = d === 0 ? 0 : (dailyEnd[(d - 1) * n + i] as number);
      dailyEnd[d * n + i] = lagged(countAtMost(market.daily[s] ?? NONE, last), prev);
      const hPrev = d === 0 ? 0 : (hourlyEnd[(d - 1) * n + i] as number);
      hourlyEnd[d * n + i] = lagged(
        countAtMost(market.hourly?.[s] ?? NONE, `${last}T23:59:59Z`),
        hPrev,
      );
    });
    benchmarkEnd[d] =
      d < p.benchmarkHiddenUntil
        ? 0
        : lagged(countAtMost(benchmark, last), d === 0 ? 0 : (benchmarkEnd[d - 1] as number));
    hourlyUsed[d] = market.hourly && next() < p.hourlyRate ? 1 : 0;
  }
  return {
    decisions: p.decisions,
    dailyFirst,
    dailyEnd,
    benchmarkFirst: firstIndex(benchmark),
    benchmarkEnd,
    ...(market.hourly ? { hourlyFirst, hourlyEnd, hourlyUsed } : {}),
  };
}
