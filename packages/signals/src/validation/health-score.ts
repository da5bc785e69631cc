import { ValidationError } from '@quantpipe/core';
import { expit } from '../kernels/expit';
import { workArray } from '../kernels/work-arrays';
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

/** Python's `seq[start:stop]` bounds for negative `start`/`stop` (or undefined = open). */
function pySlice(length: number, start: number, stop: number | undefined): [number, number] {
  const a = Math.max(length + start, 0);
  const b = stop === undefined ? length : Math.max(length + stop, 0);
  return [a, Math.max(a, b)];
}

/** Slice bounds moved by `-offset` (every requested bound is >= offset). */
function shifted([a, b]: [number, number], offset: number): [number, number] {
  return [a - offset, b - offset];
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

/** Sample std (ddof 1) of `values[from, to)` (no NaN inside), two-pass as numpy's nanvar. */
function sampleStd(values: Float64Array, from: number, to: number): number {
  const count = to - from;
  if (count < 2) return NaN;
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i] as number;
  const avg = sum / count;
  let sq = 0;
  for (let i = from; i < to; i++) {
    const d = avg - (values[i] as number);
    sq += d * d;
  }
  return Math.sqrt(sq / (count - 1));
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

  // ic.dropna(): only its last 3 * lookback values are read, so collect just those
  const raw = input.ic;
  let m = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i] as number;
    if (v === v) m++;
  }
  const keep = Math.min(m, 3 * lookback);
  const tail = workArray('health:ic', keep);
  for (let i = raw.length - 1, j = keep - 1; j >= 0; i--) {
    const v = raw[i] as number;
    if (v === v) tail[j--] = v;
  }
  // positions in `tail` are positions in the dropna'd series minus `m - keep`
  const ic = tail;
  const offset = m - keep;
  const [r0, r1] = shifted(pySlice(m, -lookback, undefined), offset);
  const [p0, p1] = shifted(pySlice(m, -2 * lookback, -lookback), offset);
  const [v0, v1] = shifted(pySlice(m, -3 * lookback, -2 * lookback), offset);
  const recentIc = nanMean(ic, r0, r1);
  const recentIcStd = sampleStd(ic, r0, r1);
  const tadj = input.turnoverAdjustedIc;
  const [t0, t1] = pySlice(tadj.length, -lookback, undefined);
  const recentTurnoverIc = nanMean(tadj, t0, t1);
  const pastIc = nanMean(ic, p0, p1);
  const veryPastIc = nanMean(ic, v0, v1);
  const icTrend = recentIc - pastIc;
  const icAcceleration = recentIc - pastIc - (pastIc - veryPastIc);
  const icLevelScore = expit((recentIc - 0.0) / 0.015);
  const stabilityScore = expit(-recentIcStd / 0.02);
  const turnoverScore = expit((recentTurnoverIc - 0.0) / 0.01);
  const trendScore = expit(icTrend / 0.01);
  const accelScore = expit(icAcceleration / 0.005);
  const score =
    0.35 * icLevelScore +
    0.2 * stabilityScore +
    0.15 * turnoverScore +
    0.2 * trendScore +
    0.1 * accelScore;
  return {
    score,
    recentIc,
    recentIcStd,
    recentTurnoverIc,
    pastIc,
    veryPastIc,
    icTrend,
    icAcceleration,
    icLevelScore,
    stabilityScore,
    turnoverScore,
    trendScore,
    accelScore,
    icSeriesLength: m,
  };
}
