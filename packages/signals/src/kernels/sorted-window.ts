import { OnlineWindow } from './online-window';
import type { Series } from './series-history';

/** A quantile a sorted-window pass writes after each bar. */
export interface QuantileOutput {
  /** The quantile, in [0, 1]. */
  readonly q: number;
  /** Where the values go (`values[i - from]`). */
  readonly values: Float64Array;
}

/**
 * Rolling quantiles over the last `windowBars` values: a sorted copy of the window kept up to
 * date by binary search and a shift (O(window) worst case, usually a few elements), and pandas'
 * linear interpolation ({@link sortedQuantile}). NaN values occupy their slot but are not
 * stored; while the window holds a NaN (or is not full) every quantile is NaN (min_periods =
 * window). -0 is stored as +0 (they compare equal; this keeps the results' sign of zero
 * deterministic).
 *
 * The fields are the running state of {@link sortedWindowPass}: the window's non-NaN values in
 * ascending order in `sorted[0..size)` (grown as needed, always one slot longer than `size`).
 */
export class SortedWindow extends OnlineWindow<never> {
  sorted: Float64Array;
  size = 0;
  protected readonly latest = {};

  constructor(windowBars: number) {
    super(windowBars);
    this.sorted = new Float64Array(Math.min(windowBars, 64) + 1);
  }

  protected advance(series: Series, i: number): void {
    sortedWindowPass(this, series, i, i + 1, []);
  }

  /** The `q` quantile (0..1) of the window, or NaN while it holds fewer than `windowBars` values. */
  quantile(q: number): number {
    return sortedQuantile(this.sorted, this.size, this.windowBars, q);
  }
}

/** `a + (b - a) * f`, or exactly `a` when `f` is 0: pandas' linear interpolation step. */
export function interpolate(a: number, b: number, f: number): number {
  return f === 0 ? a : a + (b - a) * f;
}

/**
 * The `q` quantile of `sorted[0..size)` as pandas: `h = q*(size-1)`, `i = floor(h)`,
 * `interpolate(s[i], s[i+1], h - i)`; NaN unless `size` is the window length `w`.
 * `sorted` must have room for one more value than `size` (the unread `s[size]`).
 */
export function sortedQuantile(sorted: Float64Array, size: number, w: number, q: number): number {
  if (size < w) return NaN;
  const h = q * (size - 1);
  const i = Math.floor(h);
  return interpolate(sorted[i] as number, sorted[i + 1] as number, h - i);
}

/** Index of the first value of `sorted[0..size)` that is `>= value` (`> value` if `after`). */
function searchSorted(sorted: Float64Array, size: number, value: number, after: boolean): number {
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = sorted[mid] as number;
    if (s < value || (after && s === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Replaces the window's leaving value at `sorted[at]` by the new `value`: the gap moves to the
 * new value's place by one shift of the values in between.
 */
function replaceSorted(sorted: Float64Array, size: number, at: number, value: number): void {
  let j = at;
  if (j + 1 < size && (sorted[j + 1] as number) < value) {
    do {
      sorted[j] = sorted[j + 1] as number;
      j++;
    } while (j + 1 < size && (sorted[j + 1] as number) < value);
  } else {
    while (j > 0 && (sorted[j - 1] as number) > value) {
      sorted[j] = sorted[j - 1] as number;
      j--;
    }
  }
  sorted[j] = value;
}

/**
 * Advances `acc` over `series.x[from..to)` (local indices; `series.x[i - windowBars]` must be
 * readable once `i + series.base >= windowBars`), writing each requested quantile of the window
 * after each bar to its `values[i - from]`.
 */
export function sortedWindowPass(
  acc: SortedWindow,
  series: Series,
  from: number,
  to: number,
  out: readonly QuantileOutput[],
): void {
  const w = acc.windowBars;
  const { x, base } = series;
  const full = w - base;
  let { sorted, size } = acc;
  for (let i = from; i < to; i++) {
    let removeAt = -1;
    if (i >= full) {
      const old = x[i - w] as number;
      // an equal value is there (NaN never is)
      if (old === old) removeAt = searchSorted(sorted, size, old, false);
    }
    const raw = x[i] as number;
    const value = raw === 0 ? 0 : raw;
    if (value === value && removeAt >= 0) {
      replaceSorted(sorted, size, removeAt, value);
    } else if (value === value) {
      if (size + 1 === sorted.length) {
        const larger = new Float64Array(Math.min(2 * sorted.length, w + 1));
        larger.set(sorted);
        sorted = acc.sorted = larger;
      }
      const at = searchSorted(sorted, size, value, true);
      sorted.copyWithin(at + 1, at, size);
      sorted[at] = value;
      size++;
    } else if (removeAt >= 0) {
      sorted.copyWithin(removeAt, removeAt + 1, size);
      size--;
    }
    for (const { q, values } of out) values[i - from] = sortedQuantile(sorted, size, w, q);
  }
  acc.size = size;
}
