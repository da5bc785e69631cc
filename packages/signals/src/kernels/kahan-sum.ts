import { SeriesHistory } from './series-history';

/**
 * Rolling sum and mean with pandas' exact arithmetic (pandas 1.5 `roll_sum` / `roll_mean`):
 * Kahan-compensated add and remove (separate compensation terms), NaN values skipped but still
 * occupying their slot, a result only when the window holds `windowBars` non-NaN values
 * (min_periods = window), the all-equal-values rule (a window of identical values gives exactly
 * that value) and pandas' sign clamp for means (a window of only non-negative values never has
 * a negative mean, and vice versa).
 *
 * The state holds `nobs` non-NaN values, the count of values with the sign bit set
 * (`negCount`, pandas' `signbit`), the run of identical values ending at the newest one
 * (`sameRun`, `prev`), and the compensated `sum` with the compensations of additions and
 * removals. {@link kahanStep} is the one update, run over a series by {@link kahanPass} and
 * over one new value at a time by the streaming {@link KahanSum}.
 */
export function kahanState(windowBars: number) {
  return {
    w: windowBars,
    nobs: 0,
    negCount: 0,
    sameRun: 0,
    prev: NaN,
    sum: 0,
    compAdd: 0,
    compRemove: 0,
  };
}

/** The running state of a pandas rolling sum. */
export type KahanState = ReturnType<typeof kahanState>;

/** True for negative numbers and for -0, like C's `signbit` (pandas counts these). */
function hasNegativeSign(value: number): boolean {
  return value < 0 || (value === 0 && 1 / value < 0);
}

/**
 * Advances `st` by the value `x[i]` (global index `g`); once the window is full (`g >= w`) the
 * value `x[i - w]` leaves it.
 */
export function kahanStep(st: KahanState, x: Float64Array, i: number, g: number): void {
  if (g >= st.w) {
    const old = x[i - st.w] as number;
    if (old === old) {
      st.nobs--;
      const y = -old - st.compRemove;
      const t = st.sum + y;
      st.compRemove = t - st.sum - y;
      st.sum = t;
      if (hasNegativeSign(old)) st.negCount--;
    }
  }
  const v = x[i] as number;
  if (v === v) {
    st.nobs++;
    const y = v - st.compAdd;
    const t = st.sum + y;
    st.compAdd = t - st.sum - y;
    st.sum = t;
    if (hasNegativeSign(v)) st.negCount++;
    st.sameRun = v === st.prev ? st.sameRun + 1 : 1;
    st.prev = v;
  }
}

/** pandas' rolling sum: NaN before `w` values, `n * value` on identical values. */
export function kahanSum(st: KahanState): number {
  const nobs = st.nobs;
  if (nobs < st.w) return NaN;
  return st.sameRun >= nobs ? st.prev * nobs : st.sum;
}

/** pandas' rolling mean: NaN before `w` values, the value on identical values, sign clamp. */
export function kahanMean(st: KahanState): number {
  const nobs = st.nobs;
  if (nobs < st.w || nobs === 0) return NaN;
  if (st.sameRun >= nobs) return st.prev;
  const mean = st.sum / nobs;
  if (st.negCount === 0 && mean < 0) return 0;
  return st.negCount === nobs && mean > 0 ? 0 : mean;
}

/** The window's sum and mean after each bar of `x`, into `sum` and `mean` where given. */
export function kahanPass(
  x: Float64Array,
  windowBars: number,
  sum: Float64Array | undefined,
  mean: Float64Array | undefined,
): void {
  const st = kahanState(windowBars);
  for (let i = 0; i < x.length; i++) {
    kahanStep(st, x, i, i);
    if (sum !== undefined) sum[i] = kahanSum(st);
    if (mean !== undefined) mean[i] = kahanMean(st);
  }
}

/** Streaming pandas rolling sum and mean: `push` one value at a time, then read the window. */
export class KahanSum {
  private readonly st: KahanState;
  private readonly history: SeriesHistory;

  /** @param windowBars window length (an integer >= 2, checked by the callers). */
  constructor(windowBars: number) {
    this.st = kahanState(windowBars);
    this.history = new SeriesHistory(windowBars);
  }

  /** Adds the newest value; the oldest one leaves once the window is full. */
  push(value: number): void {
    const h = this.history;
    const i = h.append(value);
    kahanStep(this.st, h.x, i, i + h.base);
  }

  /** Sum of the window, or NaN while it is not full. */
  sum(): number {
    return kahanSum(this.st);
  }

  /** Mean of the window, or NaN while it is not full. */
  mean(): number {
    return kahanMean(this.st);
  }
}
