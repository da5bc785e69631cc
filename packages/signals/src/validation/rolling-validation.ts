import { ValidationError } from '@quantpipe/core';
import { PairMoments, pairMomentsPass } from '../kernels/pair-moments';
import { SeriesHistory, wholePair } from '../kernels/series-history';
import { TurnoverHits, turnoverAdjustedIc, turnoverHitsPass } from '../kernels/turnover-hits';
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
 * the pair (signal[s], return[s+1]). It runs the passes of {@link rollingValidation} over one
 * pair at a time, so both agree bit for bit.
 *
 * The rolling IC is pandas' `corr` (NaN-masked pair, `cov = (mean(xy) - mean(x)mean(y)) *
 * n/(n-1)`, sample variances) computed from windowed sums of the pair shifted by its first
 * valid values (see `PairMoments`). It agrees with pandas to ~1e-14. A window where the signal
 * or the return is constant gives NaN, as pandas does for the constant-zero signal windows of a
 * warming-up signal.
 */
export class ValidationState {
  private readonly history: SeriesHistory;
  private readonly pair: PairMoments;
  private readonly turnover: TurnoverHits;
  /** The passes' one-value outputs: the newest IC, hit rate and turnover. */
  private readonly latest = {
    corr: new Float64Array(1),
    hitRate: new Float64Array(1),
    turnover: new Float64Array(1),
  };
  /** IC of the last step. */
  ic = NaN;
  /** Hit rate of the last step. */
  hitRate = NaN;
  /** Turnover-adjusted IC of the last step. */
  turnoverAdjustedIc = NaN;

  /** @param windowBars validation window in bars (an integer in [2, MAX_WINDOW_BARS]). */
  constructor(windowBars: number) {
    assertWindow('windowBars', windowBars);
    // the leaving pair's change needs the signal before it: one bar more than the window
    this.history = new SeriesHistory(windowBars + 1, true);
    this.pair = new PairMoments(windowBars);
    this.turnover = new TurnoverHits(windowBars);
  }

  /** Feeds signal[s] and the return of the next bar, return[s+1] (NaN when unknown). */
  step(signal: number, nextReturn: number): void {
    const h = this.history;
    const i = h.appendPair(signal, nextReturn);
    const { latest } = this;
    pairMomentsPass(this.pair, h, i, i + 1, latest);
    turnoverHitsPass(this.turnover, h, i, i + 1, latest);
    this.ic = latest.corr[0] as number;
    this.hitRate = latest.hitRate[0] as number;
    this.turnoverAdjustedIc = turnoverAdjustedIc(this.ic, latest.turnover[0] as number);
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
 * @param options `window` (default 252, integer in [2, MAX_WINDOW_BARS]).
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
  const r = asFloat64(returns);
  const n = x.length;
  // one allocation for the three series and the next returns
  const buffer = new Float64Array(4 * n);
  const ic = buffer.subarray(0, n);
  const hitRate = buffer.subarray(n, 2 * n);
  const turnoverAdjusted = buffer.subarray(2 * n, 3 * n);
  const next = buffer.subarray(3 * n, 4 * n);
  for (let s = 0; s + 1 < n; s++) next[s] = r[s + 1] as number;
  if (n > 0) next[n - 1] = NaN;
  const pairs = wholePair(x, next);
  pairMomentsPass(new PairMoments(window), pairs, 0, n, { corr: ic });
  turnoverHitsPass(new TurnoverHits(window), pairs, 0, n, { hitRate, turnover: turnoverAdjusted });
  for (let s = 0; s < n; s++) {
    turnoverAdjusted[s] = turnoverAdjustedIc(ic[s] as number, turnoverAdjusted[s] as number);
  }
  return { ic, hitRate, turnoverAdjustedIc: turnoverAdjusted };
}
