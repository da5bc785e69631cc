import { ValidationError } from '@quantpipe/core';
import { sortedPass } from './sorted-window';
import { asFloat64, assertArrayLike, assertWindow } from '../validate';

/** Throws a ValidationError naming `argument` unless `q` is a number in [0, 1]. */
export function assertQuantile(argument: string, q: unknown): asserts q is number {
  if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
    throw new ValidationError(argument, `expected a quantile in [0, 1], got ${String(q)}`);
  }
}

/**
 * Rolling quantile over `windowBars` values, as pandas' `rolling(window).quantile(q)` with
 * linear interpolation (`h = q*(n-1)`, `s[floor(h)] + (s[floor(h)+1]-s[floor(h)])*(h-floor(h))`
 * over the sorted window). NaN until the window is full and whenever it holds a NaN.
 *
 * @param values input series, oldest first.
 * @param windowBars window length (integer in [2, MAX_WINDOW_BARS]).
 * @param q quantile in [0, 1].
 */
export function rollingQuantile(
  values: ArrayLike<number>,
  windowBars: number,
  q: number,
): Float64Array {
  assertArrayLike('values', values);
  assertWindow('windowBars', windowBars);
  assertQuantile('q', q);
  const x = asFloat64(values);
  const out = new Float64Array(x.length);
  sortedPass(x, windowBars, [{ q, values: out }]);
  return out;
}
