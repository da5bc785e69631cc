import { sumKernel } from './window-kernels';
import { asFloat64, assertArrayLike, assertWindow } from '../validate';

/**
 * Rolling mean over `windowBars` values, as pandas' `rolling(window).mean()`: NaN until the
 * window is full and whenever it holds a NaN (min_periods = window).
 *
 * @param values input series, oldest first.
 * @param windowBars window length (integer >= 2).
 */
export function rollingMean(values: ArrayLike<number>, windowBars: number): Float64Array {
  assertArrayLike('values', values);
  assertWindow('windowBars', windowBars);
  const x = asFloat64(values);
  return sumKernel(x, windowBars, true, new Float64Array(x.length));
}
