import { ValidationError } from '@quantpipe/core';
import { pctChange } from '../kernels/pct-change';
import { rollingMax, rollingMin } from '../kernels/rolling-extreme';
import { zsqrt } from '../kernels/shifted-moments';
import { pandasPass } from '../kernels/pandas-window';
import { workArray } from '../kernels/work-arrays';
import { asFloat64, assertArrayLike, assertLengths, assertPrices } from '../validate';

/** Input of {@link hourlySignal}: hourly bars of one symbol, oldest first. */
export interface HourlySignalInput {
  /** Bar highs (finite, > 0). */
  readonly high: ArrayLike<number>;
  /** Bar lows (finite, > 0). */
  readonly low: ArrayLike<number>;
  /** Bar closes (finite, > 0). */
  readonly close: ArrayLike<number>;
}

const MOMENTUM_BARS = 20;
const RSI_BARS = 14;
const RANGE_BARS = 20;

/**
 * The spec's hourly signal (3.3 `calculate_hourly_signals`), equal-weighted:
 * `0.25 * (momentum + volatility + rsiSignal + priceAction)` with `r = pctChange(close)`,
 * `momentum = sum_20(r)`, `volatility = -std_20(r)`,
 * `rsiSignal = (rsi - 50)/50` where `rsi = 100 - 100/(1 + gain/(loss + 1e-8))`,
 * `gain = mean_14(max(delta, 0))`, `loss = mean_14(-min(delta, 0))`, and
 * `priceAction = (close - min_20(low)) / (max_20(high) - min_20(low) + 1e-8) - 0.5`.
 *
 * Quirk kept from the spec: the RSI is built from `delta = r.diff()`, the change of
 * *returns*, not of prices. pandas' `where` turns the leading NaN deltas into 0 gains/losses.
 * No `fillna`: the first 20 values are NaN, as in the spec.
 *
 * @throws ValidationError naming the argument for different lengths or non-finite or
 *   non-positive prices.
 */
export function hourlySignal(input: HourlySignalInput): Float64Array {
  if (input === null || typeof input !== 'object') {
    throw new ValidationError('input', 'expected { high, low, close }');
  }
  const { high, low, close } = input;
  assertArrayLike('high', high);
  assertArrayLike('low', low);
  assertArrayLike('close', close);
  assertLengths({ close, high, low });
  assertPrices('close', close);
  assertPrices('high', high);
  assertPrices('low', low);
  const c = asFloat64(close);
  const r = pctChange(c);
  const high20 = rollingMax(high, RANGE_BARS);
  const low20 = rollingMin(low, RANGE_BARS);
  const n = c.length;
  // the sums (the momentum) at [0, n), the variances at [2n, 3n)
  const moments = workArray('hourly:moments', 3 * n);
  pandasPass(r, MOMENTUM_BARS, moments);
  // delta.where(delta > 0, 0) and -(delta.where(delta < 0, 0)): NaN becomes 0 (resp. -0).
  const gain = new Float64Array(n);
  const loss = new Float64Array(n);
  let previousReturn = NaN;
  for (let i = 0; i < n; i++) {
    const ret = r[i] as number;
    const delta = ret - previousReturn;
    previousReturn = ret;
    gain[i] = delta > 0 ? delta : 0;
    loss[i] = -(delta < 0 ? delta : 0);
  }
  // the means of gains and losses at [n, 2n)
  const gainMoments = workArray('hourly:gain', 3 * n);
  pandasPass(gain, RSI_BARS, gainMoments);
  const lossMoments = workArray('hourly:loss', 3 * n);
  pandasPass(loss, RSI_BARS, lossMoments);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const gainMean = gainMoments[n + i] as number;
    const rsi = 100 - 100 / (1 + gainMean / ((lossMoments[n + i] as number) + 1e-8));
    const rsiSignal = (rsi - 50) / 50;
    const lo = low20[i] as number;
    const priceAction = ((c[i] as number) - lo) / ((high20[i] as number) - lo + 1e-8) - 0.5;
    const momentum = moments[i] as number;
    out[i] = 0.25 * (momentum + -zsqrt(moments[2 * n + i] as number) + rsiSignal + priceAction);
  }
  return out;
}
