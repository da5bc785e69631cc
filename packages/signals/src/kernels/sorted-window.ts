/**
 * Rolling quantiles over the last `windowBars` values: a sorted copy of the window kept up to
 * date by binary search and a shift (O(window) worst case, usually a few elements), and pandas'
 * linear interpolation ({@link sortedQuantile}). NaN values occupy their slot but are not
 * stored; while the window holds a NaN (or is not full) every quantile is NaN (min_periods =
 * window). -0 is stored as +0 (they compare equal; this keeps the results' sign of zero
 * deterministic).
 *
 * The state holds the window's non-NaN values in ascending order in `sorted[0..size)` (grown as
 * needed, always one slot longer than `size`). {@link sortedStep} is the one update, run over a
 * series by {@link sortedPass} and one value at a time by `RollingQuantileWindow`.
 */
export function sortedState(windowBars: number) {
  return { w: windowBars, sorted: new Float64Array(Math.min(windowBars, 64) + 1), size: 0 };
}

/** The running state of a sorted window. */
export type SortedState = ReturnType<typeof sortedState>;

/** `a + (b - a) * f`, or exactly `a` when `f` is 0: pandas' linear interpolation step. */
export function interpolate(a: number, b: number, f: number): number {
  return f === 0 ? a : a + (b - a) * f;
}

/**
 * The `q` quantile of the window as pandas: `h = q*(n-1)`, `i = floor(h)`,
 * `interpolate(s[i], s[i+1], h - i)`; NaN unless the window holds `w` values.
 */
export function sortedQuantile(st: SortedState, q: number): number {
  const size = st.size;
  if (size < st.w) return NaN;
  const h = q * (size - 1);
  const i = Math.floor(h);
  return interpolate(st.sorted[i] as number, st.sorted[i + 1] as number, h - i);
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
 * Advances `st` by the value `x[i]` (global index `g`); once the window is full (`g >= w`) the
 * value `x[i - w]` leaves it.
 */
export function sortedStep(st: SortedState, x: Float64Array, i: number, g: number): void {
  let removeAt = -1;
  if (g >= st.w) {
    const old = x[i - st.w] as number;
    // an equal value is there (NaN never is)
    if (old === old) removeAt = searchSorted(st.sorted, st.size, old, false);
  }
  const raw = x[i] as number;
  const value = raw === 0 ? 0 : raw;
  if (value === value && removeAt >= 0) {
    replaceSorted(st.sorted, st.size, removeAt, value);
  } else if (value === value) {
    if (st.size + 1 === st.sorted.length) {
      const larger = new Float64Array(Math.min(2 * st.sorted.length, st.w + 1));
      larger.set(st.sorted);
      st.sorted = larger;
    }
    const sorted = st.sorted;
    const at = searchSorted(sorted, st.size, value, true);
    sorted.copyWithin(at + 1, at, st.size);
    sorted[at] = value;
    st.size++;
  } else if (removeAt >= 0) {
    st.sorted.copyWithin(removeAt, removeAt + 1, st.size);
    st.size--;
  }
}

/** A quantile a sorted-window pass writes after each bar. */
export interface QuantileOutput {
  /** The quantile, in [0, 1]. */
  readonly q: number;
  /** Where the values go (`values[i]`). */
  readonly values: Float64Array;
}

/** The window's quantiles after each bar of `x`, into each output's values. */
export function sortedPass(x: Float64Array, windowBars: number, out: readonly QuantileOutput[]) {
  const st = sortedState(windowBars);
  for (let i = 0; i < x.length; i++) {
    sortedStep(st, x, i, i);
    for (const { q, values } of out) values[i] = sortedQuantile(st, q);
  }
}
