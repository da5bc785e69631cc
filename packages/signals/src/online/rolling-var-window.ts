/**
 * Online rolling sample variance (ddof 1) over the last `windowBars` values with pandas' exact
 * arithmetic (pandas 1.5 `roll_var`): Welford's update with Kahan-compensated means (separate
 * compensation for add and remove), NaN skipped, min_periods = window, and exactly 0 for a
 * window of identical values (pandas tracks the run of equal values to avoid rounding residue).
 *
 * Used by both the batch kernels and the streaming classes, so both give identical bits.
 */
export class RollingVarWindow {
  /** Window length in bars. */
  readonly windowBars: number;
  private readonly ring: Float64Array;
  private pos = 0;
  private filled = 0;
  private nobs = 0;
  private meanX = 0;
  private ssqdm = 0;
  private compAdd = 0;
  private compRemove = 0;
  private sameRun = 0;
  private prev = NaN;

  /** @param windowBars window length (an integer >= 2). */
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
        const n = --this.nobs;
        if (n > 0) {
          const prevMean = this.meanX - this.compRemove;
          const y = old - this.compRemove;
          const t = y - this.meanX;
          this.compRemove = t + this.meanX - y;
          this.meanX = this.meanX - t / n;
          this.ssqdm = this.ssqdm - (old - prevMean) * (old - this.meanX);
        } else {
          this.meanX = 0;
          this.ssqdm = 0;
        }
      }
    } else {
      this.filled++;
    }
    ring[pos] = value;
    this.pos = pos + 1 === this.windowBars ? 0 : pos + 1;
    if (value === value) {
      const n = ++this.nobs;
      if (value === this.prev) this.sameRun++;
      else this.sameRun = 1;
      this.prev = value;
      const prevMean = this.meanX - this.compAdd;
      const y = value - this.compAdd;
      const t = y - this.meanX;
      this.compAdd = t + this.meanX - y;
      this.meanX = this.meanX + t / n;
      this.ssqdm = this.ssqdm + (value - prevMean) * (value - this.meanX);
    }
  }

  /** Sample variance (ddof 1), or NaN while the window holds fewer than `windowBars` values. */
  variance(): number {
    const n = this.nobs;
    if (n < this.windowBars || n < 2) return NaN;
    if (this.sameRun >= n) return 0;
    return this.ssqdm / (n - 1);
  }

  /** Sample standard deviation; a variance that rounding pushed below 0 gives 0 (pandas' zsqrt). */
  std(): number {
    const v = this.variance();
    return v < 0 ? 0 : Math.sqrt(v);
  }
}
