import { ValidationError } from '@quantpipe/core';
import { validationKernel } from '../kernels/signal-kernels';
import { asFloat64, assertArrayLike, assertLengths, assertWindow } from '../validate';

/** Rolling validation metrics of one signal, each aligned with the signal (by signal date). */
export interface RollingValidation {
  /** Rolling IC: `corr_w(signal[s], return[s+1])`. NaN on the last bar (no next return). */
  readonly ic: Float64Array;
  /** Rolling hit rate: share of bars where `signal[s] > 0` equals `return[s+1] > 0`. */
  readonly hitRate: Float64Array;
  /** `ic / (1 + 100 * mean_w(|signal[s] - signal[s-1]|))`. */
  readonly turnoverAdjustedIc: Float64Array;
}

/** Options of {@link rollingValidation}. */
export interface RollingValidationOptions {
  /** Window in bars (the spec's `validation_window`, default 252). */
  readonly window?: number;
}

/** Metrics of one signal date, as produced by {@link ValidationState.step}. */
export interface ValidationPoint {
  /** Rolling IC at this signal date. */
  readonly ic: number;
  /** Rolling hit rate at this signal date. */
  readonly hitRate: number;
  /** Turnover-adjusted rolling IC at this signal date. */
  readonly turnoverAdjustedIc: number;
}

/**
 * Online state of the spec's `validate_rolling_vectorized`: one `step` per signal date `s` with
 * the pair (signal[s], return[s+1]). Shared by the streaming class; the batch
 * `rollingValidation` repeats the same operations in a plain loop, so both agree bit for bit.
 *
 * The rolling IC is pandas' `corr` (NaN-masked pair, `cov = (mean(xy) - mean(x)mean(y)) *
 * n/(n-1)`, sample variances) computed from windowed sums of the pair shifted by its first
 * valid values, updated by adding the new pair and subtracting the leaving one and re-summed
 * exactly every `window` steps (so rounding cannot drift). It agrees with pandas to ~1e-14.
 * A window where the signal or the return is constant gives NaN, as pandas does for the
 * constant-zero signal windows of a warming-up signal.
 */
export class ValidationState {
  private readonly w: number;
  private readonly invW: number;
  private readonly invW1: number;
  private readonly ratio: number;
  private readonly ringX: Float64Array;
  private readonly ringY: Float64Array;
  private readonly ringT: Float64Array;
  private readonly ringHit: Uint8Array;
  private readonly hitTable: Float64Array;
  private left: number;
  private pos = 0;
  private filled = 0;
  private hitCount = 0;
  private previousSignal = NaN;
  private n = 0;
  private tn = 0;
  private kx = NaN;
  private ky = NaN;
  private sx = 0;
  private sy = 0;
  private sxy = 0;
  private sxx = 0;
  private syy = 0;
  private st = 0;
  private sameX = 0;
  private sameY = 0;
  private prevX = NaN;
  private prevY = NaN;
  /** IC of the last step. */
  ic = NaN;
  /** Hit rate of the last step. */
  hitRate = NaN;
  /** Turnover-adjusted IC of the last step. */
  turnoverAdjustedIc = NaN;

  /** @param windowBars validation window in bars (an integer >= 2). */
  constructor(windowBars: number) {
    this.w = windowBars;
    this.invW = 1 / windowBars;
    this.invW1 = 1 / (windowBars - 1);
    this.ratio = windowBars / (windowBars - 1);
    this.ringX = new Float64Array(windowBars);
    this.ringY = new Float64Array(windowBars);
    this.ringT = new Float64Array(windowBars);
    this.ringHit = new Uint8Array(windowBars);
    this.left = windowBars;
    // hit rates are count / w: one division per possible count, not per bar
    this.hitTable = new Float64Array(windowBars + 1);
    for (let c = 0; c <= windowBars; c++) this.hitTable[c] = c / windowBars;
  }

