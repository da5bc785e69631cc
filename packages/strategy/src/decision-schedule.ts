import { ValidationError, type DecisionSchedule } from '@quantpipe/core';
import type { CompositeMarket } from './composite-market';

function assertIndices(
  argument: string,
  values: ArrayLike<number> | undefined,
  length: number,
  upper: (i: number) => number,
): asserts values is ArrayLike<number> {
  if (values === undefined || typeof values.length !== 'number')
    throw new ValidationError(argument, 'expected an Int32Array of bar indices');
  if (values.length !== length)
    throw new ValidationError(argument, `expected ${length} entries, got ${values.length}`);
  for (let i = 0; i < length; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0 || v > upper(i))
      throw new ValidationError(
        `${argument}[${i}]`,
        `expected an index in [0, ${upper(i)}], got ${v}`,
      );
  }
}

/**
 * Checks that `schedule` describes `market`: per symbol `dailyFirst` and `dailyEnd` within its
 * series, and the visible range `[first, max(first, end))` never shrinking from one decision
 * to the next (bars once seen stay seen); the benchmark's alike when the market has one; the
 * hourly ranges within the hourly series when the market has them and a decision uses them.
 *
 * @throws ValidationError naming the offending entry.
 */
export function assertDecisionSchedule(schedule: DecisionSchedule, market: CompositeMarket): void {
  if (schedule === null || typeof schedule !== 'object')
    throw new ValidationError('schedule', 'expected a DecisionSchedule');
  const d = schedule.decisions;
  if (!Number.isInteger(d) || d < 0)
    throw new ValidationError('schedule.decisions', `expected an integer >= 0, got ${String(d)}`);
  const n = market.symbols.length;
  const dailyLength = (s: number) => market.daily[s]?.close.length ?? 0;
  assertIndices('schedule.dailyFirst', schedule.dailyFirst, n, dailyLength);
  assertIndices('schedule.dailyEnd', schedule.dailyEnd, d * n, (i) => dailyLength(i % n));
  for (let t = 1; t < d; t++) {
    for (let s = 0; s < n; s++) {
      const first = schedule.dailyFirst[s] as number;
      if (
        Math.max(first, schedule.dailyEnd[t * n + s] as number) <
        Math.max(first, schedule.dailyEnd[(t - 1) * n + s] as number)
      ) {
        throw new ValidationError(
          `schedule.dailyEnd[${t * n + s}]`,
          `${market.symbols[s]}'s visible bars shrink at decision ${t}`,
        );
      }
    }
  }
  const benchmarkLength = market.benchmark?.close.length ?? 0;
  if (market.benchmark !== undefined) {
    const first = schedule.benchmarkFirst;
    if (!Number.isInteger(first) || first < 0 || first > benchmarkLength)
      throw new ValidationError(
        'schedule.benchmarkFirst',
        `expected an index in [0, ${benchmarkLength}], got ${String(first)}`,
      );
    assertIndices('schedule.benchmarkEnd', schedule.benchmarkEnd, d, () => benchmarkLength);
    for (let t = 1; t < d; t++) {
      if (
        Math.max(first, schedule.benchmarkEnd[t] as number) <
        Math.max(first, schedule.benchmarkEnd[t - 1] as number)
      )
        throw new ValidationError(
          `schedule.benchmarkEnd[${t}]`,
          `the benchmark's visible bars shrink at decision ${t}`,
        );
    }
  }
  const hourly = market.hourly;
  if (hourly === undefined || schedule.hourlyUsed === undefined) return;
  assertIndices('schedule.hourlyUsed', schedule.hourlyUsed, d, () => 1);
  if (hourly.length !== n)
    throw new ValidationError('market.hourly', `expected ${n} series, got ${hourly.length}`);
  const hourlyLength = (s: number) => hourly[s]?.close.length ?? 0;
  assertIndices('schedule.hourlyFirst', schedule.hourlyFirst, n, hourlyLength);
  assertIndices('schedule.hourlyEnd', schedule.hourlyEnd, d * n, (i) => hourlyLength(i % n));
}

/** Where each decision's view of the market ends, for {@link decisionScheduleFromCutoffs}. */
export interface ScheduleCutoffs {
  /** Per decision, the last daily timestamp visible (`YYYY-MM-DD`, inclusive), non-decreasing. */
  readonly daily: readonly string[];
  /**
   * Per decision, the last benchmark timestamp visible (inclusive), non-decreasing; default
   * `daily` (the benchmark's bars arrive with the others').
   */
  readonly benchmark?: readonly string[];
  /** Per decision, the last hourly timestamp visible (ISO instant, inclusive), non-decreasing. */
  readonly hourly?: readonly string[];
  /** Per decision, whether the hourly bars are handed to the strategy (default: all). */
  readonly hourlyUsed?: ArrayLike<number>;
  /** First daily timestamp fed, inclusive (the history start); default: every series' first. */
  readonly historyStart?: string;
  /** First hourly timestamp held, inclusive; default: every series' first. */
  readonly hourlyHistoryStart?: string;
}

