import { SeriesHistory } from './series-history';

/**
 * Rolling sample variance (ddof 1) with pandas' exact arithmetic (pandas 1.5 `roll_var`):
 * Welford's update with Kahan-compensated means (separate compensation for add and remove),
 * NaN skipped, min_periods = window, and exactly 0 for a window of identical values (pandas
 * tracks the run of equal values to avoid rounding residue).
 *
 * The state holds `nobs` non-NaN values, the run of identical values ending at the newest one
 * (`sameRun`, `prev`), the running `mean` and sum of squared deviations `ssqdm` and the
 * compensations of the mean for additions and removals. {@link welfordStep} is the one update,
 * run over a series by {@link welfordPass} and one value at a time by {@link WelfordVariance}.
 */
export function welfordState(windowBars: number) {
  return {
    w: windowBars,
    nobs: 0,
    sameRun: 0,
    prev: NaN,
    mean: 0,
    ssqdm: 0,
    compAdd: 0,
    compRemove: 0,
  };
}

/** The running state of a pandas rolling variance. */
export type WelfordState = ReturnType<typeof welfordState>;

/**
 * Advances `st` by the value `x[i]` (global index `g`); once the window is full (`g >= w`) the
 * value `x[i - w]` leaves it.
 */
export function welfordStep(st: WelfordState, x: Float64Array, i: number, g: number): void {
  if (g >= st.w) {
    const old = x[i - st.w] as number;
    if (old === old && --st.nobs > 0) {
      const mean = st.mean;
      const previousMean = mean - st.compRemove;
      const y = old - st.compRemove;
      const t = y - mean;
      st.compRemove = t + mean - y;
      st.mean = mean - t / st.nobs;
      st.ssqdm -= (old - previousMean) * (old - st.mean);
    } else if (old === old) {
      st.mean = st.ssqdm = 0;
    }
  }
  const v = x[i] as number;
  if (v === v) {
    const n = ++st.nobs;
    st.sameRun = v === st.prev ? st.sameRun + 1 : 1;
    st.prev = v;
    const mean = st.mean;
    const previousMean = mean - st.compAdd;
    const y = v - st.compAdd;
    const t = y - mean;
    st.compAdd = t + mean - y;
    st.mean = mean + t / n;
    st.ssqdm += (v - previousMean) * (v - st.mean);
  }
}

/** pandas' rolling variance: NaN before `w` values (or fewer than 2), 0 on identical values. */
export function welfordVariance(st: WelfordState): number {
  const nobs = st.nobs;
  if (nobs < st.w || nobs < 2) return NaN;
  return st.sameRun >= nobs ? 0 : st.ssqdm / (nobs - 1);
}

/** The window's variance after each bar of `x`, into `out`. */
export function welfordPass(x: Float64Array, windowBars: number, out: Float64Array): void {
  const st = welfordState(windowBars);
  for (let i = 0; i < x.length; i++) {
    welfordStep(st, x, i, i);
    out[i] = welfordVariance(st);
  }
}

/** Streaming pandas rolling variance: `push` one value at a time, then read the window. */
export class WelfordVariance {
  private readonly st: WelfordState;
  private readonly history: SeriesHistory;

  /** @param windowBars window length (an integer >= 2, checked by the callers). */
  constructor(windowBars: number) {
    this.st = welfordState(windowBars);
    this.history = new SeriesHistory(windowBars);
  }

  /** Adds the newest value; the oldest one leaves once the window is full. */
  push(value: number): void {
    const h = this.history;
    const i = h.append(value);
    welfordStep(this.st, h.x, i, i + h.base);
  }

  /** Sample variance of the window, or NaN while it is not full. */
  variance(): number {
    return welfordVariance(this.st);
  }
}
