import { ValidationError } from '@quantpipe/core';

/**
 * How each signal is rescaled before the signals are weighted into the composite:
 * - `none`: the spec's raw values (the signals keep their own, very different, scales);
 * - `rolling_z`: per symbol and signal, the z-score of the latest value over the trailing
 *   window of that signal's own history (comparable scales, the book's direction kept);
 * - `cross_sectional_z`: per date and signal, the z-score across the universe's symbols
 *   (each signal then sums to zero over the symbols: a market-neutral book);
 * - `cross_sectional_rank`: per date and signal, the rank across the symbols mapped
 *   linearly onto [-1, 1] (ties share their mean rank); robust to outliers, also neutral.
 */
export type SignalNormalization =
  'none' | 'rolling_z' | 'cross_sectional_z' | 'cross_sectional_rank';

/** Every {@link SignalNormalization}, in the order documented. */
export const SIGNAL_NORMALIZATIONS: readonly SignalNormalization[] = [
  'none',
  'rolling_z',
  'cross_sectional_z',
  'cross_sectional_rank',
];

/** Whether the normalisation works across the symbols of one date. */
export function isCrossSectional(mode: SignalNormalization): boolean {
  return mode === 'cross_sectional_z' || mode === 'cross_sectional_rank';
}

/**
 * The z-score of `values[end - 1]` over the window `values[end - windowBars, end)`: the
 * value minus the window's mean, over its sample standard deviation (ddof = 1, as pandas).
 * 0 — no opinion — while fewer than `windowBars` values exist, when a value of the window is
 * not finite, or when the window is constant; so the composite stays finite.
 *
 * @throws ValidationError when `windowBars` is not an integer >= 2 or `end` is out of range.
 */
export function rollingZScoreAt(
  values: ArrayLike<number>,
  end: number,
  windowBars: number,
): number {
  if (!Number.isInteger(windowBars) || windowBars < 2)
    throw new ValidationError('windowBars', `expected an integer >= 2, got ${windowBars}`);
  if (!Number.isInteger(end) || end < 0 || end > values.length)
    throw new ValidationError('end', `expected an integer in [0, ${values.length}], got ${end}`);
  if (end < windowBars) return 0;
  const from = end - windowBars;
  let sum = 0;
  for (let i = from; i < end; i++) sum += values[i] as number;
  const mean = sum / windowBars;
  let squares = 0;
  for (let i = from; i < end; i++) {
    const d = (values[i] as number) - mean;
    squares += d * d;
  }
  const std = Math.sqrt(squares / (windowBars - 1));
  const z = ((values[end - 1] as number) - mean) / std;
  return Number.isFinite(z) ? z : 0;
}

/**
 * Cross-sectional z-scores: `out[i] = (values[i] - mean) / std` over the finite entries
 * `values[i]` (sample standard deviation, ddof = 1). Entries that are not finite, and every
 * entry when fewer than two are finite or they are all equal, get 0.
 *
 * @returns `out` (default: a new array of the same length).
 */
export function crossSectionalZScoresInto(
  values: ArrayLike<number>,
  out: Float64Array = new Float64Array(values.length),
): Float64Array {
  const n = values.length;
  if (out.length < n)
    throw new ValidationError('out', `expected at least ${n} entries, got ${out.length}`);
  let count = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    if (Number.isFinite(x)) {
      count++;
      sum += x;
    }
  }
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    if (Number.isFinite(x)) squares += (x - mean) * (x - mean);
  }
  const std = Math.sqrt(squares / (count - 1));
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    const z = (x - mean) / std;
    out[i] = count >= 2 && Number.isFinite(z) ? z : 0;
  }
  return out;
}

/**
 * Cross-sectional ranks on [-1, 1]: among the m finite entries, the smallest gets -1, the
 * largest 1, rank r (1-based, ties sharing their mean rank) `2 (r - 1) / (m - 1) - 1`.
 * Entries that are not finite, and every entry when fewer than two are finite, get 0.
 * `order` is scratch for the sort (at least `values.length` entries).
 *
 * @returns `out` (default: a new array of the same length).
 */
export function crossSectionalRanksInto(
  values: ArrayLike<number>,
  out: Float64Array = new Float64Array(values.length),
  order: Int32Array = new Int32Array(values.length),
): Float64Array {
  const n = values.length;
  if (out.length < n)
    throw new ValidationError('out', `expected at least ${n} entries, got ${out.length}`);
  if (order.length < n)
    throw new ValidationError('order', `expected at least ${n} entries, got ${order.length}`);
  let m = 0;
  for (let i = 0; i < n; i++) {
    out[i] = 0;
    if (Number.isFinite(values[i] as number)) order[m++] = i;
  }
  if (m < 2) return out;
  // Insertion sort of the finite indices by value: universes are small, and it is stable.
  for (let a = 1; a < m; a++) {
    const idx = order[a] as number;
    const x = values[idx] as number;
    let b = a - 1;
    while (b >= 0 && (values[order[b] as number] as number) > x) {
      order[b + 1] = order[b] as number;
      b--;
    }
    order[b + 1] = idx;
  }
  for (let a = 0; a < m;) {
    let b = a + 1;
    const x = values[order[a] as number] as number;
    while (b < m && values[order[b] as number] === x) b++;
    // entries a..b-1 tie: mean 0-based rank (a + b - 1) / 2
    const scaled = (2 * ((a + b - 1) / 2)) / (m - 1) - 1;
    for (let c = a; c < b; c++) out[order[c] as number] = scaled;
    a = b;
  }
  return out;
}

/** Applies a cross-sectional normalisation to `values` (see {@link SignalNormalization}). */
export function crossSectionalNormalizeInto(
  mode: 'cross_sectional_z' | 'cross_sectional_rank',
  values: ArrayLike<number>,
  out: Float64Array,
  order: Int32Array,
): Float64Array {
  return mode === 'cross_sectional_z'
    ? crossSectionalZScoresInto(values, out)
    : crossSectionalRanksInto(values, out, order);
}
