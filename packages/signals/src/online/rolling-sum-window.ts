import { hasNegativeSign } from './sign';

/**
 * Online rolling sum and mean over the last `windowBars` values, with pandas' exact
 * arithmetic (pandas 1.5 `roll_sum` / `roll_mean`): Kahan-compensated add and remove (separate
 * compensation terms), NaN values skipped but still occupying their slot, a result only when
 * the window holds `windowBars` non-NaN values (min_periods = window), the all-equal-values
 * rule (a window of identical values gives exactly that value) and pandas' sign clamp for means
 * (a window of only non-negative values never has a negative mean, and vice versa).
 *
 * Used by both the batch kernels and the streaming classes, so both give identical bits.
 */
export class RollingSumWindow {
  /** Window length in bars. */
  readonly windowBars: number;
  private readonly ring: Float64Array;
  private pos = 0;
  private filled = 0;
  private nobs = 0;
  private sumX = 0;
  private compAdd = 0;
  private compRemove = 0;
  private negCount = 0;
  private sameRun = 0;
  private prev = NaN;

  /** @param windowBars window length (an integer >= 1; the public kernels require >= 2). */
  constructor(windowBars: number) {
    this.windowBars = windowBars;
    this.ring = new Float64Array(windowBars);
  }

  /** Adds the newest value; the oldest one leaves once the window is full. */
  push(value: number): void {
    const ring = this.ring;
    const pos = this.pos;
    if (this.filled === this.windowBars) {
      const old = ring[pos] as number;
      if (old === old) {
        this.nobs--;
        const y = -old - this.compRemove;
        const t = this.sumX + y;
        this.compRemove = t - this.sumX - y;
        this.sumX = t;
        if (hasNegativeSign(old)) this.negCount--;
      }
    } else {
      this.filled++;
    }
    ring[pos] = value;
    this.pos = pos + 1 === this.windowBars ? 0 : pos + 1;
    if (value === value) {
      this.nobs++;
      const y = value - this.compAdd;
      const t = this.sumX + y;
      this.compAdd = t - this.sumX - y;
      this.sumX = t;
      if (hasNegativeSign(value)) this.negCount++;
      if (value === this.prev) this.sameRun++;
      else this.sameRun = 1;
      this.prev = value;
    }
  }

  /** Sum of the window, or NaN while it holds fewer than `windowBars` non-NaN values. */
  sum(): number {
    const n = this.nobs;
    if (n < this.windowBars) return NaN;
    return this.sameRun >= n ? this.prev * n : this.sumX;
  }

  /** Mean of the window, or NaN while it holds fewer than `windowBars` non-NaN values. */
  mean(): number {
    const n = this.nobs;
    if (n < this.windowBars || n === 0) return NaN;
    if (this.sameRun >= n) return this.prev;
    const result = this.sumX / n;
    if (this.negCount === 0 && result < 0) return 0;
    if (this.negCount === n && result > 0) return 0;
    return result;
  }
}
