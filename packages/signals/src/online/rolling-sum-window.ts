import { KahanSum } from '../kernels/kahan-sum';
import { assertWindow } from '../validate';

/**
 * Online rolling sum and mean over the last `windowBars` values, with pandas' exact
 * arithmetic (pandas 1.5 `roll_sum` / `roll_mean`): Kahan-compensated add and remove, NaN
 * values skipped but still occupying their slot, a result only when the window holds
 * `windowBars` non-NaN values (min_periods = window), the all-equal-values rule and pandas'
 * sign clamp for means. It runs the pass of `rollingSum` / `rollingMean` one value at a time,
 * so both give identical bits.
 */
export class RollingSumWindow {
  /** Window length in bars. */
  readonly windowBars: number;
  private readonly acc: KahanSum;

  /**
   * @param windowBars window length (an integer in [2, MAX_WINDOW_BARS]).
   * @throws ValidationError (argument `windowBars`) otherwise.
   */
  constructor(windowBars: number) {
    assertWindow('windowBars', windowBars);
    this.windowBars = windowBars;
    this.acc = new KahanSum(windowBars);
  }

  /** Adds the newest value; the oldest one leaves once the window is full. */
  push(value: number): void {
    this.acc.push(value);
  }

  /** Sum of the window, or NaN while it holds fewer than `windowBars` non-NaN values. */
  sum(): number {
    return this.acc.sum();
  }

  /** Mean of the window, or NaN while it holds fewer than `windowBars` non-NaN values. */
  mean(): number {
    return this.acc.mean();
  }
}