  /** Feeds signal[s] and the return of the next bar, return[s+1] (NaN when unknown). */
  step(signal: number, nextReturn: number): void {
    const xs = signal;
    const ys = nextReturn;
    const ts = Math.abs(xs - this.previousSignal);
    this.previousSignal = xs;
    // masked pair (pandas masks each series by the other's NaNs), shifted by the first
    // valid values so that the sums of squares do not cancel for series far from 0
    const mx = xs + 0 * ys;
    const my = ys + 0 * xs;
    const valid = mx + my === mx + my;
    if (valid && this.kx !== this.kx) {
      this.kx = mx;
      this.ky = my;
    }
    const pos = this.pos;
    if (this.filled === this.w) {
      const xo = this.ringX[pos] as number;
      const yo = this.ringY[pos] as number;
      const to = this.ringT[pos] as number;
      const omx = xo + 0 * yo;
      const omy = yo + 0 * xo;
      if (omx + omy === omx + omy) {
        const dx = omx - this.kx;
        const dy = omy - this.ky;
        this.n--;
        this.sx -= dx;
        this.sy -= dy;
        this.sxy -= dx * dy;
        this.sxx -= dx * dx;
        this.syy -= dy * dy;
      }
      if (to === to) {
        this.tn--;
        this.st -= to;
      }
      this.hitCount -= this.ringHit[pos] as number;
    } else {
      this.filled++;
    }
    const hit = xs > 0 === ys > 0 ? 1 : 0;
    this.ringX[pos] = xs;
    this.ringY[pos] = ys;
    this.ringT[pos] = ts;
    this.ringHit[pos] = hit;
    this.pos = pos + 1 === this.w ? 0 : pos + 1;
    this.hitCount += hit;
    if (valid) {
      const dx = mx - this.kx;
      const dy = my - this.ky;
      this.n++;
      this.sx += dx;
      this.sy += dy;
      this.sxy += dx * dy;
      this.sxx += dx * dx;
      this.syy += dy * dy;
      if (mx === this.prevX) this.sameX++;
      else this.sameX = 1;
      this.prevX = mx;
      if (my === this.prevY) this.sameY++;
      else this.sameY = 1;
      this.prevY = my;
    }
    if (ts === ts) {
      this.tn++;
      this.st += ts;
    }
    if (--this.left === 0) {
      this.left = this.w;
      // every `w` steps, re-sum the window from scratch so that rounding cannot drift
      let rn = 0;
      let rtn = 0;
      let rsx = 0;
      let rsy = 0;
      let rsxy = 0;
      let rsxx = 0;
      let rsyy = 0;
      let rst = 0;
      for (let k = 0, j = this.pos; k < this.w; k++, j = j + 1 === this.w ? 0 : j + 1) {
        const wx = this.ringX[j] as number;
        const wy = this.ringY[j] as number;
        const wt = this.ringT[j] as number;
        const qx = wx + 0 * wy;
        const qy = wy + 0 * wx;
        if (qx + qy === qx + qy) {
          const dx = qx - this.kx;
          const dy = qy - this.ky;
          rn++;
          rsx += dx;
          rsy += dy;
          rsxy += dx * dy;
          rsxx += dx * dx;
          rsyy += dy * dy;
        }
        if (wt === wt) {
          rtn++;
          rst += wt;
        }
      }
      this.n = rn;
      this.tn = rtn;
      this.sx = rsx;
      this.sy = rsy;
      this.sxy = rsxy;
      this.sxx = rsxx;
      this.syy = rsyy;
      this.st = rst;
    }
    this.hitRate = this.filled < this.w ? NaN : (this.hitTable[this.hitCount] as number);
    let corr = NaN;
    if (this.n >= this.w) {
      if (this.sameX < this.n && this.sameY < this.n) {
        const meanX = this.sx * this.invW;
        const meanY = this.sy * this.invW;
        const cov = (this.sxy * this.invW - meanX * meanY) * this.ratio;
        const varX = (this.sxx - this.sx * meanX) * this.invW1;
        const varY = (this.syy - this.sy * meanY) * this.invW1;
        corr = cov / Math.sqrt(varX * varY);
      }
    }
    const turnover = this.tn >= this.w ? this.st * this.invW : NaN;
    this.ic = corr;
    this.turnoverAdjustedIc = corr / (1 + turnover * 100);
  }
}

/**
 * The spec's rolling validation (3.1 `validate_rolling_vectorized`): rolling IC, hit rate and
 * turnover-adjusted IC against `returns.shift(-1)`.
 *
 * This is research output aligned by signal date: the value at index `s` uses the return of
 * bar `s+1`, so it is known only after bar `s+1` closes. Never feed index `t` into a decision
 * made at bar `t` (use values up to `t-1`, or {@link ValidationStream}, which emits each date
 * once its next return is known).
 *
 * @param signal signal series (e.g. a daily signal after fillna; NaN allowed).
 * @param returns simple returns aligned with `signal` (NaN allowed).
 * @param options `window` (default 252, integer >= 2).
 */
export function rollingValidation(
  signal: ArrayLike<number>,
  returns: ArrayLike<number>,
  options: RollingValidationOptions = {},
): RollingValidation {
  assertArrayLike('signal', signal);
  assertArrayLike('returns', returns);
  assertLengths({ signal, returns });
  if (options === null || typeof options !== 'object') {
    throw new ValidationError('options', 'expected { window? }');
  }
  const window = options.window ?? 252;
  assertWindow('options.window', window);
  const x = asFloat64(signal);
  const n = x.length;
  // one allocation for the three series
  const buffer = new Float64Array(3 * n);
  const ic = buffer.subarray(0, n);
  const hitRate = buffer.subarray(n, 2 * n);
  const turnoverAdjustedIc = buffer.subarray(2 * n, 3 * n);
  validationKernel(x, asFloat64(returns), window, ic, hitRate, turnoverAdjustedIc);
  return { ic, hitRate, turnoverAdjustedIc };
}
