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
 * n/(n-1)`, sample variances) computed from Kahan-compensated windowed sums of the pair shifted
 * by its first valid values (fewer divisions than pandas' Welford update; it agrees with pandas
 * to ~1e-15). A window where the signal or the return is constant gives NaN, as pandas does for
 * the constant-zero signal windows of a warming-up signal.
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
  private pos = 0;
  private filled = 0;
  private hitCount = 0;
  private previousSignal = NaN;
  private n = 0;
  private tn = 0;
  private kx = NaN;
  private ky = NaN;
  private sxS = 0;
  private sxCa = 0;
  private sxCr = 0;
  private syS = 0;
  private syCa = 0;
  private syCr = 0;
  private sxyS = 0;
  private sxyCa = 0;
  private sxyCr = 0;
  private sxxS = 0;
  private sxxCa = 0;
  private sxxCr = 0;
  private syyS = 0;
  private syyCa = 0;
  private syyCr = 0;
  private stS = 0;
  private stCa = 0;
  private stCr = 0;
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
        {
          const y = -dx - this.sxCr;
          const t = this.sxS + y;
          this.sxCr = t - this.sxS - y;
          this.sxS = t;
        }
        {
          const y = -dy - this.syCr;
          const t = this.syS + y;
          this.syCr = t - this.syS - y;
          this.syS = t;
        }
        {
          const y = -dx * dy - this.sxyCr;
          const t = this.sxyS + y;
          this.sxyCr = t - this.sxyS - y;
          this.sxyS = t;
        }
        {
          const y = -dx * dx - this.sxxCr;
          const t = this.sxxS + y;
          this.sxxCr = t - this.sxxS - y;
          this.sxxS = t;
        }
        {
          const y = -dy * dy - this.syyCr;
          const t = this.syyS + y;
          this.syyCr = t - this.syyS - y;
          this.syyS = t;
        }
      }
      if (to === to) {
        this.tn--;
        {
          const y = -to - this.stCr;
          const t = this.stS + y;
          this.stCr = t - this.stS - y;
          this.stS = t;
        }
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
      {
        const y = dx - this.sxCa;
        const t = this.sxS + y;
        this.sxCa = t - this.sxS - y;
        this.sxS = t;
      }
      {
        const y = dy - this.syCa;
        const t = this.syS + y;
        this.syCa = t - this.syS - y;
        this.syS = t;
      }
      {
        const y = dx * dy - this.sxyCa;
        const t = this.sxyS + y;
        this.sxyCa = t - this.sxyS - y;
        this.sxyS = t;
      }
      {
        const y = dx * dx - this.sxxCa;
        const t = this.sxxS + y;
        this.sxxCa = t - this.sxxS - y;
        this.sxxS = t;
      }
      {
        const y = dy * dy - this.syyCa;
        const t = this.syyS + y;
        this.syyCa = t - this.syyS - y;
        this.syyS = t;
      }
      if (mx === this.prevX) this.sameX++;
      else this.sameX = 1;
      this.prevX = mx;
      if (my === this.prevY) this.sameY++;
      else this.sameY = 1;
      this.prevY = my;
    }
    if (ts === ts) {
      this.tn++;
      {
        const y = ts - this.stCa;
        const t = this.stS + y;
        this.stCa = t - this.stS - y;
        this.stS = t;
      }
    }
    this.hitRate = this.filled < this.w ? NaN : this.hitCount / this.w;
    let corr = NaN;
    if (this.n >= this.w) {
      if (this.sameX < this.n && this.sameY < this.n) {
        const meanX = this.sxS * this.invW;
        const meanY = this.syS * this.invW;
        const cov = (this.sxyS * this.invW - meanX * meanY) * this.ratio;
        const varX = (this.sxxS - this.sxS * meanX) * this.invW1;
        const varY = (this.syyS - this.syS * meanY) * this.invW1;
        corr = cov / Math.sqrt(varX * varY);
      }
    }
    const turnover = this.tn >= this.w ? this.stS * this.invW : NaN;
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
