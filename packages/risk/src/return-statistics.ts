/**
 * Small numeric kernels shared by the performance metrics. Inputs are finite (validated by the
 * callers); sums run left to right.
 */

/** Arithmetic mean; NaN for an empty array. */
export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Sample standard deviation (ddof = 1, two-pass); NaN for fewer than 2 values. Exactly 0 when
 * all values are equal (the mean of equal floats can differ from them by an ulp, which would
 * otherwise leave a spurious 1e-19 and an absurd Sharpe ratio).
 */
export function sampleStd(values: readonly number[]): number {
  if (values.length < 2) return NaN;
  if (values.every((v) => v === values[0])) return 0;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (values.length - 1));
}

/** Sample covariance (ddof = 1) of two equally long arrays; NaN for fewer than 2 values. */
export function sampleCovariance(a: readonly number[], b: readonly number[]): number {
  if (a.length < 2) return NaN;
  const ma = mean(a);
  const mb = mean(b);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - ma) * ((b[i] as number) - mb);
  return s / (a.length - 1);
}

/**
 * Quantile with linear interpolation between order statistics (pandas/numpy default):
 * `h = q*(n-1)`, `i = floor(h)`, result `s[i] + (s[i+1]-s[i])*(h-i)` over the sorted values.
 */
export function quantileLinear(values: readonly number[], q: number): number {
  const s = [...values].sort((x, y) => x - y);
  const h = q * (s.length - 1);
  const i = Math.floor(h);
  const lo = s[i] as number;
  if (i + 1 >= s.length) return lo;
  return lo + ((s[i + 1] as number) - lo) * (h - i);
}
