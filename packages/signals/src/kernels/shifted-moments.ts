import { SeriesHistory } from './series-history';

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
 * The exported `rollingSum`/`rollingVar`... keep pandas' own arithmetic (`kahan-sum`,
 * `welford-variance`), which stays accurate for any input (e.g. prices far from 0).
 *
 * The state holds `n` non-NaN values in the window, the run of identical values ending at the
 * newest one (`sameRun`, `prev`), the bars `left` to the next boundary, the shift `k` (NaN until
 * a value is seen), the window sums `s1`, `s2` and the sums `b1`, `b2` since the boundary.
 * {@link momentsStep} is the one update: {@link momentsPass} runs it over a whole series (on a
 * state local to the pass, which the optimizing compiler keeps in registers), the streaming
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

/**
 * Advances `st` by the value `x[i]` (global index `g`); once the window is full (`g >= w`) the
 * value `x[i - w]` leaves it.
 */
export function momentsStep(st: MomentsState, x: Float64Array, i: number, g: number): void {
  const w = st.w;
  if (g >= w) {
    const o = x[i - w] as number;
    if (o === o) {
      const d = o - st.k;
      st.n--;
      st.s1 -= d;
      st.s2 -= d * d;
    }
  }
  const v = x[i] as number;
  if (v === v) {
    if (st.k !== st.k) st.k = v;
    const d = v - st.k;
    const dd = d * d;
    st.n++;
    st.s1 += d;
    st.s2 += dd;
    st.b1 += d;
    st.b2 += dd;
    st.sameRun = v === st.prev ? st.sameRun + 1 : 1;
    st.prev = v;
  }
  if (--st.left === 0) {
    st.left = w;
    st.s1 = st.b1;
    st.s2 = st.b2;
    st.b1 = st.b2 = 0;
  }
}

/** Sum of the window, or NaN while it holds fewer than `w` non-NaN values. */
export function momentsSum(st: MomentsState): number {
  const n = st.n;
  if (n < st.w) return NaN;
  return st.sameRun >= n ? st.prev * n : st.s1 + st.k * n;
}

/** Mean of the window (`k + S1/n`), or NaN while it is not full. */
export function momentsMean(st: MomentsState): number {
  const n = st.n;
  if (n < st.w) return NaN;
  return st.sameRun >= n ? st.prev : st.k + st.s1 * st.invW;
}

/** Sample variance of the window, or NaN while it is not full. */
export function momentsVariance(st: MomentsState): number {
  const n = st.n;
  if (n < st.w) return NaN;
  return st.sameRun >= n ? 0 : (st.s2 - st.s1 * st.s1 * st.invW) * st.invW1;
}

/** Square root of a variance; a negative rounding residue gives 0 (pandas' `zsqrt`). */
export function zsqrt(variance: number): number {
  return variance < 0 ? 0 : Math.sqrt(variance);
}

/** The window's sum, mean and variance after each bar of `x`. */
export function momentsPass(
  x: Float64Array,
  windowBars: number,
  sum: Float64Array,
  mean: Float64Array,
  variance: Float64Array,
): void {
  const st = momentsState(windowBars);
  for (let i = 0; i < x.length; i++) {
    momentsStep(st, x, i, i);
    sum[i] = momentsSum(st);
    mean[i] = momentsMean(st);
    variance[i] = momentsVariance(st);
  }
}

/** Streaming shifted moments: `push` one value at a time, then read the window. */
export class ShiftedMoments {
  private readonly st: MomentsState;
  private readonly history: SeriesHistory;

  /** @param windowBars window length (an integer >= 2, checked by the callers). */
  constructor(windowBars: number) {
    this.st = momentsState(windowBars);
    this.history = new SeriesHistory(windowBars);
  }

  /** Adds the newest value; the oldest one leaves once the window is full. */
  push(value: number): void {
    const h = this.history;
    const i = h.append(value);
    momentsStep(this.st, h.x, i, i + h.base);
  }

  /** Sum of the window, or NaN while it is not full. */
  sum(): number {
    return momentsSum(this.st);
  }

  /** Mean of the window, or NaN while it is not full. */
  mean(): number {
    return momentsMean(this.st);
  }

  /** Sample variance of the window, or NaN while it is not full. */
  variance(): number {
    return momentsVariance(this.st);
  }
}
