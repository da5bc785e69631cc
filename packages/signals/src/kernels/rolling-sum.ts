import { kahanPass } from './kahan-sum';
import { asFloat64, assertArrayLike, assertWindow } from '../validate';

/** The window's rolling sums (`mean` false) or means of `values`, by pandas' arithmetic. */
function kahanSeries(values: ArrayLike<number>, windowBars: number, mean: boolean): Float64Array {
  assertArrayLike('values', values);
  assertWindow('windowBars', windowBars);
  const x = asFloat64(values);
  const out = new Float64Array(x.length);
  if (mean) kahanPass(x, windowBars, undefined, out);
  else kahanPass(x, windowBars, out, undefined);
  return out;
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
  return kahanSeries(values, windowBars, false);
}

/**
 * Rolling mean over `windowBars` values, as pandas' `rolling(window).mean()`: NaN until the
 * window is full and whenever it holds a NaN (min_periods = window).
 *
 * @param values input series, oldest first.
 * @param windowBars window length (integer in [2, MAX_WINDOW_BARS]).
 */
export function rollingMean(values: ArrayLike<number>, windowBars: number): Float64Array {
  return kahanSeries(values, windowBars, true);
}
