import { RunWindow } from './run-window';

/**
 * Writes a window's sum, mean and sample variance at `out[o]`, `out[o + stride]` and
 * `out[o + 2 * stride]` by pandas' rules: NaN while it holds fewer than `w` non-NaN values;
 * exactly `n * value`, `value` and 0 when its `n` values are all equal to the newest one,
 * `value` (`same`); else the accumulator's `sum`, `mean` and `variance`.
 */
export function writeMoments(
  out: Float64Array,
  o: number,
  stride: number,
  n: number,
  w: number,
  same: boolean,
  value: number,
  sum: number,
  mean: number,
  variance: number,
): void {
  const full = n >= w;
  // computed on every bar, not only for a constant window: an operation the optimizer has
  // never seen run becomes a deoptimization exit, and its saved state slowed the loop by a third
  const sameSum = value * n;
  out[o] = !full ? NaN : same ? sameSum : sum;
  out[o + stride] = !full ? NaN : same ? value : mean;
  out[o + 2 * stride] = !full ? NaN : same ? 0 : variance;
}

/** A streaming window whose run writes {@link writeMoments}'s three outputs. */
export class MomentsWindow<S> extends RunWindow<S> {
  /** Sum of the window, or NaN while it holds fewer than `windowBars` non-NaN values. */
  sum(): number {
    return this.latest[0] as number;
  }

  /** Mean of the window, or NaN while it holds fewer than `windowBars` non-NaN values. */
  mean(): number {
    return this.latest[1] as number;
  }

  /** Sample variance (ddof 1), or NaN while the window holds fewer than `windowBars` values. */
  variance(): number {
    return this.latest[2] as number;
  }
}
