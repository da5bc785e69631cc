import { RunWindow, type WindowRun } from './run-window';
import { interpolate, sortedQuantile, sortedState, sortedStep } from './sorted-window';

/** Extra order statistics tracked beyond the needed ones, so that refills are rare. */
const SLACK = 6;

/**
 * A low and a high quantile of a rolling window (TailRisk's 5% and 95% over 60 bars) without
 * keeping the whole window sorted. Each tail holds between `k` and `k + SLACK` of the smallest
 * (resp. largest) values of the window, sorted — always a prefix of the window's sorted values —
 * and is rebuilt by one scan of the window only when it shrinks below the order statistics the
 * interpolation needs. The quantiles read only values at given ranks, so ties need no index: a
 * leaving value equal to a tail's last entry may be taken out of the tail or not, the tail stays
 * a prefix either way. Results equal the sorted window's bit for bit (the same order statistics,
 * the same interpolation; -0 is read as +0 by both), and a sorted window is used instead when
 * the tails would overlap (tiny windows).
 *
 * {@link tailRun} is the one update, run over a series by {@link tailPass} and one value at a
 * time by the streaming {@link TailQuantiles}.
 */
export function tailState(windowBars: number, qLow: number, qHigh: number) {
  const w = windowBars;
  // pandas interpolates between ranks floor(h) and floor(h) + 1 with weight h - floor(h)
  const hLow = qLow * (w - 1);
  const iLow = Math.floor(hLow);
  const fLow = hLow - iLow;
  const hHigh = qHigh * (w - 1);
  const iHigh = Math.floor(hHigh);
  // ascending ranks 0..k-1 and iHigh..w-1 (the m largest) are needed
  const k = fLow === 0 ? iLow + 1 : iLow + 2;
  const m = w - iHigh;
  const capLow = Math.min(k + SLACK, w);
  const capHigh = Math.min(m + SLACK, w);
  const tails = capLow + capHigh <= w && qLow <= qHigh;
  // ascending rank r of the high tail sits at highV[w - 1 - r]
  const jHigh = w - 1 - iHigh;
  return {
    w,
    qLow,
    qHigh,
    iLow,
    fLow,
    fHigh: hHigh - iHigh,
    k,
    m,
    jHigh,
    jNext: Math.max(jHigh - 1, 0),
    fallback: tails ? undefined : sortedState(w),
    lowV: new Float64Array(tails ? capLow : 0),
    highV: new Float64Array(tails ? capHigh : 0),
    lowSize: 0,
    highSize: 0,
    nanCount: 0,
    dirty: true,
  };
}

/** The running state of a pair of tail quantiles. */
export type TailState = ReturnType<typeof tailState>;

/** `x[j]` as the tails rank it: -0 is read as +0, as the sorted window reads it. */
function rankedValue(x: Float64Array, j: number): number {
  const r = x[j] as number;
  return r === 0 ? 0 : r;
}

// The tail helpers take the series and an index, not the value: a double passed to a call the
// compiler does not inline is boxed, one heap number per call.

/**
 * Removes one entry equal to `x[j]` from the tail `values[0..size)` (ascending, or descending),
 * searching from its end; returns the new size (unchanged if no entry equals it).
 */
function removeValue(values: Float64Array, size: number, x: Float64Array, j: number): number {
  const u = rankedValue(x, j);
  let p = size - 1;
  while (p >= 0 && values[p] !== u) p--;
  if (p < 0) return size;
  // a tail is short: shifting by hand beats copyWithin's call
  for (const last = size - 1; p < last; p++) values[p] = values[p + 1] as number;
  return size - 1;
}

/**
 * Inserts `x[j]` into the tail `values[0..size)` (at most `values.length` entries; the last one
 * is dropped when full), ascending for the low tail, descending for the high one; new size.
 */
function insertValue(
  values: Float64Array,
  size: number,
  x: Float64Array,
  j: number,
  descending: boolean,
): number {
  const u = rankedValue(x, j);
  const cap = values.length;
  let p = size < cap ? size++ : cap - 1;
  while (p > 0 && (descending ? (values[p - 1] as number) <= u : (values[p - 1] as number) > u)) {
    values[p] = values[p - 1] as number;
    p--;
  }
  values[p] = u;
  return size;
}

/**
 * Refills one tail from the window `x[from..to]`, scanning it in index order: the smallest
 * values ascending (`descending` false) or the largest descending; returns its size.
 */
function refillTail(
  values: Float64Array,
  x: Float64Array,
  from: number,
  to: number,
  descending: boolean,
): number {
  const cap = values.length;
  let size = 0;
  for (let j = from; j <= to; j++) {
    if (size < cap) size = insertValue(values, size, x, j, descending);
    else {
      const u = rankedValue(x, j);
      const last = values[cap - 1] as number;
      if (descending ? u > last : u < last) insertValue(values, size, x, j, descending);
    }
  }
  return size;
}

/** The last of a tail's `size` entries, or `none` when it is empty. */
function lastEntry(values: Float64Array, size: number, none: number): number {
  return size > 0 ? (values[size - 1] as number) : none;
}

