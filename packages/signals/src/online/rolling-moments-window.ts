/**
 * Online rolling sample variance (ddof 1) for the signals' internal well-scaled series
 * (returns, realized volatility, beta): window sums of `d = x - k` and `d*d`, where `k` is the
 * first valid value seen, so `var = (S2 - S1*S1/n) / (n - 1)` does not cancel for series away
 * from 0. Each bar adds the new value and subtracts the leaving one; every `windowBars` pushes
 * the sums are recomputed exactly from the window, so rounding cannot drift. No division on the
 * update path (pandas' Welford update needs two per bar); it agrees with pandas'
 * `rolling().var()` to ~1e-13 on such series. pandas' rules are kept: NaN until the window holds `windowBars`
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
  private left: number;
  private n = 0;
  private shift = NaN;
  private s1 = 0;
  private s2 = 0;
  private sameRun = 0;
  private prev = NaN;

  /** @param windowBars window length (an integer >= 2). */
  constructor(windowBars: number) {
    this.windowBars = windowBars;
    this.left = windowBars;
    this.invW = 1 / windowBars;
    this.invW1 = 1 / (windowBars - 1);
    this.ring = new Float64Array(windowBars);
  }

  /** Adds the newest value; the oldest one leaves once the window is full. */
  push(value: number): void {
    const w = this.windowBars;
    const pos = this.pos;
    if (this.filled === w) {
      const old = this.ring[pos] as number;
      if (old === old) {
        const d = old - this.shift;
        this.n--;
        this.s1 -= d;
        this.s2 -= d * d;
      }
    } else {
      this.filled++;
    }
    this.ring[pos] = value;
    this.pos = pos + 1 === w ? 0 : pos + 1;
    if (value === value) {
      if (this.shift !== this.shift) this.shift = value;
      const d = value - this.shift;
      this.n++;
      this.s1 += d;
      this.s2 += d * d;
      if (value === this.prev) this.sameRun++;
      else this.sameRun = 1;
      this.prev = value;
    }
    if (--this.left === 0) {
      this.left = w;
      // re-sum the (full) window exactly, oldest to newest
      let rn = 0;
      let r1 = 0;
      let r2 = 0;
      for (let k = 0, j = this.pos; k < w; k++, j = j + 1 === w ? 0 : j + 1) {
        const q = this.ring[j] as number;
        if (q === q) {
          const d = q - this.shift;
          rn++;
          r1 += d;
          r2 += d * d;
        }
      }
      this.n = rn;
      this.s1 = r1;
      this.s2 = r2;
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
