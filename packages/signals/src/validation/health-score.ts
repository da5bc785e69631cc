import { ValidationError } from '@quantpipe/core';
import { expit } from '../kernels/expit';
import { assertArrayLike, assertWindow } from '../validate';

/** The health score and every intermediate value (names follow the spec's variables). */
export interface HealthScore {
  /** `0.35*level + 0.20*stability + 0.15*turnover + 0.20*trend + 0.10*accel`. */
  readonly score: number;
  /** Mean of the last `lookback` non-NaN ICs. */
  readonly recentIc: number;
  /** Sample std (ddof 1) of the last `lookback` non-NaN ICs. */
  readonly recentIcStd: number;
  /** NaN-skipping mean of the last `lookback` turnover-adjusted ICs (not dropna'd first). */
  readonly recentTurnoverIc: number;
  /** Mean of the non-NaN ICs `[-2*lookback, -lookback)`. */
  readonly pastIc: number;
  /** Mean of the non-NaN ICs `[-3*lookback, -2*lookback)`. */
  readonly veryPastIc: number;
  /** `recentIc - pastIc`. */
  readonly icTrend: number;
  /** `(recentIc - pastIc) - (pastIc - veryPastIc)`. */
  readonly icAcceleration: number;
  /** `expit(recentIc / 0.015)`. */
  readonly icLevelScore: number;
  /** `expit(-recentIcStd / 0.02)`. */
  readonly stabilityScore: number;
  /** `expit(recentTurnoverIc / 0.01)`. */
  readonly turnoverScore: number;
  /** `expit(icTrend / 0.01)`. */
  readonly trendScore: number;
  /** `expit(icAcceleration / 0.005)`. */
  readonly accelScore: number;
  /** Number of non-NaN ICs (`len(rolling_ic.dropna())`). */
  readonly icSeriesLength: number;
}

/** Input of {@link healthScore}: the output of `rollingValidation` (or any IC series). */
export interface HealthScoreInput {
  /** Rolling IC series (NaN entries are dropped first, as the spec's `dropna()`). */
  readonly ic: ArrayLike<number>;
  /** Turnover-adjusted IC series (NaN entries are skipped by the mean, not dropped first). */
  readonly turnoverAdjustedIc: ArrayLike<number>;
}

/** Options of {@link healthScore}. */
export interface HealthScoreOptions {
  /** Lookback in bars (the spec's `health_lookback`, default 63). */
  readonly lookback?: number;
}

/** NaN-skipping mean of `values[from, to)`, as pandas' `Series.mean()` (NaN if none). */
function nanMean(values: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  let count = 0;
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    if (v === v) {
      sum += v;
      count++;
    }
  }
  return count === 0 ? NaN : sum / count;
}

/**
 * Sample std (ddof 1) of the non-NaN values of `values[from, to)`, two-pass in order, as
 * numpy's nanvar over the dropna'd values.
 */
function nanSampleStd(values: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  let count = 0;
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    if (v === v) {
      sum += v;
      count++;
    }
  }
  if (count < 2) return NaN;
  const avg = sum / count;
  let sq = 0;
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    if (v === v) {
      const d = avg - v;
      sq += d * d;
    }
  }
  return Math.sqrt(sq / (count - 1));
}

/** Indices of the parts of a health score in {@link PARTS}. */
const SCORE = 0;
const RECENT_IC = 1;
const RECENT_IC_STD = 2;
const RECENT_TURNOVER_IC = 3;
const PAST_IC = 4;
const VERY_PAST_IC = 5;
const IC_TREND = 6;
const IC_ACCELERATION = 7;
const IC_LEVEL_SCORE = 8;
const STABILITY_SCORE = 9;
const TURNOVER_SCORE = 10;
const TREND_SCORE = 11;
const ACCEL_SCORE = 12;
/** The last health score's parts: one computation for the full result and the score alone. */
const PARTS = new Float64Array(13);

