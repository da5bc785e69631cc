import { zsqrt } from './shifted-moments';
import { welfordPass } from './welford-variance';
import { asFloat64, assertArrayLike, assertWindow } from '../validate';

/**
 * Rolling sample variance (ddof 1) over `windowBars` values, as pandas' `rolling(window).var()`:
 * NaN until the window is full and whenever it holds a NaN; exactly 0 on a window of identical
 * values.
 *
 * @param values input series, oldest first.
 * @param windowBars window length (integer in [2, MAX_WINDOW_BARS]).
 */
export function rollingVar(values: ArrayLike<number>, windowBars: number): Float64Array {
  assertArrayLike('values', values);
  assertWindow('windowBars', windowBars);
  const x = asFloat64(values);
  const out = new Float64Array(x.length);
  welfordPass(x, windowBars, out);
  return out;
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
