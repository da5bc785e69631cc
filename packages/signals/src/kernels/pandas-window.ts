import { writeMoments } from './moments-outputs';
import type { WindowRun } from './run-window';

/**
 * Rolling sum, mean and sample variance (ddof 1) with pandas' exact arithmetic (pandas 1.5
 * `roll_sum`, `roll_mean`, `roll_var`), for the exported primitives (`rollingSum`, `rollingVar`,
 * `rollingCov`...), which must stay accurate for any input (e.g. prices far from 0):
 * - the sum: Kahan-compensated add and remove (separate compensation terms);
 * - the variance: Welford's update with Kahan-compensated means (separate compensations);
 * - NaN values skipped but still occupying their slot, a result only when the window holds
 *   `windowBars` non-NaN values (min_periods = window);
 * - a window of identical values gives exactly that value (mean), `n * value` (sum) and 0
 *   (variance), as pandas tracks the run of equal values;
 * - pandas' sign clamp for means: a window of only non-negative values never has a negative
 *   mean, and vice versa.
 *
 * The state holds `nobs` non-NaN values, the count of values with the sign bit set
 * (`negCount`, pandas' `signbit`), the run of identical values ending at the newest one
 * (`sameRun`, `prev`), the compensated `sum` with the compensations of additions and removals,
 * and Welford's `mean` and sum of squared deviations `ssqdm` with theirs. {@link pandasRun} is
 * the one update, run over a series by {@link pandasPass} and over one new value at a time by
 * the streaming `RollingSumWindow` / `RollingVarWindow`.
 */
export function pandasState(windowBars: number) {
  return {
    w: windowBars,
    nobs: 0,
    negCount: 0,
    sameRun: 0,
    prev: NaN,
    sum: 0,
    sumAdd: 0,
    sumRemove: 0,
    mean: 0,
    ssqdm: 0,
    meanAdd: 0,
    meanRemove: 0,
  };
}

/** The running state of a pandas rolling window. */
export type PandasState = ReturnType<typeof pandasState>;

/** True for negative numbers and for -0, like C's `signbit` (pandas counts these). */
function hasNegativeSign(value: number): boolean {
  return value < 0 || (value === 0 && 1 / value < 0);
}

/**
 * The pandas window's {@link WindowRun}: outputs 0, 1, 2 are the sum, the mean and the sample
 * variance of the window after each value (NaN before `w` non-NaN values).
 */
export const pandasRun: WindowRun<PandasState> = (st, x, from, to, base, out, shift, stride) => {
  const w = st.w;
  // local index from which a value leaves the window
  const full = w - base;
  let { nobs, negCount, sameRun, prev, sum, sumAdd, sumRemove } = st;
  let { mean, ssqdm, meanAdd, meanRemove } = st;
  for (let i = from; i < to; i++) {
    if (i >= full) {
      const old = x[i - w] as number;
      if (old === old) {
        const y = -old - sumRemove;
        const t = sum + y;
        sumRemove = t - sum - y;
        sum = t;
        if (hasNegativeSign(old)) negCount--;
        if (--nobs > 0) {
          const previousMean = mean - meanRemove;
          const z = old - meanRemove;
          const u = z - mean;
          meanRemove = u + mean - z;
          mean = mean - u / nobs;
          ssqdm -= (old - previousMean) * (old - mean);
        } else {
          mean = ssqdm = 0;
        }
      }
    }
    const v = x[i] as number;
    if (v === v) {
      const n = ++nobs;
      const y = v - sumAdd;
      const t = sum + y;
      sumAdd = t - sum - y;
      sum = t;
      if (hasNegativeSign(v)) negCount++;
      // a restart and an increment (see momentsRun)
      if (v !== prev) sameRun = 0;
      sameRun++;
      prev = v;
      const previousMean = mean - meanAdd;
      const z = v - meanAdd;
      const u = z - mean;
      meanAdd = u + mean - z;
      mean = mean + u / n;
      ssqdm += (v - previousMean) * (v - mean);
    }
    // pandas' sign clamp: a window of only non-negative values never has a negative mean
    const m = sum / nobs;
    const clamped = (negCount === 0 && m < 0) || (negCount === nobs && m > 0) ? 0 : m;
    const variance = ssqdm / (nobs - 1);
    writeMoments(out, i + shift, stride, nobs, w, sameRun >= nobs, prev, sum, clamped, variance);
  }
  // store the state back (destructuring assignments: the optimizer allocates no object)
  ({ nobs: st.nobs, negCount: st.negCount, sameRun: st.sameRun } = { nobs, negCount, sameRun });
  ({ prev: st.prev, sum: st.sum, sumAdd: st.sumAdd } = { prev, sum, sumAdd });
  ({ sumRemove: st.sumRemove, mean: st.mean, ssqdm: st.ssqdm } = { sumRemove, mean, ssqdm });
  ({ meanAdd: st.meanAdd, meanRemove: st.meanRemove } = { meanAdd, meanRemove });
};

/**
 * The window's sums, means and variances after each bar of `x`, into `out` (at least 3n
 * values): the sums at `[0, n)`, the means at `[n, 2n)`, the variances at `[2n, 3n)`.
 */
export function pandasPass(x: Float64Array, windowBars: number, out: Float64Array): void {
  pandasRun(pandasState(windowBars), x, 0, x.length, 0, out, 0, x.length);
}