/** {@link tailRun} on a sorted window, for windows too small for two separate tails. */
const sortedRun: WindowRun<TailState> = (st, x, from, to, base, out, shift, stride) => {
  const sorted = st.fallback;
  if (sorted === undefined) return;
  for (let i = from; i < to; i++) {
    sortedStep(sorted, x, i, i + base);
    out[i + shift] = sortedQuantile(sorted, st.qLow);
    out[i + shift + stride] = sortedQuantile(sorted, st.qHigh);
  }
};

/**
 * Advances `st` over `x[from..to)` (local indices of a series whose index 0 is global index
 * `base`; the window `x[i - w + 1 .. i]` and, once full, the leaving `x[i - w]` must be
 * readable), writing the low and high quantiles after each value (a {@link WindowRun}:
 * outputs 0 and 1): NaN while the window is not full or holds a NaN.
 */
export const tailRun: WindowRun<TailState> = (st, x, from, to, base, out, shift, stride) => {
  if (st.fallback !== undefined) {
    // a call of its own: inlined, this path would spend the compiler's inlining budget
    sortedRun(st, x, from, to, base, out, shift, stride);
    return;
  }
  const { w, lowV, highV, k, m, iLow, fLow, jHigh, jNext, fHigh } = st;
  let { lowSize, highSize, nanCount, dirty } = st;
  // the tails' last entries and the two quantiles live in locals: most bars change neither
  // tail, and then read nothing from them (NaN while the tails are not built: no comparison holds)
  let lowLast = dirty ? NaN : lastEntry(lowV, lowSize, -Infinity);
  let highLast = dirty ? NaN : lastEntry(highV, highSize, Infinity);
  let qLow = NaN;
  let qHigh = NaN;
  let changed = true;
  for (let i = from; i < to; i++) {
    const g = i + base;
    const raw = x[i] as number;
    if (raw !== raw) nanCount++;
    if (g >= w) {
      const old = x[i - w] as number;
      if (old !== old) nanCount--;
      else {
        // a leaving value ranked after a tail's last entry is not in that tail
        const u = old === 0 ? 0 : old;
        if (u <= lowLast) {
          lowSize = removeValue(lowV, lowSize, x, i - w);
          lowLast = lastEntry(lowV, lowSize, -Infinity);
          changed = true;
        } else if (u >= highLast) {
          highSize = removeValue(highV, highSize, x, i - w);
          highLast = lastEntry(highV, highSize, Infinity);
          changed = true;
        }
      }
    }
    const o = i + shift;
    if (nanCount > 0 || g + 1 < w) {
      dirty = true;
      lowLast = highLast = NaN;
      out[o] = out[o + stride] = NaN;
      continue;
    }
    const v = raw === 0 ? 0 : raw;
    // a tail takes the new value when it beats the tail's last entry: still a prefix
    if (v < lowLast) {
      lowSize = insertValue(lowV, lowSize, x, i, false);
      lowLast = lowV[lowSize - 1] as number;
      changed = true;
    } else if (v > highLast) {
      highSize = insertValue(highV, highSize, x, i, true);
      highLast = highV[highSize - 1] as number;
      changed = true;
    }
    // only a tail that ran short is refilled (the other one is still a prefix)
    if (dirty || lowSize < k) {
      lowSize = refillTail(lowV, x, i + 1 - w, i, false);
      lowLast = lowV[lowSize - 1] as number;
      changed = true;
    }
    if (dirty || highSize < m) {
      highSize = refillTail(highV, x, i + 1 - w, i, true);
      highLast = highV[highSize - 1] as number;
      changed = true;
    }
    dirty = false;
    if (changed) {
      qLow = interpolate(lowV[iLow] as number, lowV[iLow + 1] as number, fLow);
      qHigh = interpolate(highV[jHigh] as number, highV[jNext] as number, fHigh);
      changed = false;
    }
    out[o] = qLow;
    out[o + stride] = qHigh;
  }
  ({ lowSize: st.lowSize, highSize: st.highSize } = { lowSize, highSize });
  ({ nanCount: st.nanCount, dirty: st.dirty } = { nanCount, dirty });
};

/**
 * The quantiles `qLow` and `qHigh` of the window after each bar of `x`, into `out` (at least
 * 2n values): the low ones at `[0, n)`, the high ones at `[n, 2n)`.
 */
export function tailPass(
  x: Float64Array,
  windowBars: number,
  qLow: number,
  qHigh: number,
  out: Float64Array,
): void {
  tailRun(tailState(windowBars, qLow, qHigh), x, 0, x.length, 0, out, 0, x.length);
}

/** Streaming tail quantiles: `push` one value at a time, then read both quantiles. */
export class TailQuantiles extends RunWindow<TailState> {
  /**
   * @param windowBars window length (an integer >= 2, checked by the callers).
   * @param qLow the low quantile, @param qHigh the high quantile (in [0, 1]).
   */
  constructor(windowBars: number, qLow: number, qHigh: number) {
    super(windowBars, tailState(windowBars, qLow, qHigh), tailRun, 2);
  }

  /** The low quantile of the window, or NaN while it is not full or holds a NaN. */
  low(): number {
    return this.latest[0] as number;
  }

  /** The high quantile of the window, or NaN while it is not full or holds a NaN. */
  high(): number {
    return this.latest[1] as number;
  }
}
