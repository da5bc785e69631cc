/**
 * Online rolling quantiles over the last `windowBars` values: a sorted copy of the window kept
 * up to date by binary search and a shift (O(window) worst case, usually a few elements), and
 * pandas' linear interpolation: `h = q*(n-1)`, `i = floor(h)`, `s[i] + (s[i+1]-s[i])*(h-i)`.
 * NaN values occupy their slot but are not stored; while the window holds a NaN (or is not
 * full) every quantile is NaN (min_periods = window).
 */
export class RollingQuantileWindow {
  /** Window length in bars. */
  readonly windowBars: number;
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private pos = 0;
  private filled = 0;
  private size = 0;

  /** @param windowBars window length (an integer >= 2). */
  constructor(windowBars: number) {
    this.windowBars = windowBars;
    this.ring = new Float64Array(windowBars);
    this.sorted = new Float64Array(windowBars);
  }

  /** Adds the newest value; the oldest one leaves once the window is full. */
  push(raw: number): void {
    // -0 is stored as +0 (equal in every comparison; keeps results sign-deterministic)
    const value = raw === 0 ? 0 : raw;
    const ring = this.ring;
    const pos = this.pos;
    const sorted = this.sorted;
    let removeAt = -1;
    if (this.filled === this.windowBars) {
      const old = ring[pos] as number;
      if (old === old) {
        // lower bound of `old`: an equal value is there (NaN never is)
        let lo = 0;
        let hi = this.size;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if ((sorted[mid] as number) < old) lo = mid + 1;
          else hi = mid;
        }
        removeAt = lo;
      }
    } else {
      this.filled++;
    }
    ring[pos] = value;
    this.pos = pos + 1 === this.windowBars ? 0 : pos + 1;

    if (value === value) {
      if (removeAt >= 0) {
        // replace: move the gap at removeAt to the insertion point of `value`
        let i = removeAt;
        if (i + 1 < this.size && (sorted[i + 1] as number) < value) {
          while (i + 1 < this.size && (sorted[i + 1] as number) < value) {
            sorted[i] = sorted[i + 1] as number;
            i++;
          }
        } else {
          while (i > 0 && (sorted[i - 1] as number) > value) {
            sorted[i] = sorted[i - 1] as number;
            i--;
          }
        }
        sorted[i] = value;
      } else {
        let lo = 0;
        let hi = this.size;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if ((sorted[mid] as number) <= value) lo = mid + 1;
          else hi = mid;
        }
        sorted.copyWithin(lo + 1, lo, this.size);
        sorted[lo] = value;
        this.size++;
      }
    } else if (removeAt >= 0) {
      sorted.copyWithin(removeAt, removeAt + 1, this.size);
      this.size--;
    }
  }

  /**
   * The `q` quantile (0..1) of the window with linear interpolation, or NaN while the window
   * holds fewer than `windowBars` non-NaN values.
   */
  quantile(q: number): number {
    const n = this.size;
    if (n < this.windowBars) return NaN;
    const sorted = this.sorted;
    const h = q * (n - 1);
    const i = Math.floor(h);
    const low = sorted[i] as number;
    if (h === i) return low;
    const high = sorted[i + 1] as number;
    return low + (high - low) * (h - i);
  }
}
