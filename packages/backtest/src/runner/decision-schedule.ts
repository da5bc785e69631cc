import type { BarColumns, DecisionSchedule } from '@quantpipe/core';
import { lastCompleteDailyDate, lastCompleteHourlyStart } from '@quantpipe/execution';
import { countBefore, type ColumnarMarket } from '../data/columnar-market';
import { barCompleteMs, lastVisibleTimestamp } from '../data/bar-visibility';

const DAY_MS = 86_400_000;

/** What the schedule needs of the engine configuration (spec names). */
export interface ScheduleConfig {
  readonly history_days: number;
  readonly hourly_history_days: number;
  readonly use_hourly: boolean;
}

/** A {@link DecisionSchedule} with the hourly ranges always present. */
export interface BacktestSchedule extends DecisionSchedule {
  readonly hourlyFirst: Int32Array;
  readonly hourlyEnd: Int32Array;
  readonly hourlyUsed: Uint8Array;
}

/**
 * One series as the engine's bar store holds it across decisions: the first request fetches
 * `[start, end]`, later ones what is newer than the last bar held, and a bar is visible once it
 * is complete at the clock. `first` is fixed once the store holds a bar; `end` only grows.
 */
class HeldRange {
  first = 0;
  end = 0;
  held = false;

  advance(timestamps: readonly string[], start: string, end: string): void {
    if (!this.held) {
      this.first = countBefore(timestamps, start, false);
      this.end = this.first;
    }
    const to = countBefore(timestamps, end, true);
    if (to > this.end) this.end = to;
    if (this.end > this.first) this.held = true;
  }
}

/**
 * The last daily bar the engine asks for and sees at `nowMs`: the last complete session (New
 * York) bounded by the bars complete at the clock. At a daily bar's completion instant (21:00Z,
 * a daily backtest's decisions) both are that bar's date, found without a time-zone lookup.
 */
function dailyEndAt(nowMs: number): string {
  const cutoff = lastVisibleTimestamp(nowMs, '1Day');
  if (nowMs === barCompleteMs(cutoff, '1Day')) return cutoff;
  return earlier(lastCompleteDailyDate(nowMs), cutoff);
}

/** `min(a, b)` of two timestamps of one format. */
function earlier(a: string, b: string): string {
  return a < b ? a : b;
}

/** Schedules already built, by market and decision instants (see {@link decisionSchedule}). */
const builtSchedules = new WeakMap<
  ColumnarMarket,
  WeakMap<Float64Array, Map<string, BacktestSchedule>>
>();

/**
 * {@link buildDecisionSchedule}, built once per market, decision instants (a timeline's) and
 * history settings: runs over one market and range share it. Never changed once built.
 */
export function decisionSchedule(
  market: ColumnarMarket,
  decisionMs: Float64Array,
  decisions: number,
  config: ScheduleConfig,
): BacktestSchedule {
  let byInstants = builtSchedules.get(market);
  if (byInstants === undefined) {
    byInstants = new WeakMap();
    builtSchedules.set(market, byInstants);
  }
  let byConfig = byInstants.get(decisionMs);
  if (byConfig === undefined) {
    byConfig = new Map();
    byInstants.set(decisionMs, byConfig);
  }
  const key = `${decisions}/${config.history_days}/${config.hourly_history_days}/${config.use_hourly}`;
  let schedule = byConfig.get(key);
  if (schedule === undefined) {
    schedule = buildDecisionSchedule(market, decisionMs, decisions, config);
    byConfig.set(key, schedule);
  }
  return schedule;
}

/**
 * The bars an engine's strategy sees at each decision instant of a backtest, as the live engine
 * fetches them: on its first cycle `history_days` of daily history (and `hourly_history_days` of
 * hourly bars), then what arrived since, never a bar that is not complete at the decision (see
 * `UniverseBars` and `ClockBoundedMarketData`). Hourly bars reach the strategy only while every
 * symbol has some.
 */
export function buildDecisionSchedule(
  market: ColumnarMarket,
  decisionMs: ArrayLike<number>,
  decisions: number,
  config: ScheduleConfig,
): BacktestSchedule {
  const n = market.symbols.length;
  const daily = market.symbols.map(() => new HeldRange());
  const hourly = market.symbols.map(() => new HeldRange());
  const bench = new HeldRange();
  // The benchmark is fetched with the universe when it is one of its symbols.
  const benchIndex = market.symbols.indexOf(market.benchmarkSymbol);
  const dailyEnd = new Int32Array(decisions * n);
  const hourlyEnd = new Int32Array(decisions * n);
  const benchmarkEnd = new Int32Array(decisions);
  const hourlyUsed = new Uint8Array(decisions);
  const hourlyAvailable = config.use_hourly && market.hourly !== undefined;
  for (let d = 0; d < decisions; d++) {
    const nowMs = decisionMs[d] as number;
    const dayEnd = dailyEndAt(nowMs);
    const dayStart = new Date(nowMs - config.history_days * DAY_MS).toISOString().slice(0, 10);
    for (let s = 0; s < n; s++) {
      const range = daily[s] as HeldRange;
      range.advance((market.daily[s] as BarColumns).timestamps, dayStart, dayEnd);
      dailyEnd[d * n + s] = range.end;
    }
    if (benchIndex >= 0) benchmarkEnd[d] = (daily[benchIndex] as HeldRange).end;
    else if (market.benchmark) {
      bench.advance(market.benchmark.timestamps, dayStart, dayEnd);
      benchmarkEnd[d] = bench.end;
    }
    if (hourlyAvailable) {
      const hourEnd = earlier(lastCompleteHourlyStart(nowMs), lastVisibleTimestamp(nowMs, '1Hour'));
      const hourStart = new Date(nowMs - config.hourly_history_days * DAY_MS).toISOString();
      let all = true;
      for (let s = 0; s < n; s++) {
        const range = hourly[s] as HeldRange;
        range.advance((market.hourly?.[s] as BarColumns).timestamps, hourStart, hourEnd);
        hourlyEnd[d * n + s] = range.end;
        if (!range.held) all = false;
      }
      hourlyUsed[d] = all ? 1 : 0;
    }
  }
  // Before a series holds a bar its range is empty: its end is its (later fixed) first.
  const dailyFirst = Int32Array.from(daily, (r) => r.first);
  const hourlyFirst = Int32Array.from(hourly, (r) => r.first);
  for (let d = 0; d < decisions; d++) {
    for (let s = 0; s < n; s++) {
      const at = d * n + s;
      if ((dailyEnd[at] as number) < (dailyFirst[s] as number))
        dailyEnd[at] = dailyFirst[s] as number;
      if ((hourlyEnd[at] as number) < (hourlyFirst[s] as number))
        hourlyEnd[at] = hourlyFirst[s] as number;
    }
  }
  const benchmarkFirst = benchIndex >= 0 ? (dailyFirst[benchIndex] as number) : bench.first;
  for (let d = 0; d < decisions; d++)
    if ((benchmarkEnd[d] as number) < benchmarkFirst) benchmarkEnd[d] = benchmarkFirst;
  return {
    decisions,
    dailyFirst,
    dailyEnd,
    benchmarkFirst,
    benchmarkEnd,
    hourlyFirst,
    hourlyEnd,
    hourlyUsed,
  };
}
