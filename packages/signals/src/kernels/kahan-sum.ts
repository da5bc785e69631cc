import { OnlineWindow, outputsOf, type Outputs } from './online-window';
import type { Series } from './series-history';

/** The outputs of {@link kahanSumPass}. */
const KAHAN_OUTPUTS = ['sum', 'mean'] as const;
type KahanOutput = (typeof KAHAN_OUTPUTS)[number];

/**
 * Rolling sum and mean with pandas' exact arithmetic (pandas 1.5 `roll_sum` / `roll_mean`):
 * Kahan-compensated add and remove (separate compensation terms), NaN values skipped but still
 * occupying their slot, a result only when the window holds `windowBars` non-NaN values
 * (min_periods = window), the all-equal-values rule (a window of identical values gives exactly
 * that value) and pandas' sign clamp for means (a window of only non-negative values never has
 * a negative mean, and vice versa).
 *
 * The fields are the running state of {@link kahanSumPass}: `nobs` non-NaN values, the
 * compensated `sum` with the compensations of additions and removals (`compAdd`,
 * `compRemove`), the count of values with the sign bit set (`negCount`, pandas' `signbit`) and
 * the run of identical values ending at the newest one (`sameRun`, `prev`).
 */
export class KahanSum extends OnlineWindow<KahanOutput> {
  nobs = 0;
  negCount = 0;
  sameRun = 0;
  prev = NaN;
  sum = 0;
  compAdd = 0;
  compRemove = 0;
  protected readonly latest = outputsOf(KAHAN_OUTPUTS);

  protected advance(series: Series, i: number): void {
    kahanSumPass(this, series, i, i + 1, this.latest);
  }
}

/** True for negative numbers and for -0, like C's `signbit` (pandas counts these). */
function hasNegativeSign(value: number): boolean {
  return value < 0 || (value === 0 && 1 / value < 0);
}

/** `sum / nobs` with pandas' sign clamp (`negCount` values with the sign bit set). */
function clampedMean(sum: number, nobs: number, negCount: number): number {
  const mean = sum / nobs;
  if (negCount === 0 && mean < 0) return 0;
  return negCount === nobs && mean > 0 ? 0 : mean;
}

/**
 * Advances `acc` over `series.x[from..to)` (local indices; `series.x[i - windowBars]` must be
 * readable once `i + series.base >= windowBars`), writing the window's sum and mean after each
 * bar to `out.*[i - from]` where an output is given.
 */
export function kahanSumPass(
  acc: KahanSum,
  series: Series,
  from: number,
  to: number,
  out: Partial<Outputs<KahanOutput>>,
): void {
  const w = acc.windowBars;
  const { x, base } = series;
  const { sum: outSum, mean: outMean } = out;
  const full = w - base;
  let { nobs, sum, compAdd, compRemove, negCount, sameRun, prev } = acc;
  for (let i = from; i < to; i++) {
    if (i >= full) {
      const old = x[i - w] as number;
      if (old === old) {
        nobs--;
        const y = -old - compRemove;
        const t = sum + y;
        compRemove = t - sum - y;
        sum = t;
        if (hasNegativeSign(old)) negCount--;
      }
    }
    const v = x[i] as number;
    if (v === v) {
      nobs++;
      const y = v - compAdd;
      const t = sum + y;
      compAdd = t - sum - y;
      sum = t;
      if (hasNegativeSign(v)) negCount++;
      sameRun = v === prev ? sameRun + 1 : 1;
      prev = v;
    }
    const o = i - from;
    const same = sameRun >= nobs;
    if (outSum !== undefined) outSum[o] = nobs < w ? NaN : same ? prev * nobs : sum;
    if (outMean !== undefined) {
      outMean[o] = nobs < w || nobs === 0 ? NaN : same ? prev : clampedMean(sum, nobs, negCount);
    }
  }
  // store the running state back (destructuring assignments: no object is allocated)
  ({ nobs: acc.nobs, sum: acc.sum, compAdd: acc.compAdd } = { nobs, sum, compAdd });
  ({ compRemove: acc.compRemove, negCount: acc.negCount } = { compRemove, negCount });
  ({ sameRun: acc.sameRun, prev: acc.prev } = { sameRun, prev });
}
