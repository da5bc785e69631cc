import { MomentsWindow, writeMoments } from './moments-outputs';
import type { WindowRun } from './run-window';

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
 * The exported `rollingSum`/`rollingVar`... keep pandas' own arithmetic (`pandas-window`),
 * which stays accurate for any input (e.g. prices far from 0).
 *
 * The state holds `n` non-NaN values in the window, the run of identical values ending at the
 * newest one (`sameRun`, `prev`), the bars `left` to the next boundary, the shift `k` (NaN until
 * a value is seen), the window sums `s1`, `s2` and the sums `b1`, `b2` since the boundary.
 * {@link momentsRun} is the one update: batch code runs it over a whole series, the streaming
 * {@link ShiftedMoments} over one new value at a time.
 */
export function momentsState(windowBars: number) {
  const w = windowBars;
  return {
    w,
    invW: 1 / w,
    invW1: 1 / (w - 1),
    n: 0,
    sameRun: 0,
    left: w,
    k: NaN,
    prev: NaN,
    s1: 0,
    s2: 0,
    b1: 0,
    b2: 0,
  };
}

/** The running state of a shifted-moments window. */
export type MomentsState = ReturnType<typeof momentsState>;

/** The mean `k + s1/w` of a window from its shifted sum `s1` (shift `k`). */
function shiftedMean(k: number, s1: number, invW: number): number {
  return k + s1 * invW;
}

/** The sample variance `(s2 - s1*s1/w) / (w - 1)` of a window from its shifted sums. */
function shiftedVariance(s1: number, s2: number, invW: number, invW1: number): number {
  return (s2 - s1 * s1 * invW) * invW1;
}

/**
 * Advances `st` over `x[from..to)` (local indices of a series whose index 0 is global index
 * `base`; once the window is full, `x[i - w]` leaves it) and writes the window's sum, mean and
 * variance after each value to `out[o]`, `out[o + stride]`, `out[o + 2 * stride]`, `o = i + shift`.
 * The state is read into locals once and stored back at the end, so a long run keeps it in
 * registers.
 */
export const momentsRun: WindowRun<MomentsState> = (st, x, from, to, base, out, shift, stride) => {
  const { w, invW, invW1 } = st;
  // local index from which a value leaves the window
  const full = w - base;
  let { n, sameRun, left, k, prev, s1, s2, b1, b2 } = st;
  // block by block to the next boundary (see `pairRun`): no boundary test in the inner loop;
  // at a boundary the exact sums replace the running ones and the last bar is written again
  for (let start = from; start < to;) {
    const end = Math.min(to, start + left);
    for (let i = start; i < end; i++) {
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
        if (k !== k) k = v;
        const d = v - k;
        const dd = d * d;
        n++;
        s1 += d;
        s2 += dd;
        b1 += d;
        b2 += dd;
        // the run restarts or grows without a branch: a series that repeats values at irregular
        // bars (a signal held between changes) mispredicts one; and no operation that runs only
        // on repeats, which the optimizer would turn into a deoptimization exit (see writeMoments)
        sameRun = sameRun * +(v === prev) + 1;
        prev = v;
      }
      const mean = shiftedMean(k, s1, invW);
      const variance = shiftedVariance(s1, s2, invW, invW1);
      writeMoments(out, i + shift, stride, n, w, sameRun >= n, prev, s1 + k * n, mean, variance);
    }
    left -= end - start;
    start = end;
    if (left === 0) {
      left = w;
      s1 = b1;
      s2 = b2;
      b1 = b2 = 0;
      const mean = shiftedMean(k, s1, invW);
      const variance = shiftedVariance(s1, s2, invW, invW1);
      writeMoments(
        out,
        end - 1 + shift,
        stride,
        n,
        w,
        sameRun >= n,
        prev,
        s1 + k * n,
        mean,
        variance,
      );
    }
  }
  // store the state back (destructuring assignments: the optimizer allocates no object)
  ({
    n: st.n,
    sameRun: st.sameRun,
    left: st.left,
    k: st.k,
    prev: st.prev,
  } = { n, sameRun, left, k, prev });
  ({ s1: st.s1, s2: st.s2, b1: st.b1, b2: st.b2 } = { s1, s2, b1, b2 });
};

/** Square root of a variance; a negative rounding residue gives 0 (pandas' `zsqrt`). */
export function zsqrt(variance: number): number {
  return variance < 0 ? 0 : Math.sqrt(variance);
}

/**
 * The window's sum, mean and variance after each bar of `x`, into `out` (at least 3n values):
 * the sums at `[0, n)`, the means at `[n, 2n)`, the variances at `[2n, 3n)`.
 */
export function momentsPass(x: Float64Array, windowBars: number, out: Float64Array): void {
  momentsRun(momentsState(windowBars), x, 0, x.length, 0, out, 0, x.length);
}

/** Streaming shifted moments: `push` one value at a time, then read the window. */
export class ShiftedMoments extends MomentsWindow<MomentsState> {
  /** @param windowBars window length (an integer >= 2, checked by the callers). */
  constructor(windowBars: number) {
    super(windowBars, momentsState(windowBars), momentsRun, 3);
  }
}
