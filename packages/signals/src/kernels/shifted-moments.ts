import { OnlineWindow, outputsOf, type Outputs } from './online-window';
import type { Series } from './series-history';

/** The outputs of {@link shiftedMomentsPass}. */
const MOMENTS_OUTPUTS = ['sum', 'mean', 'variance'] as const;
type MomentsOutput = (typeof MOMENTS_OUTPUTS)[number];

/**
 * Rolling sum, mean and sample variance (ddof 1) for the signals' internal, well-scaled
 * series (returns, closes, realized volatility, beta): window sums of `d = x - k` and `d*d`,
 * where `k` is the first valid value seen, so `var = (S2 - S1*S1/n) / (n - 1)` does not cancel
 * for series away from 0. Each bar subtracts the leaving value and adds the new one; every
 * `windowBars` bars the sums are replaced by the exact sums of the window, which a second pair
 * of sums (restarted at each such boundary) has accumulated in the order a re-scan of the
 * window would use — so rounding cannot drift and no window is ever re-read. No division on
 * the update path. pandas' rules are kept: NaN until the window holds `windowBars` non-NaN
 * values; a window of identical values gives exactly that value (mean), `n * value` (sum) and
 * 0 (variance).
 *
 * The exported `rollingSum`/`rollingVar`... keep pandas' own arithmetic (`KahanSum`,
 * `WelfordVariance`), which stays accurate for any input (e.g. prices far from 0).
 *
 * The fields are the running state of {@link shiftedMomentsPass}: `n` non-NaN values in the
 * window, the shift `k` (NaN until a value is seen), the window sums `s1`, `s2`, the sums `b1`,
 * `b2` since the last exact boundary, the run of identical values ending at the newest one
 * (`sameRun`, `prev`) and the bars `left` to the next boundary.
 */
export class ShiftedMoments extends OnlineWindow<MomentsOutput> {
  n = 0;
  sameRun = 0;
  left: number;
  k = NaN;
  prev = NaN;
  s1 = 0;
  s2 = 0;
  b1 = 0;
  b2 = 0;
  protected readonly latest = outputsOf(MOMENTS_OUTPUTS);

  constructor(windowBars: number) {
    super(windowBars);
    this.left = windowBars;
  }

  protected advance(series: Series, i: number): void {
    shiftedMomentsPass(this, series, i, i + 1, this.latest);
  }
}

/** Square root of a variance; a negative rounding residue gives 0 (pandas' `zsqrt`). */
export function zsqrt(variance: number): number {
  return variance < 0 ? 0 : Math.sqrt(variance);
}

/**
 * Advances `acc` over `series.x[from..to)` (local indices; `series.x[i - windowBars]` must be
 * readable once `i + series.base >= windowBars`), writing the window's sum, mean and variance
 * after each bar to `out.*[i - from]` where an output is given.
 */
export function shiftedMomentsPass(
  acc: ShiftedMoments,
  series: Series,
  from: number,
  to: number,
  out: Partial<Outputs<MomentsOutput>>,
): void {
  const w = acc.windowBars;
  const invW = 1 / w;
  const invW1 = 1 / (w - 1);
  const { x, base } = series;
  const { sum: outSum, mean: outMean, variance: outVar } = out;
  // local index from which a value leaves the window at each step
  const full = w - base;
  let { n, k, s1, s2, b1, b2, sameRun, prev, left } = acc;
  // the shift is the first valid value ever seen: find it once, outside the loop
  for (let i = from; k !== k && i < to; i++) k = x[i] as number;
  for (let i = from; i < to; i++) {
    if (i >= full) {
      const o = x[i - w] as number;
      if (o === o) {
        const d = o - k;
        n--;
        s1 -= d;
        s2 -= d * d;
      }
    }
    const v = x[i] as number;
    if (v === v) {
      const d = v - k;
      const dd = d * d;
      n++;
      s1 += d;
      s2 += dd;
      b1 += d;
      b2 += dd;
      sameRun = v === prev ? sameRun + 1 : 1;
      prev = v;
    }
    if (--left === 0) {
      left = w;
      s1 = b1;
      s2 = b2;
      b1 = b2 = 0;
    }
    const o = i - from;
    const same = sameRun >= n;
    if (outSum !== undefined) outSum[o] = n < w ? NaN : same ? prev * n : s1 + k * n;
    if (outMean !== undefined) outMean[o] = n < w ? NaN : same ? prev : k + s1 * invW;
    if (outVar !== undefined) outVar[o] = n < w ? NaN : same ? 0 : (s2 - s1 * s1 * invW) * invW1;
  }
  // store the running state back (destructuring assignments: no object is allocated)
  ({ n: acc.n, k: acc.k, s1: acc.s1, s2: acc.s2, b1: acc.b1 } = { n, k, s1, s2, b1 });
  ({ b2: acc.b2, sameRun: acc.sameRun, prev: acc.prev } = { b2, sameRun, prev });
  acc.left = left;
}
