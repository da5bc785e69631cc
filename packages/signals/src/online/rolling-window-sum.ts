/**
 * Online rolling sum and mean for the signals' internal series (returns, closes): a window sum
 * of `d = x - k`, where `k` is the first valid value seen, updated by adding the new value and
 * subtracting the leaving one and recomputed exactly every `windowBars` pushes (so rounding
 * cannot drift). pandas' rules are kept: NaN until the window holds `windowBars` non-NaN
 * values, and a window of identical values gives exactly `n * value` (sum) or `value` (mean).
 * Agrees with pandas' `rolling().sum()`/`.mean()` to ~1e-15 relative; the batch loops repeat
 * these operations, so batch and streaming agree bit for bit. The exported
 * `rollingSum`/`rollingMean` keep pandas' own (Kahan-compensated) arithmetic.
 */
export class RollingWindowSum {
  /** Window length in bars. */
  readonly windowBars: number;
  private readonly invW: number;
  private readonly ring: Float64Array;
  private pos = 0;
  private filled = 0;
  private left: number;
  private n = 0;
  private shift = NaN;
  private s = 0;
  private sameRun = 0;
  private prev = NaN;

  /** @param windowBars window length (an integer >= 2). */
  constructor(windowBars: number) {
    this.windowBars = windowBars;
    this.left = windowBars;
    this.invW = 1 / windowBars;
    this.ring = new Float64Array(windowBars);
  }

  /** Adds the newest value; the oldest one leaves once the window is full. */
  push(value: number): void {
    const w = this.windowBars;
    const pos = this.pos;
    if (this.filled === w) {
      const old = this.ring[pos] as number;
      if (old === old) {
        this.n--;
        this.s -= old - this.shift;
      }
    } else {
      this.filled++;
    }
    this.ring[pos] = value;
    this.pos = pos + 1 === w ? 0 : pos + 1;
    if (value === value) {
      if (this.shift !== this.shift) this.shift = value;
      this.n++;
      this.s += value - this.shift;
      if (value === this.prev) this.sameRun++;
      else this.sameRun = 1;
      this.prev = value;
    }
    if (--this.left === 0) {
      this.left = w;
      // re-sum the (full) window exactly, oldest to newest
      let rn = 0;
      let rs = 0;
      for (let k = 0, j = this.pos; k < w; k++, j = j + 1 === w ? 0 : j + 1) {
        const q = this.ring[j] as number;
        if (q === q) {
          rn++;
          rs += q - this.shift;
        }
      }
      this.n = rn;
      this.s = rs;
    }
  }

  /** Sum of the window, or NaN while it holds fewer than `windowBars` non-NaN values. */
  sum(): number {
    const n = this.n;
    if (n < this.windowBars) return NaN;
    if (this.sameRun >= n) return this.prev * n;
    return this.s + this.shift * n;
  }

  /** Mean of the window, or NaN while it holds fewer than `windowBars` non-NaN values. */
  mean(): number {
    const n = this.n;
    if (n < this.windowBars) return NaN;
    if (this.sameRun >= n) return this.prev;
    return this.shift + this.s * this.invW;
  }
}
