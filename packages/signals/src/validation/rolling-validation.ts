import { ValidationError } from '@quantpipe/core';
import { nextReturnValidationPass, PairWindow } from '../kernels/pair-window';
import { workArray } from '../kernels/work-arrays';
import {
  asFloat64,
  assertArrayLike,
  assertLengths,
  assertOutputs,
  assertWindow,
} from '../validate';

/** Rolling validation metrics of one signal, each aligned with the signal (by signal date). */
export interface RollingValidation {
  /** Rolling IC: `corr_w(signal[s], return[s+1])`. NaN on the last bar (no next return). */
  readonly ic: Float64Array;
  /** Rolling hit rate: share of bars where `signal[s] > 0` equals `return[s+1] > 0`. */
  readonly hitRate: Float64Array;
  /** `ic / (1 + 100 * mean_w(|signal[s] - signal[s-1]|))`. */
  readonly turnoverAdjustedIc: Float64Array;
}

/** The members of {@link RollingValidation}. */
const OUTPUT_NAMES = ['ic', 'hitRate', 'turnoverAdjustedIc'] as const;

/** Options of {@link rollingValidation}. */
export interface RollingValidationOptions {
  /** Window in bars (the spec's `validation_window`, default 252). */
  readonly window?: number;
  /**
   * Arrays to write the metrics into (each a Float64Array of the signal's length, none sharing
   * memory with another or with the inputs), returned as the result. For callers that validate
   * many series one after the other and read each result before the next: reused outputs touch
   * no fresh memory, which on virtual machines that hand freed pages back to their host costs
   * more than the pass itself. Default: three new arrays.
   */
  readonly out?: RollingValidation;
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
 * the pair (signal[s], return[s+1]). It runs the passes of {@link rollingValidation} over one
 * pair at a time, so both agree bit for bit.
 *
 * The rolling IC is pandas' `corr` (NaN-masked pair, `cov = (mean(xy) - mean(x)mean(y)) *
 * n/(n-1)`, sample variances) computed from windowed sums of the pair shifted by its first
 * valid values (see `pair-window`). It agrees with pandas to ~1e-14. A window where the signal
 * or the return is constant gives NaN, as pandas does for the constant-zero signal windows of a
 * warming-up signal.
 */
export class ValidationState {
  private readonly window: PairWindow;
  /** IC of the last step. */
  ic = NaN;
  /** Hit rate of the last step. */
  hitRate = NaN;
  /** Turnover-adjusted IC of the last step. */
  turnoverAdjustedIc = NaN;

  /** @param windowBars validation window in bars (an integer in [2, MAX_WINDOW_BARS]). */
  constructor(windowBars: number) {
    assertWindow('windowBars', windowBars);
    this.window = new PairWindow(windowBars, true);
  }

  /** Feeds signal[s] and the return of the next bar, return[s+1] (NaN when unknown). */
  step(signal: number, nextReturn: number): void {
    const w = this.window;
    w.push(signal, nextReturn);
    this.ic = w.first;
    this.hitRate = w.hitRate;
    this.turnoverAdjustedIc = w.adjusted;
  }
}

/**
 * The spec's rolling validation (3.1 `validate_rolling_vectorized`): rolling IC, hit rate and
 * turnover-adjusted IC against `returns.shift(-1)`, each by running sums in one pass.
 *
 * This is research output aligned by signal date: the value at index `s` uses the return of
 * bar `s+1`, so it is known only after bar `s+1` closes. Never feed index `t` into a decision
 * made at bar `t` (use values up to `t-1`, or {@link ValidationStream}, which emits each date
 * once its next return is known).
 *
 * @param signal signal series (e.g. a daily signal after fillna; NaN allowed).
 * @param returns simple returns aligned with `signal` (NaN allowed).
 * @param options `window` (default 252, integer in [2, MAX_WINDOW_BARS]); `out`, arrays to write
 *   the metrics into instead of new ones.
 * @returns the metrics: `options.out` itself when given.
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
    throw new ValidationError('options', 'expected { window?, out? }');
  }
  const window = options.window ?? 252;
  assertWindow('options.window', window);
  const x = asFloat64(signal);
  const r = asFloat64(returns);
  const n = x.length;
  const out = options.out;
  if (out !== undefined) assertOutputs('options.out', out, OUTPUT_NAMES, n, [x, r]);
  // three arrays rather than one of 3n values: an allocation past the allocator's mmap
  // threshold (128 KB) gets fresh pages from the system every call, a smaller one reuses
  // freed memory.
  const ic = out?.ic ?? new Float64Array(n);
  const hitRate = out?.hitRate ?? new Float64Array(n);
  const turnoverAdjusted = out?.turnoverAdjustedIc ?? new Float64Array(n);
  const tail = workArray('validation:tail', Math.min(n, window + 2));
  nextReturnValidationPass(x, r, window, ic, hitRate, turnoverAdjusted, tail);
  return out ?? { ic, hitRate, turnoverAdjustedIc: turnoverAdjusted };
}
