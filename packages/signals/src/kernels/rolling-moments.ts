import { pandasPass } from './pandas-window';
import { zsqrt } from './shifted-moments';
import { workArray } from './work-arrays';
import { asFloat64, assertArrayLike, assertWindow } from '../validate';

/** Which of pandas' rolling moments to return. */
const SUM = 0;
const MEAN = 1;
const VARIANCE = 2;

/** One of the rolling moments of `values` (by pandas' arithmetic, see `pandas-window`). */
function pandasMoment(values: ArrayLike<number>, windowBars: number, which: number): Float64Array {
  assertArrayLike('values', values);
  assertWindow('windowBars', windowBars);
  const x = asFloat64(values);
  const n = x.length;
  const moments = workArray('pandas:moments', 3 * n);
  pandasPass(x, windowBars, moments);
  return moments.slice(which * n, (which + 1) * n);
}

/**
 * Rolling sum over `windowBars` values, as pandas' `rolling(window).sum()`: NaN until the
 * window is full and whenever it holds a NaN (min_periods = window); Kahan-compensated online
 * add/remove like pandas.
 *
 * @param values input series, oldest first.
 * @param windowBars window length (integer in [2, MAX_WINDOW_BARS]).
 */
export function rollingSum(values: ArrayLike<number>, windowBars: number): Float64Array {
  return pandasMoment(values, windowBars, SUM);
}

/**
 * Rolling mean over `windowBars` values, as pandas' `rolling(window).mean()`: NaN until the
 * window is full and whenever it holds a NaN (min_periods = window).
 *
 * @param values input series, oldest first.
 * @param windowBars window length (integer in [2, MAX_WINDOW_BARS]).
 */
export function rollingMean(values: ArrayLike<number>, windowBars: number): Float64Array {
  return pandasMoment(values, windowBars, MEAN);
}

/**
 * Rolling sample variance (ddof 1) over `windowBars` values, as pandas' `rolling(window).var()`:
 * NaN until the window is full and whenever it holds a NaN; exactly 0 on a window of identical
 * values.
 *
 * @param values input series, oldest first.
 * @param windowBars window length (integer in [2, MAX_WINDOW_BARS]).
 */
export function rollingVar(values: ArrayLike<number>, windowBars: number): Float64Array {
  return pandasMoment(values, windowBars, VARIANCE);
}

/**
 * Rolling sample standard deviation (ddof 1) over `windowBars` values, as pandas'
 * `rolling(window).std()` (square root of {@link rollingVar}, a negative rounding residue
 * gives 0 as pandas' `zsqrt`).
 *
 * @param values input series, oldest first.
 * @param windowBars window length (integer in [2, MAX_WINDOW_BARS]).
 */
export function rollingStd(values: ArrayLike<number>, windowBars: number): Float64Array {
  const out = rollingVar(values, windowBars);
  for (let i = 0; i < out.length; i++) out[i] = zsqrt(out[i] as number);
  return out;
}
