import { OnlineWindow, outputsOf, type Outputs } from './online-window';
import type { Series } from './series-history';
import { interpolate, SortedWindow, sortedWindowPass, type QuantileOutput } from './sorted-window';

/** The outputs of {@link tailQuantilesPass}. */
const TAIL_OUTPUTS = ['low', 'high'] as const;
type TailOutput = (typeof TAIL_OUTPUTS)[number];

/** Extra order statistics tracked beyond the needed ones, so that refills are rare. */
const SLACK = 8;

/**
 * A low and a high quantile of a rolling window (TailRisk's 5% and 95% over 60 bars) without
 * keeping the whole window sorted. Each tail tracks between `k` and `k + SLACK` of the smallest
 * (resp. largest) values of the window — always a prefix of the window's order (value, then
 * index) — and is rebuilt by one scan of the window only when it shrinks below the order
 * statistics the interpolation needs. Results equal {@link SortedWindow}'s bit for bit (the same
 * order statistics, the same interpolation; -0 is read as +0 by both), and it falls back to a
 * {@link SortedWindow} when the tails would overlap (tiny windows).
 */
export class TailQuantiles extends OnlineWindow<TailOutput> {
  /** The sorted window used instead of the tails, for windows too small for them. */
  readonly fallback: SortedWindow | undefined;
  readonly qLow: number;
  readonly qHigh: number;
  /** Smallest values ascending and largest descending, with their global indices. */
  readonly lowV: Float64Array;
  readonly lowI: Float64Array;
  readonly highV: Float64Array;
  readonly highI: Float64Array;
  /** The running state of {@link tailQuantilesPass}: tail sizes, NaN in the window, rebuild. */
  lowSize = 0;
  highSize = 0;
  nanCount = 0;
  dirty = true;
  protected readonly latest = outputsOf(TAIL_OUTPUTS);

  /**
   * @param windowBars window length (an integer >= 2, checked by the callers).
   * @param qLow the low quantile, @param qHigh the high quantile (in [0, 1]).
   */
  constructor(windowBars: number, qLow: number, qHigh: number) {
    super(windowBars);
    this.qLow = qLow;
    this.qHigh = qHigh;
    const { k, m } = tailRanks(windowBars, qLow, qHigh);
    const capLow = Math.min(k + SLACK, windowBars);
    const capHigh = Math.min(m + SLACK, windowBars);
    const tails = capLow + capHigh <= windowBars && qLow <= qHigh;
    this.fallback = tails ? undefined : new SortedWindow(windowBars);
    this.lowV = new Float64Array(tails ? capLow : 0);
    this.lowI = new Float64Array(tails ? capLow : 0);
    this.highV = new Float64Array(tails ? capHigh : 0);
    this.highI = new Float64Array(tails ? capHigh : 0);
  }

  protected advance(series: Series, i: number): void {
    tailQuantilesPass(this, series, i, i + 1, this.latest);
  }
}

/**
 * The ranks pandas interpolates between for quantiles `qLow` and `qHigh` of a window of `w`
 * (`h = q*(w-1)`, rank `floor(h)`, weight `h - floor(h)`), the number `k` of smallest values the
 * low quantile needs and the number `m` of largest the high one needs.
 */
function tailRanks(w: number, qLow: number, qHigh: number) {
  const hLow = qLow * (w - 1);
  const iLow = Math.floor(hLow);
  const fLow = hLow - iLow;
  const hHigh = qHigh * (w - 1);
  const iHigh = Math.floor(hHigh);
  const fHigh = hHigh - iHigh;
  // ascending ranks 0..k-1 and iHigh..w-1 (the m largest)
  return { iLow, fLow, iHigh, fHigh, k: fLow === 0 ? iLow + 1 : iLow + 2, m: w - iHigh };
}

/** Removes the entry with global index `index` from a tail of `size` entries; new size. */
function removeIndex(
  values: Float64Array,
  indices: Float64Array,
  size: number,
  index: number,
): number {
  let p = 0;
  while (p < size && indices[p] !== index) p++;
  if (p === size) return size;
  // a tail is short: shifting by hand beats copyWithin's call
  for (const last = size - 1; p < last; p++) {
    values[p] = values[p + 1] as number;
    indices[p] = indices[p + 1] as number;
  }
  return size - 1;
}

/**
 * Inserts value `u` with global index `j` into a tail of `size` entries (at most `cap`; the
 * last one is dropped when full), ascending for the low tail, descending for the high one. It
 * goes after the equal values of the low tail and before those of the high tail: the newest
 * index ranks last among equal values. Returns the new size.
 */
