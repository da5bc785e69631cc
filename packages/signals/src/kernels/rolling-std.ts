import { varKernel } from './window-kernels';
import { asFloat64, assertArrayLike, assertWindow } from '../validate';

/**
 * Rolling sample standard deviation (ddof 1) over `windowBars` values, as pandas'
 * `rolling(window).std()` (square root of {@link rollingVar}, a negative rounding residue
 * gives 0 as pandas' `zsqrt`).
 *
 * @param values input series, oldest first.
 * @param windowBars window length (integer >= 2).
 */
export function rollingStd(values: ArrayLike<number>, windowBars: number): Float64Array {
  assertArrayLike('values', values);
  assertWindow('windowBars', windowBars);
  const x = asFloat64(values);
  return varKernel(x, windowBars, true, new Float64Array(x.length));
}
