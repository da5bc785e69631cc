import { varKernel } from './window-kernels';
import { asFloat64, assertArrayLike, assertWindow } from '../validate';

/**
 * Rolling sample variance (ddof 1) over `windowBars` values, as pandas' `rolling(window).var()`:
 * NaN until the window is full and whenever it holds a NaN; exactly 0 on a window of identical
 * values.
 *
 * @param values input series, oldest first.
 * @param windowBars window length (integer >= 2).
 */
export function rollingVar(values: ArrayLike<number>, windowBars: number): Float64Array {
  assertArrayLike('values', values);
  assertWindow('windowBars', windowBars);
  const x = asFloat64(values);
  return varKernel(x, windowBars, false, new Float64Array(x.length));
}
