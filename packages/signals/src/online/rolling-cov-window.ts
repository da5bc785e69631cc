import { StateError } from '@quantpipe/core';
import { RollingSumWindow } from './rolling-sum-window';
import { RollingVarWindow } from './rolling-var-window';

/**
 * Online rolling covariance and correlation of two series over the last `windowBars` pairs,
 * exactly as pandas 1.5 `a.rolling(w).cov(b)` / `.corr(b)`: each series is first masked by the
 * other's NaNs (`x + 0*y`), then `cov = (mean(xy) - mean(x)*mean(y)) * n/(n-1)` with pandas'
 * rolling means and `corr = cov / sqrt(var(x)*var(y))` with pandas' rolling sample variances.
 * A window with fewer than `windowBars` complete pairs gives NaN.
 */
export class RollingCovWindow {
  /** Window length in bars. */
  readonly windowBars: number;
  private readonly meanXY: RollingSumWindow;
  private readonly meanX: RollingSumWindow;
  private readonly meanY: RollingSumWindow;
  private readonly varX: RollingVarWindow | undefined;
  private readonly varY: RollingVarWindow | undefined;
  private readonly validRing: Uint8Array;
  private pos = 0;
  private filled = 0;
  private validCount = 0;

  /**
   * @param windowBars window length (an integer >= 2).
   * @param withCorrelation also track the two variances, needed by {@link corr}.
   */
  constructor(windowBars: number, withCorrelation = true) {
    this.windowBars = windowBars;
    this.meanXY = new RollingSumWindow(windowBars);
    this.meanX = new RollingSumWindow(windowBars);
    this.meanY = new RollingSumWindow(windowBars);
    this.varX = withCorrelation ? new RollingVarWindow(windowBars) : undefined;
    this.varY = withCorrelation ? new RollingVarWindow(windowBars) : undefined;
    this.validRing = new Uint8Array(windowBars);
  }

  /** Adds the newest pair; the oldest pair leaves once the window is full. */
  push(x: number, y: number): void {
    const mx = x + 0 * y;
    const my = y + 0 * x;
    this.meanXY.push(mx * my);
    this.meanX.push(mx);
    this.meanY.push(my);
    if (this.varX !== undefined && this.varY !== undefined) {
      this.varX.push(mx);
      this.varY.push(my);
    }
    const s = mx + my;
    const valid = s === s ? 1 : 0;
    if (this.filled === this.windowBars) this.validCount -= this.validRing[this.pos] as number;
    else this.filled++;
    this.validRing[this.pos] = valid;
    this.validCount += valid;
    this.pos = this.pos + 1 === this.windowBars ? 0 : this.pos + 1;
  }

  /** Sample covariance (ddof 1) of the window, or NaN. */
  cov(): number {
    const n = this.validCount;
    return (this.meanXY.mean() - this.meanX.mean() * this.meanY.mean()) * (n / (n - 1));
  }

  /** Pearson correlation of the window, or NaN (also NaN when a variance is 0). */
  corr(): number {
    if (this.varX === undefined || this.varY === undefined) {
      throw new StateError('RollingCovWindow was built without correlation support');
    }
    return this.cov() / Math.sqrt(this.varX.variance() * this.varY.variance());
  }
}
