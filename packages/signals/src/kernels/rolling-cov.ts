import { pandasCorrelation, pandasCovariance } from './pandas-cov';
import { pandasPass } from './pandas-window';
import { workArray } from './work-arrays';
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
  const n = x.length;
  // the masked pair (each series masked by the other's NaNs) and its product
  const mx = workArray('cov:x', n);
  const my = workArray('cov:y', n);
  const p = workArray('cov:xy', n);
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    const u = xi + 0 * yi;
    const v = yi + 0 * xi;
    mx[i] = u;
    my[i] = v;
    p[i] = u * v;
  }
  const w = windowBars;
  // pandas' rolling moments of each: the means at [n, 2n), the variances at [2n, 3n)
  const momentsP = workArray('cov:momentsXY', 3 * n);
  const momentsX = workArray('cov:momentsX', 3 * n);
  const momentsY = workArray('cov:momentsY', 3 * n);
  pandasPass(p, w, momentsP);
  pandasPass(mx, w, momentsX);
  pandasPass(my, w, momentsY);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const meanP = momentsP[n + i] as number;
    out[i] = pandasCovariance(meanP, momentsX[n + i] as number, momentsY[n + i] as number, w);
  }
  if (!correlation) return out;
  for (let i = 0; i < n; i++) {
    const varX = momentsX[2 * n + i] as number;
    out[i] = pandasCorrelation(out[i] as number, varX, momentsY[2 * n + i] as number);
  }
  return out;
}

/**
 * Rolling sample covariance (ddof 1) of `a` and `b`, as pandas' `a.rolling(window).cov(b)`:
 * each series is masked by the other's NaNs, then `(mean(ab) - mean(a)*mean(b)) * n/(n-1)`.
 * NaN unless the window holds `windowBars` complete pairs.
 *
 * @param a first series, oldest first.
 * @param b second series, same length.
 * @param windowBars window length (integer in [2, MAX_WINDOW_BARS]).
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
 * @param windowBars window length (integer in [2, MAX_WINDOW_BARS]).
 */
export function rollingCorr(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  windowBars: number,
): Float64Array {
  return run(a, b, windowBars, true);
}
