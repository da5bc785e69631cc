import { sumKernel } from './window-kernels';
import { asFloat64, assertArrayLike, assertWindow } from '../validate';

/**
 * Rolling sum over `windowBars` values, as pandas' `rolling(window).sum()`: NaN until the
 * window is full and whenever it holds a NaN (min_periods = window); Kahan-compensated online
 * add/remove like pandas.
 *
 * @param values input series, oldest first.
 * @param windowBars window length (integer >= 2).
 */
export function rollingSum(values: ArrayLike<number>, windowBars: number): Float64Array {
  assertArrayLike('values', values);
  assertWindow('windowBars', windowBars);
  const x = asFloat64(values);
  return sumKernel(x, windowBars, false, new Float64Array(x.length));
}
