import { RollingCovWindow } from '../online/rolling-cov-window';
import { RollingSumWindow } from '../online/rolling-sum-window';
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
 * Online state of the spec's `validate_rolling_vectorized`: one `step` per signal date `s`
 * with the pair (signal[s], return[s+1]). Shared by {@link rollingValidation} and the
 * streaming class, so both give identical bits.
 */
export class ValidationState {
  private readonly corr: RollingCovWindow;
  private readonly hits: RollingSumWindow;
  private readonly turnover: RollingSumWindow;
  private previousSignal = NaN;
  /** IC of the last step. */
  ic = NaN;
  /** Hit rate of the last step. */
  hitRate = NaN;
  /** Turnover-adjusted IC of the last step. */
  turnoverAdjustedIc = NaN;

  /** @param windowBars validation window in bars. */
  constructor(windowBars: number) {
    this.corr = new RollingCovWindow(windowBars, true);
    this.hits = new RollingSumWindow(windowBars);
    this.turnover = new RollingSumWindow(windowBars);
  }

  /** Feeds signal[s] and the return of the next bar, return[s+1] (NaN when unknown). */
  step(signal: number, nextReturn: number): void {
    this.corr.push(signal, nextReturn);
    // (signal > 0).astype(int) == (next > 0).astype(int): NaN compares as False.
    this.hits.push(signal > 0 === nextReturn > 0 ? 1 : 0);
    this.turnover.push(Math.abs(signal - this.previousSignal));
    this.previousSignal = signal;
    this.ic = this.corr.corr();
    this.hitRate = this.hits.mean();
    this.turnoverAdjustedIc = this.ic / (1 + this.turnover.mean() * 100);
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
  const ic = new Float64Array(n);
  const hitRate = new Float64Array(n);
  const turnoverAdjustedIc = new Float64Array(n);
  validationKernel(x, asFloat64(returns), window, ic, hitRate, turnoverAdjustedIc);
  return { ic, hitRate, turnoverAdjustedIc };
}
