// The steps of the composite strategy that its streaming and precomputed forms share, each
// written once: the walk-forward re-estimate of the weights, the health score of a signal, the
// health-scaled combination of the five signals and the 70/30 daily/hourly hybrid.
import { DAILY_SIGNAL_NAMES, healthScore, hourlySignal } from '@quantpipe/signals';
import {
  CorrelationWeightsWorkspace,
  applyPreparedRiskBudgets,
  combineHybrid,
  correlationWeightsInto,
  prepareRiskBudgets,
  type PreparedRiskBudgets,
} from '@quantpipe/weighting';
import type { CompositeStrategyConfig } from './composite-strategy-config';

/** The five daily signals, in the order of every per-signal array here. */
export const SIGNAL_NAMES: readonly string[] = DAILY_SIGNAL_NAMES;
/** Number of signals. */
export const SIGNALS = SIGNAL_NAMES.length;
/** The starting (and fallback) weights: 1/5 each. */
export const EQUAL_WEIGHTS: Readonly<Float64Array> = new Float64Array(SIGNALS).fill(1 / SIGNALS);
/** Hourly bars the hybrid needs before it is used. */
export const HYBRID_MIN_HOURLY_BARS = 21;
/** Hourly bars (the latest) the hybrid's hourly signal is computed on. */
export const HYBRID_HOURLY_BARS = 60;

/** The note logged while the benchmark has no bars. */
export function benchmarkMissingNote(benchmarkSymbol: string): string {
  return `${benchmarkSymbol} unavailable: Momentum uses raw momentum and Beta uses returns x 0.6`;
}

/** Number of trailing ICs the health score is computed on: `3 * lookback + 1`. */
export function healthWindowBars(lookback: number): number {
  return lookback * 3 + 1;
}

/**
 * The walk-forward re-estimate of one symbol's signal weights (spec 4.1, 4.2): the
 * correlation-aware weights on the trailing `validation_window` rows, through the risk budgets
 * when configured; the equal weights when the optimiser fails. Holds its buffers: one per
 * thread.
 */
export class WeightReestimator {
  private readonly workspace = new CorrelationWeightsWorkspace(SIGNALS, {
    baseWeights: EQUAL_WEIGHTS,
  });
  private readonly budgets: PreparedRiskBudgets = prepareRiskBudgets(SIGNAL_NAMES);
  private readonly raw = new Float64Array(SIGNALS);

  constructor(private readonly cfg: CompositeStrategyConfig) {}

  /**
   * Re-estimates on the rows `[n - validation_window, n)` of the signal columns and returns
   * into `out` (signal order). Returns false, leaving `out` as it is, while fewer than
   * `validation_window` rows exist.
   */
  weightsInto(
    signals: readonly ArrayLike<number>[],
    returns: ArrayLike<number>,
    n: number,
    out: Float64Array,
  ): boolean {
    const w = this.cfg.validation_window;
    if (n < w) return false;
    try {
      correlationWeightsInto(signals, returns, n - w, n, this.raw, this.workspace);
      if (this.cfg.risk_budgets) applyPreparedRiskBudgets(this.budgets, this.raw, out);
      else out.set(this.raw);
    } catch {
      out.set(EQUAL_WEIGHTS);
    }
    return true;
  }
}

/** The health score (spec 3.1) of the ICs given (the caller cuts the trailing window). */
export function healthOf(
  ic: ArrayLike<number>,
  turnoverAdjustedIc: ArrayLike<number>,
  lookback: number,
): number {
  return healthScore({ ic, turnoverAdjustedIc }, { lookback }).score;
}

/**
 * The daily composite `Σ w_i·h_i·signal_i / Σ w_i·h_i` (signal order; `h_i` is 1 without health
 * weighting or while the health is unknown; the sum is not renormalised when it is not > 0).
 * Leaves each signal's effective, normalised weight in `effective`, so that
 * `effective[i] * values[i]` are the terms summed.
 */
export function combineSignals(
  weights: ArrayLike<number>,
  health: ArrayLike<number>,
  values: ArrayLike<number>,
  healthWeighting: boolean,
  effective: Float64Array,
): number {
  let total = 0;
  for (let i = 0; i < SIGNALS; i++) {
    const h = health[i] as number;
    const e = (weights[i] as number) * (healthWeighting && Number.isFinite(h) ? h : 1);
    effective[i] = e;
    total += e;
  }
  const norm = total > 0 ? total : 1;
  let weighted = 0;
  for (let i = 0; i < SIGNALS; i++) {
    const e = (effective[i] as number) / norm;
    effective[i] = e;
    weighted += e * (values[i] as number);
  }
  return weighted;
}

/** A composite and its confidence. */
export interface HybridResult {
  readonly composite: number;
  readonly confidence: number;
}

/**
 * The 70/30 hybrid (spec 3.3) of the daily composite of session `lastDate` with the hourly
 * signal of the hourly bars given (the caller passes the latest {@link HYBRID_HOURLY_BARS});
 * undefined when the result is not finite (e.g. no hourly bar of that session).
 */
export function hybridComposite(
  daily: number,
  lastDate: string,
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  timestamps: readonly string[],
): HybridResult | undefined {
  const signal = hourlySignal({ high, low, close });
  const out = combineHybrid({
    dailyDates: [lastDate],
    dailySignal: [daily],
    hourlyTimestamps: timestamps,
    hourlySignal: signal,
  });
  const composite = out.composite[0];
  const confidence = out.confidence[0];
  if (composite === undefined || confidence === undefined || !Number.isFinite(composite))
    return undefined;
  return { composite, confidence };
}
