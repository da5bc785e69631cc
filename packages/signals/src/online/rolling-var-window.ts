import { zsqrt } from '../kernels/shifted-moments';
import { WelfordVariance } from '../kernels/welford-variance';
import { assertWindow } from '../validate';

/**
 * Online rolling sample variance (ddof 1) over the last `windowBars` values with pandas' exact
 * arithmetic (pandas 1.5 `roll_var`): Welford's update with Kahan-compensated means, NaN
 * skipped, min_periods = window, and exactly 0 for a window of identical values. It runs the
 * pass of `rollingVar` / `rollingStd` one value at a time, so both give identical bits.
 */
export class RollingVarWindow {
  /** Window length in bars. */
  readonly windowBars: number;
  private readonly acc: WelfordVariance;

  /**
   * @param windowBars window length (an integer in [2, MAX_WINDOW_BARS]).
   * @throws ValidationError (argument `windowBars`) otherwise.
   */
  constructor(windowBars: number) {
    assertWindow('windowBars', windowBars);
    this.windowBars = windowBars;
    this.acc = new WelfordVariance(windowBars);
  }

  /** Adds the newest value; the oldest one leaves once the window is full. */
  push(value: number): void {
    this.acc.push(value);
  }

  /** Sample variance (ddof 1), or NaN while the window holds fewer than `windowBars` values. */
  variance(): number {
    return this.acc.variance();
  }

  /** Sample standard deviation; a variance that rounding pushed below 0 gives 0 (pandas' zsqrt). */
  std(): number {
    return zsqrt(this.acc.variance());
  }
}
