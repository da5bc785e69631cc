import { assertQuantile } from '../kernels/rolling-quantile';
import { SeriesHistory } from '../kernels/series-history';
import {
  sortedQuantile,
  sortedState,
  sortedStep,
  type SortedState,
} from '../kernels/sorted-window';
import { assertWindow } from '../validate';

/**
 * Online rolling quantiles over the last `windowBars` values: a sorted copy of the window kept
 * up to date by binary search and a shift, and pandas' linear interpolation:
 * `h = q*(n-1)`, `i = floor(h)`, `s[i] + (s[i+1]-s[i])*(h-i)`. NaN values occupy their slot but
 * are not stored; while the window holds a NaN (or is not full) every quantile is NaN
 * (min_periods = window). It runs the pass of `rollingQuantile` one value at a time, so both
 * give identical bits.
 */
export class RollingQuantileWindow {
  /** Window length in bars. */
  readonly windowBars: number;
  private readonly st: SortedState;
  private readonly history: SeriesHistory;

  /**
   * @param windowBars window length (an integer in [2, MAX_WINDOW_BARS]).
   * @throws ValidationError (argument `windowBars`) otherwise.
   */
  constructor(windowBars: number) {
    assertWindow('windowBars', windowBars);
    this.windowBars = windowBars;
    this.st = sortedState(windowBars);
    this.history = new SeriesHistory(windowBars);
  }

  /** Adds the newest value; the oldest one leaves once the window is full. */
  push(value: number): void {
    const h = this.history;
    const i = h.append(value);
    sortedStep(this.st, h.x, i, i + h.base);
  }

  /**
   * The `q` quantile of the window with linear interpolation, or NaN while the window holds
   * fewer than `windowBars` non-NaN values.
   *
   * @throws ValidationError (argument `q`) unless `q` is in [0, 1].
   */
  quantile(q: number): number {
    assertQuantile('q', q);
    return sortedQuantile(this.st, q);
  }
}