function insertTail(
  values: Float64Array,
  indices: Float64Array,
  size: number,
  cap: number,
  u: number,
  j: number,
  descending: boolean,
): number {
  let p = size < cap ? size++ : cap - 1;
  while (p > 0 && (descending ? (values[p - 1] as number) <= u : (values[p - 1] as number) > u)) {
    values[p] = values[p - 1] as number;
    indices[p] = indices[p - 1] as number;
    p--;
  }
  values[p] = u;
  indices[p] = j;
  return size;
}

/**
 * Advances `acc` over `series.x[from..to)` (local indices; the window `x[i - windowBars + 1 ..
 * i]` and the leaving `x[i - windowBars]` must be readable), writing the low and high quantiles
 * after each bar to `out.low/high[i - from]` where an output is given.
 */
export function tailQuantilesPass(
  acc: TailQuantiles,
  series: Series,
  from: number,
  to: number,
  out: Partial<Outputs<TailOutput>>,
): void {
  const { fallback, windowBars: w, qLow, qHigh } = acc;
  const { low: outLow, high: outHigh } = out;
  if (fallback !== undefined) {
    const quantiles: QuantileOutput[] = [];
    if (outLow !== undefined) quantiles.push({ q: qLow, values: outLow });
    if (outHigh !== undefined) quantiles.push({ q: qHigh, values: outHigh });
    sortedWindowPass(fallback, series, from, to, quantiles);
    return;
  }
  const { x, base } = series;
  const full = w - base;
  const { lowV, lowI, highV, highI } = acc;
  const capLow = lowV.length;
  const capHigh = highV.length;
  const { iLow, fLow, iHigh, fHigh, k, m } = tailRanks(w, qLow, qHigh);
  // ascending rank r of the high tail sits at highV[w - 1 - r]
  const jHigh = w - 1 - iHigh;
  const jNext = Math.max(jHigh - 1, 0);
  let { lowSize, highSize, nanCount, dirty } = acc;
  for (let i = from; i < to; i++) {
    const raw = x[i] as number;
    if (raw !== raw) nanCount++;
    if (i >= full) {
      const old = x[i - w] as number;
      if (old !== old) nanCount--;
      else if (!dirty) {
        // the leaving index is in a tail only if its value does not rank after the tail's last
        const o = i - w + base;
        const u = old === 0 ? 0 : old;
        const before = lowSize;
        if (u <= (lowV[lowSize - 1] as number)) lowSize = removeIndex(lowV, lowI, lowSize, o);
        if (lowSize === before && u >= (highV[highSize - 1] as number)) {
          highSize = removeIndex(highV, highI, highSize, o);
        }
      }
    }
    if (nanCount > 0 || i + 1 < full) {
      dirty = true;
    } else {
      const v = raw === 0 ? 0 : raw;
      // The newest index ranks after every equal value (order: value, then index). A tail only
      // takes it when it beats the tail's last entry, so each tail stays a prefix of the order.
      if (!dirty && lowSize > 0 && v < (lowV[lowSize - 1] as number)) {
        lowSize = insertTail(lowV, lowI, lowSize, capLow, v, i + base, false);
      }
      if (!dirty && highSize > 0 && v >= (highV[highSize - 1] as number)) {
        highSize = insertTail(highV, highI, highSize, capHigh, v, i + base, true);
      }
      if (dirty || lowSize < k || highSize < m) {
        // rebuild both tails from the window, scanning in index order
        lowSize = highSize = 0;
        for (let j = i + 1 - w; j <= i; j++) {
          const r = x[j] as number;
          const u = r === 0 ? 0 : r;
          if (lowSize < capLow || u < (lowV[capLow - 1] as number)) {
            lowSize = insertTail(lowV, lowI, lowSize, capLow, u, j + base, false);
          }
          if (highSize < capHigh || u >= (highV[capHigh - 1] as number)) {
            highSize = insertTail(highV, highI, highSize, capHigh, u, j + base, true);
          }
        }
        dirty = false;
      }
    }
    const o = i - from;
    const low = interpolate(lowV[iLow] as number, lowV[iLow + 1] as number, fLow);
    const high = interpolate(highV[jHigh] as number, highV[jNext] as number, fHigh);
    if (outLow !== undefined) outLow[o] = dirty ? NaN : low;
    if (outHigh !== undefined) outHigh[o] = dirty ? NaN : high;
  }
  ({ lowSize: acc.lowSize, highSize: acc.highSize } = { lowSize, highSize });
  ({ nanCount: acc.nanCount, dirty: acc.dirty } = { nanCount, dirty });
}
