import { assertArrayLike } from '../validate';

/**
 * Simple returns `c[t]/c[t-1] - 1`, as pandas' `Series.pct_change()` (pandas 1.5 default
 * `fill_method='pad'`): NaN prices are forward-filled first, so a NaN price gives a 0 return and
 * the next return spans the gap; the first value (and anything before the first valid price) is
 * NaN. Pure kernel: never throws on NaN.
 *
 * @param close prices, oldest first.
 * @returns returns aligned with `close` (same length).
 */
export function pctChange(close: ArrayLike<number>): Float64Array {
  assertArrayLike('close', close);
  return pctChangeInto(close, new Float64Array(close.length));
}

/** {@link pctChange} of trusted input into `out` (at least as long as `close`); returns `out`. */
export function pctChangeInto(close: ArrayLike<number>, out: Float64Array): Float64Array {
  const n = close.length;
  if (n === 0) return out;
  // the first close seeds the carried value: a NaN literal there would make Maglev, which
  // inlines this loop into callers too rarely called to reach TurboFan, box every value
  let previous = close[0] as number;
  out[0] = NaN;
  for (let i = 1; i < n; i++) {
    const raw = close[i] as number;
    const filled = raw === raw ? raw : previous;
    out[i] = filled / previous - 1;
    previous = filled;
  }
  return out;
}
