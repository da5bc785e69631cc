import { ValidationError } from '@quantpipe/core';

/** Settings of the composite strategy, streaming or precomputed (spec names). */
export interface CompositeStrategyConfig {
  readonly volatility_window: number;
  readonly momentum_fast: number;
  readonly momentum_slow: number;
  readonly tail_window: number;
  readonly beta_window: number;
  /** Trailing rows used to estimate the weights (and the IC window). Default 252. */
  readonly validation_window: number;
  readonly health_lookback: number;
  /** Re-estimate weights and health every this many daily bars. Default 21 (monthly). */
  readonly reweight_interval_bars: number;
  /** Apply the spec's risk budgets (4.2) to the optimised weights. Default true. */
  readonly risk_budgets: boolean;
  /** Scale each signal's weight by its health score (renormalised). Default true. */
  readonly health_weighting: boolean;
}

/** Defaults: the spec's values. */
export const DEFAULT_COMPOSITE_STRATEGY_CONFIG: CompositeStrategyConfig = Object.freeze({
  volatility_window: 20,
  momentum_fast: 20,
  momentum_slow: 60,
  tail_window: 60,
  beta_window: 60,
  validation_window: 252,
  health_lookback: 63,
  reweight_interval_bars: 21,
  risk_budgets: true,
  health_weighting: true,
});

/** The integer settings (bars) the strategy shares with the engine configuration. */
const WINDOW_KEYS = [
  'volatility_window',
  'momentum_fast',
  'momentum_slow',
  'tail_window',
  'beta_window',
  'validation_window',
  'health_lookback',
  'reweight_interval_bars',
] as const;
type WindowKey = (typeof WINDOW_KEYS)[number];

/**
 * The strategy settings a trading configuration implies (its window keys, spec names): what a
 * trader or a backtest passes to the strategy so that it decides as configured.
 */
export function compositeStrategyConfigOf(
  config: Readonly<Record<WindowKey, number>>,
): Partial<CompositeStrategyConfig> {
  const out: Partial<Record<WindowKey, number>> = {};
  for (const key of WINDOW_KEYS) out[key] = config[key];
  return out;
}

/**
 * The defaults filled in and every window checked: the settings both forms of the strategy run
 * with.
 *
 * @throws ValidationError naming the key of a window that is not an integer >= 2
 *   (`reweight_interval_bars`: >= 1, re-estimating on every bar).
 */
export function resolveCompositeStrategyConfig(
  config: Partial<CompositeStrategyConfig> = {},
): CompositeStrategyConfig {
  const cfg: CompositeStrategyConfig = { ...DEFAULT_COMPOSITE_STRATEGY_CONFIG, ...config };
  for (const key of WINDOW_KEYS) {
    const v = cfg[key];
    // Re-estimating on every bar is allowed (the backtest's `reweight: every`).
    const least = key === 'reweight_interval_bars' ? 1 : 2;
    if (!Number.isInteger(v) || v < least)
      throw new ValidationError(key, `expected an integer >= ${least}, got ${String(v)}`);
  }
  return cfg;
}
