/**
 * Online rolling sample variance (ddof 1) for the signals' internal well-scaled series
 * (returns, realized volatility, beta): Kahan-compensated window sums of `d = x - k` and `d*d`,
 * where `k` is the first valid value seen, so `var = (S2 - S1*S1/n) / (n - 1)` does not cancel
 * for series away from 0. No division on the update path (pandas' Welford update needs two per
 * bar), which makes the batch loops about twice as fast; it agrees with pandas' `rolling().var()`
 * to ~1e-15 on such series. pandas' rules are kept: NaN until the window holds `windowBars`
 * non-NaN values, exactly 0 on a window of identical values, a negative rounding residue gives
 * a 0 standard deviation.
 *
 * The batch kernels in `kernels/signal-kernels.ts` repeat these operations in plain loops, so
 * batch and streaming agree bit for bit. The exported `rollingVar`/`rollingStd` keep pandas'
 * Welford arithmetic (safe for any input, e.g. prices).
 */
export class RollingMomentsWindow {
  /** Window length in bars. */
  readonly windowBars: number;
  private readonly invW: number;
  private readonly invW1: number;
  private readonly ring: Float64Array;
  private pos = 0;
  private filled = 0;
  private n = 0;
  private shift = NaN;
  private s1 = 0;
  private c1a = 0;
  private c1r = 0;
  private s2 = 0;
  private c2a = 0;
  private c2r = 0;
  private sameRun = 0;
  private prev = NaN;

  /** @param windowBars window length (an integer >= 2). */
  constructor(windowBars: number) {
    this.windowBars = windowBars;
    this.invW = 1 / windowBars;
    this.invW1 = 1 / (windowBars - 1);
    this.ring = new Float64Array(windowBars);
  }

  /** Adds the newest value; the oldest one leaves once the window is full. */
  push(value: number): void {
    const pos = this.pos;
    if (this.filled === this.windowBars) {
      const old = this.ring[pos] as number;
      if (old === old) {
        const d = old - this.shift;
        const dd = d * d;
        this.n--;
        let y = -d - this.c1r;
        let t = this.s1 + y;
        this.c1r = t - this.s1 - y;
        this.s1 = t;
        y = -dd - this.c2r;
        t = this.s2 + y;
        this.c2r = t - this.s2 - y;
        this.s2 = t;
      }
    } else {
      this.filled++;
    }
    this.ring[pos] = value;
    this.pos = pos + 1 === this.windowBars ? 0 : pos + 1;
    if (value === value) {
      if (this.shift !== this.shift) this.shift = value;
      const d = value - this.shift;
      const dd = d * d;
      this.n++;
      let y = d - this.c1a;
      let t = this.s1 + y;
      this.c1a = t - this.s1 - y;
      this.s1 = t;
      y = dd - this.c2a;
      t = this.s2 + y;
      this.c2a = t - this.s2 - y;
      this.s2 = t;
      if (value === this.prev) this.sameRun++;
      else this.sameRun = 1;
      this.prev = value;
    }
  }

  /** Mean of the window (`k + S1/n`), or NaN while it holds fewer than `windowBars` values. */
  mean(): number {
    const n = this.n;
    if (n < this.windowBars) return NaN;
    if (this.sameRun >= n) return this.prev;
    return this.shift + this.s1 * this.invW;
  }

  /** Sample variance, or NaN while the window holds fewer than `windowBars` non-NaN values. */
  variance(): number {
    const n = this.n;
    if (n < this.windowBars) return NaN;
    if (this.sameRun >= n) return 0;
    return (this.s2 - this.s1 * this.s1 * this.invW) * this.invW1;
  }

  /** Sample standard deviation; a negative rounding residue gives 0 (as pandas' zsqrt). */
  std(): number {
    const v = this.variance();
    return v < 0 ? 0 : Math.sqrt(v);
  }
}