/**
 * The health score of `ic[from, to)` and `turnoverAdjustedIc[tFrom, tTo)` into {@link PARTS}
 * (arguments checked by the callers). The spec's slices of `ic.dropna()` are taken from the
 * end: a backward scan finds where the last `lookback`, the `lookback` before and the
 * `lookback` before those non-NaN ICs start, and each mean then sums its values in order (as
 * the spec's slice of the dropna'd series does), so nothing is copied or allocated.
 */
function healthParts(
  ic: ArrayLike<number>,
  from: number,
  to: number,
  tadj: ArrayLike<number>,
  tFrom: number,
  tTo: number,
  lookback: number,
): void {
  // r0, p0, v0: where the recent, past and very past ICs start (the regions end where the
  // next one starts: recent ends at `to`)
  let r0 = to;
  let p0 = to;
  let v0 = to;
  let seen = 0;
  const want = 3 * lookback;
  for (let i = to - 1; i >= from && seen < want; i--) {
    const v = ic[i] as number;
    if (v !== v) continue;
    seen++;
    if (seen <= lookback) r0 = i;
    else if (seen <= 2 * lookback) p0 = i;
    else v0 = i;
  }
  // an empty region starts where the next one does
  if (seen <= lookback) p0 = r0;
  if (seen <= 2 * lookback) v0 = p0;
  const recentIc = nanMean(ic, r0, to);
  const recentIcStd = nanSampleStd(ic, r0, to);
  const recentTurnoverIc = nanMean(tadj, Math.max(tTo - lookback, tFrom), tTo);
  const pastIc = nanMean(ic, p0, r0);
  const veryPastIc = nanMean(ic, v0, p0);
  const icTrend = recentIc - pastIc;
  const icAcceleration = recentIc - pastIc - (pastIc - veryPastIc);
  const icLevelScore = expit((recentIc - 0.0) / 0.015);
  const stabilityScore = expit(-recentIcStd / 0.02);
  const turnoverScore = expit((recentTurnoverIc - 0.0) / 0.01);
  const trendScore = expit(icTrend / 0.01);
  const accelScore = expit(icAcceleration / 0.005);
  const out = PARTS;
  out[SCORE] =
    0.35 * icLevelScore +
    0.2 * stabilityScore +
    0.15 * turnoverScore +
    0.2 * trendScore +
    0.1 * accelScore;
  out[RECENT_IC] = recentIc;
  out[RECENT_IC_STD] = recentIcStd;
  out[RECENT_TURNOVER_IC] = recentTurnoverIc;
  out[PAST_IC] = pastIc;
  out[VERY_PAST_IC] = veryPastIc;
  out[IC_TREND] = icTrend;
  out[IC_ACCELERATION] = icAcceleration;
  out[IC_LEVEL_SCORE] = icLevelScore;
  out[STABILITY_SCORE] = stabilityScore;
  out[TURNOVER_SCORE] = turnoverScore;
  out[TREND_SCORE] = trendScore;
  out[ACCEL_SCORE] = accelScore;
}

/**
 * The spec's five-component health score (3.1 `compute_health_score`).
 *
 * Quirk kept from the spec: `recentTurnoverIc` is the NaN-skipping mean of the last
 * `lookback` turnover-adjusted ICs *without* dropping NaN first, so when the last IC is NaN
 * (it always is for `rollingValidation`'s last bar) the term covers `lookback - 1` values.
 * The IC means use `ic` after dropping NaN (`dropna()`), with Python's slice semantics
 * (a short series gives shorter or empty windows; an empty mean is NaN).
 *
 * Decisions at bar `t` must use validation values with `s + 1 <= t` only: pass series cut
 * accordingly.
 *
 * @param input `{ ic, turnoverAdjustedIc }` (e.g. from `rollingValidation`).
 * @param options `lookback` (default 63, integer >= 2).
 */
