import { covKernel } from './window-kernels';
import { asFloat64, assertArrayLike, assertLengths, assertWindow } from '../validate';

function run(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  windowBars: number,
  correlation: boolean,
): Float64Array {
  assertArrayLike('a', a);
  assertArrayLike('b', b);
  assertLengths({ a, b });
  assertWindow('windowBars', windowBars);
  const x = asFloat64(a);
  const y = asFloat64(b);
  return covKernel(x, y, windowBars, correlation, new Float64Array(x.length));
}

/**
 * Rolling sample covariance (ddof 1) of `a` and `b`, as pandas' `a.rolling(window).cov(b)`:
 * each series is masked by the other's NaNs, then `(mean(ab) - mean(a)*mean(b)) * n/(n-1)`.
 * NaN unless the window holds `windowBars` complete pairs.
 *
 * @param a first series, oldest first.
 * @param b second series, same length.
 * @param windowBars window length (integer >= 2).
 */
export function rollingCov(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  windowBars: number,
): Float64Array {
  return run(a, b, windowBars, false);
}

/**
 * Rolling Pearson correlation of `a` and `b`, as pandas' `a.rolling(window).corr(b)`:
 * `cov / sqrt(var_a * var_b)` with NaN-masked series and sample variances. A window where one
 * series is constant gives NaN (0/0) as pandas does.
 *
 * @param a first series, oldest first.
 * @param b second series, same length.
 * @param windowBars window length (integer >= 2).
 */
export function rollingCorr(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  windowBars: number,
): Float64Array {
  return run(a, b, windowBars, true);
}
