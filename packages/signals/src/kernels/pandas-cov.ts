/**
 * pandas' rolling covariance from its rolling means of the masked pair:
 * `(mean(xy) - mean(x)*mean(y)) * w/(w-1)`. The factor is pandas' `n/(n-1)` for the window's
 * count of complete pairs, which is `w` whenever the three means exist (else the result is
 * NaN anyway).
 */
export function pandasCovariance(meanXY: number, meanX: number, meanY: number, w: number): number {
  return (meanXY - meanX * meanY) * (w / (w - 1));
}

/** pandas' rolling correlation `cov / sqrt(var(x) * var(y))` (NaN when a variance is 0). */
export function pandasCorrelation(cov: number, varX: number, varY: number): number {
  return cov / Math.sqrt(varX * varY);
}