export function healthScore(
  input: HealthScoreInput,
  options: HealthScoreOptions = {},
): HealthScore {
  if (input === null || typeof input !== 'object') {
    throw new ValidationError('input', 'expected { ic, turnoverAdjustedIc }');
  }
  assertArrayLike('input.ic', input.ic);
  assertArrayLike('input.turnoverAdjustedIc', input.turnoverAdjustedIc);
  if (options === null || typeof options !== 'object') {
    throw new ValidationError('options', 'expected { lookback? }');
  }
  const lookback = options.lookback ?? 63;
  assertWindow('options.lookback', lookback);

  const { ic, turnoverAdjustedIc: tadj } = input;
  healthParts(ic, 0, ic.length, tadj, 0, tadj.length, lookback);
  // counted in this function's own loop, not in a helper: V8 tiers a function called once per
  // series up to TurboFan by the work of its own loops, and a helper's loop inlined into its
  // Maglev code does not count, so it ran there for thousands of calls (4x slower per value).
  // The count adds the comparison itself, without a branch (the loop is most of a score's
  // cost; 500 scores of 5,849 ICs: 1.95 -> 1.42 ns per IC).
  let icSeriesLength = 0;
  for (let i = 0; i < ic.length; i++) {
    const v = ic[i] as number;
    icSeriesLength += +(v === v);
  }
  const p = PARTS;
  return {
    score: p[SCORE] as number,
    recentIc: p[RECENT_IC] as number,
    recentIcStd: p[RECENT_IC_STD] as number,
    recentTurnoverIc: p[RECENT_TURNOVER_IC] as number,
    pastIc: p[PAST_IC] as number,
    veryPastIc: p[VERY_PAST_IC] as number,
    icTrend: p[IC_TREND] as number,
    icAcceleration: p[IC_ACCELERATION] as number,
    icLevelScore: p[IC_LEVEL_SCORE] as number,
    stabilityScore: p[STABILITY_SCORE] as number,
    turnoverScore: p[TURNOVER_SCORE] as number,
    trendScore: p[TREND_SCORE] as number,
    accelScore: p[ACCEL_SCORE] as number,
    icSeriesLength,
  };
}

/** Throws a ValidationError naming `argument` unless `value` is an index in `[min, max]`. */
function assertIndex(argument: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(
      argument,
      `expected an integer in [${min}, ${max}], got ${String(value)}`,
    );
  }
  return value;
}

/**
 * The health score alone ({@link healthScore}'s `score`, the same bits) of the ICs in
 * `[from, to)` of `ic` and `turnoverAdjustedIc` — as `healthScore` of those slices — without
 * allocating: no result object, no slice, no copy. For callers that score many windows of
 * long series, e.g. a backtest's re-weights.
 *
 * @param ic rolling IC series (NaN entries are dropped, as the spec's `dropna()`).
 * @param turnoverAdjustedIc turnover-adjusted IC series (NaN entries skipped by the mean).
 * @param lookback the spec's `health_lookback` (default 63, integer in [2, MAX_WINDOW_BARS]).
 * @param from first index read (default 0).
 * @param to end index, exclusive (default the shorter length of the two series).
 */
export function healthScoreValue(
  ic: ArrayLike<number>,
  turnoverAdjustedIc: ArrayLike<number>,
  lookback = 63,
  from = 0,
  to: number = Math.min(ic?.length ?? 0, turnoverAdjustedIc?.length ?? 0),
): number {
  assertArrayLike('ic', ic);
  assertArrayLike('turnoverAdjustedIc', turnoverAdjustedIc);
  assertWindow('lookback', lookback);
  const end = Math.min(ic.length, turnoverAdjustedIc.length);
  assertIndex('to', to, 0, end);
  assertIndex('from', from, 0, to);
  healthParts(ic, from, to, turnoverAdjustedIc, from, to, lookback);
  return PARTS[SCORE] as number;
}
