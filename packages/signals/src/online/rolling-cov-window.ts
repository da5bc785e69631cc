import { StateError } from '@quantpipe/core';
import { pandasCorrelation, pandasCovariance } from '../kernels/pandas-cov';
import { assertWindow } from '../validate';
import { PandasRollingWindow } from './pandas-rolling-window';

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
  private readonly xy: PandasRollingWindow;
  private readonly x: PandasRollingWindow;
  private readonly y: PandasRollingWindow;
  private readonly withCorrelation: boolean;

  /**
   * @param windowBars window length (an integer in [2, MAX_WINDOW_BARS]).
   * @param withCorrelation whether {@link corr} may be asked for (default true).
   * @throws ValidationError (argument `windowBars`) for a bad window.
   */
  constructor(windowBars: number, withCorrelation = true) {
    assertWindow('windowBars', windowBars);
    this.windowBars = windowBars;
    this.xy = new PandasRollingWindow(windowBars);
    this.x = new PandasRollingWindow(windowBars);
    this.y = new PandasRollingWindow(windowBars);
    this.withCorrelation = withCorrelation;
  }

  /** Adds the newest pair; the oldest pair leaves once the window is full. */
  push(x: number, y: number): void {
    const mx = x + 0 * y;
    const my = y + 0 * x;
    this.xy.push(mx * my);
    this.x.push(mx);
    this.y.push(my);
  }

  /** Sample covariance (ddof 1) of the window, or NaN. */
  cov(): number {
    return pandasCovariance(this.xy.mean(), this.x.mean(), this.y.mean(), this.windowBars);
  }

  /** Pearson correlation of the window, or NaN (also NaN when a variance is 0). */
  corr(): number {
    if (!this.withCorrelation) {
      throw new StateError('RollingCovWindow was built without correlation support');
    }
    return pandasCorrelation(this.cov(), this.x.variance(), this.y.variance());
  }
}
