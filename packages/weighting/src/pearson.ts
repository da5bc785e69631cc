/**
 * Pearson correlation of two equally long series over the pairs where both are non-NaN, as
 * pandas' `Series.corr` (which calls `numpy.corrcoef` on the complete pairs): two-pass means,
 * sample covariance, each standard deviation divided out separately, clipped to [-1, 1].
 * `NaN` when fewer than 2 complete pairs remain or a series is constant.
 *
 * `lagB` pairs `a[s]` with `b[s + lagB]` (pandas `b.shift(-lagB)`); pairs past the end are NaN.
 */
export function pairwiseCompleteCorrelation(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  lagB = 0,
): number {
  let n = 0;
  let sumA = 0;
  let sumB = 0;
  const end = Math.min(a.length, b.length - lagB);
  for (let s = 0; s < end; s++) {
    const x = a[s] as number;
    const y = b[s + lagB] as number;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    n += 1;
    sumA += x;
    sumB += y;
  }
  if (n < 2) return NaN;
  const meanA = sumA / n;
  const meanB = sumB / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let s = 0; s < end; s++) {
    const x = a[s] as number;
    const y = b[s + lagB] as number;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    const dx = x - meanA;
    const dy = y - meanB;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const inv = 1 / (n - 1);
  const r = (sxy * inv) / Math.sqrt(sxx * inv) / Math.sqrt(syy * inv);
  if (Number.isNaN(r)) return NaN;
  return Math.min(1, Math.max(-1, r));
}

/**
 * Pearson correlation over complete pairs with Welford's updates, exactly as pandas'
 * `DataFrame.corr()` (`libalgos.nancorr`, min_periods 1): `NaN` when no pair remains or a
 * column is constant over the complete pairs.
 */
export function welfordCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let nobs = 0;
  let meanX = 0;
  let meanY = 0;
  let ssqdmx = 0;
  let ssqdmy = 0;
  let covxy = 0;
  const len = Math.min(a.length, b.length);
  for (let i = 0; i < len; i++) {
    const vx = a[i] as number;
    const vy = b[i] as number;
    if (Number.isNaN(vx) || Number.isNaN(vy)) continue;
    nobs += 1;
    const dx = vx - meanX;
    const dy = vy - meanY;
    meanX += (1 / nobs) * dx;
    meanY += (1 / nobs) * dy;
    ssqdmx += (vx - meanX) * dx;
    ssqdmy += (vy - meanY) * dy;
    covxy += (vx - meanX) * dy;
  }
  if (nobs < 1) return NaN;
  const divisor = Math.sqrt(ssqdmx * ssqdmy);
  return divisor !== 0 ? covxy / divisor : NaN;
}
