import { StateError } from '@quantpipe/core';
import { KahanSum } from '../kernels/kahan-sum';
import { pandasCorrelation, pandasCovariance } from '../kernels/pandas-cov';
import { WelfordVariance } from '../kernels/welford-variance';
import { assertWindow } from '../validate';

/**
 * Online rolling covariance and correlation of two series over the last `windowBars` pairs,
 * exactly as pandas 1.5 `a.rolling(w).cov(b)` / `.corr(b)`: each series is first masked by the
 * other's NaNs (`x + 0*y`), then `cov = (mean(xy) - mean(x)*mean(y)) * n/(n-1)` with pandas'
 * rolling means and `corr = cov / sqrt(var(x)*var(y))` with pandas' rolling sample variances.
 * A window with fewer than `windowBars` complete pairs gives NaN. It runs the passes of
 * `rollingCov` / `rollingCorr` one pair at a time, so both give identical bits.
 */
export class RollingCovWindow {
  /** Window length in bars. */
  readonly windowBars: number;
  private readonly meanXY: KahanSum;
  private readonly meanX: KahanSum;
  private readonly meanY: KahanSum;
  private readonly varX: WelfordVariance | undefined;
  private readonly varY: WelfordVariance | undefined;

  /**
   * @param windowBars window length (an integer in [2, MAX_WINDOW_BARS]).
   * @param withCorrelation also track the two variances, needed by {@link corr}.
   * @throws ValidationError (argument `windowBars`) for a bad window.
   */
  constructor(windowBars: number, withCorrelation = true) {
    assertWindow('windowBars', windowBars);
    this.windowBars = windowBars;
    this.meanXY = new KahanSum(windowBars);
    this.meanX = new KahanSum(windowBars);
    this.meanY = new KahanSum(windowBars);
    this.varX = withCorrelation ? new WelfordVariance(windowBars) : undefined;
    this.varY = withCorrelation ? new WelfordVariance(windowBars) : undefined;
  }

  /** Adds the newest pair; the oldest pair leaves once the window is full. */
  push(x: number, y: number): void {
    const mx = x + 0 * y;
    const my = y + 0 * x;
    this.meanXY.push(mx * my);
    this.meanX.push(mx);
    this.meanY.push(my);
    this.varX?.push(mx);
    this.varY?.push(my);
  }

  /** Sample covariance (ddof 1) of the window, or NaN. */
  cov(): number {
    const { meanXY, meanX, meanY } = this;
    return pandasCovariance(meanXY.mean(), meanX.mean(), meanY.mean(), this.windowBars);
  }

  /** Pearson correlation of the window, or NaN (also NaN when a variance is 0). */
  corr(): number {
    if (this.varX === undefined || this.varY === undefined) {
      throw new StateError('RollingCovWindow was built without correlation support');
    }
    return pandasCorrelation(this.cov(), this.varX.variance(), this.varY.variance());
  }
}