function firstAtOrAfter(timestamps: readonly string[], start: string | undefined): number {
  if (start === undefined) return 0;
  let lo = 0;
  let hi = timestamps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((timestamps[mid] as string) < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function assertNonDecreasing(
  argument: string,
  cutoffs: readonly string[],
  decisions: number,
): void {
  if (cutoffs.length !== decisions)
    throw new ValidationError(argument, `expected ${decisions} cutoffs, got ${cutoffs.length}`);
  for (let i = 1; i < cutoffs.length; i++)
    if ((cutoffs[i] as string) < (cutoffs[i - 1] as string))
      throw new ValidationError(`${argument}[${i}]`, `cutoffs must not decrease`);
}

/** Per decision, the number of `timestamps` at or before its cutoff (one walk, cutoffs sorted). */
function endsAt(
  timestamps: readonly string[],
  cutoffs: readonly string[],
  out: Int32Array,
  offset: number,
  stride: number,
): void {
  let end = 0;
  for (let d = 0; d < cutoffs.length; d++) {
    const last = cutoffs[d] as string;
    while (end < timestamps.length && (timestamps[end] as string) <= last) end++;
    out[d * stride + offset] = end;
  }
}

/**
 * The schedule of decisions that each see every bar up to a cutoff: a decision sees the daily
 * bars with `timestamp <= cutoffs.daily[d]` (from `historyStart` on), the benchmark's up to
 * `cutoffs.benchmark[d]` and the hourly bars up to `cutoffs.hourly[d]`. Timestamps compare as
 * strings, so each kind must share one format (`YYYY-MM-DD`; ISO instants in UTC, `…Z`).
 * What a backtest timeline gives: decision `d` at session `t_d` has the cutoff `dates[t_d]`.
 *
 * @throws ValidationError for cutoffs that decrease or do not match the number of decisions.
 */
export function decisionScheduleFromCutoffs(
  market: CompositeMarket,
  cutoffs: ScheduleCutoffs,
): DecisionSchedule {
  const decisions = cutoffs.daily.length;
  const n = market.symbols.length;
  assertNonDecreasing('cutoffs.daily', cutoffs.daily, decisions);
  const benchmarkCutoffs = cutoffs.benchmark ?? cutoffs.daily;
  assertNonDecreasing('cutoffs.benchmark', benchmarkCutoffs, decisions);
  const dailyFirst = new Int32Array(n);
  const dailyEnd = new Int32Array(decisions * n);
  market.daily.forEach((series, s) => {
    dailyFirst[s] = firstAtOrAfter(series.timestamps, cutoffs.historyStart);
    endsAt(series.timestamps, cutoffs.daily, dailyEnd, s, n);
  });
  const benchmarkEnd = new Int32Array(decisions);
  let benchmarkFirst = 0;
  if (market.benchmark !== undefined) {
    benchmarkFirst = firstAtOrAfter(market.benchmark.timestamps, cutoffs.historyStart);
    endsAt(market.benchmark.timestamps, benchmarkCutoffs, benchmarkEnd, 0, 1);
  }
  const schedule = { decisions, dailyFirst, dailyEnd, benchmarkFirst, benchmarkEnd };
  if (market.hourly === undefined || cutoffs.hourly === undefined) return schedule;
  assertNonDecreasing('cutoffs.hourly', cutoffs.hourly, decisions);
  const hourlyFirst = new Int32Array(n);
  const hourlyEnd = new Int32Array(decisions * n);
  market.hourly.forEach((series, s) => {
    hourlyFirst[s] = firstAtOrAfter(series.timestamps, cutoffs.hourlyHistoryStart);
    endsAt(series.timestamps, cutoffs.hourly as readonly string[], hourlyEnd, s, n);
  });
  const hourlyUsed = new Uint8Array(decisions);
  for (let d = 0; d < decisions; d++)
    hourlyUsed[d] = cutoffs.hourlyUsed === undefined || cutoffs.hourlyUsed[d] ? 1 : 0;
  return { ...schedule, hourlyFirst, hourlyEnd, hourlyUsed };
}
