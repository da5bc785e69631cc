import { kahanPass } from './kahan-sum';
import { pandasCorrelation, pandasCovariance } from './pandas-cov';
import { workArray } from './work-arrays';
import { welfordPass } from './welford-variance';
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
  const meanP = new Float64Array(n);
  const meanX = workArray('cov:meanX', n);
  const meanY = workArray('cov:meanY', n);
  kahanPass(p, w, undefined, meanP);
  kahanPass(mx, w, undefined, meanX);
  kahanPass(my, w, undefined, meanY);
  for (let i = 0; i < n; i++) {
    meanP[i] = pandasCovariance(meanP[i] as number, meanX[i] as number, meanY[i] as number, w);
  }
  if (!correlation) return meanP;
  welfordPass(mx, w, meanX);
  welfordPass(my, w, meanY);
  for (let i = 0; i < n; i++) {
    meanP[i] = pandasCorrelation(meanP[i] as number, meanX[i] as number, meanY[i] as number);
  }
  return meanP;
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
