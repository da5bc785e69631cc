import { configErrorFromIssues, type ConfigIssue } from '@quantpipe/core';
import { SIGNAL_NORMALIZATIONS, type SignalNormalization } from '@quantpipe/weighting';
import { z } from 'zod';

const windowBars = () => z.number().int().min(2).max(5000);

/**
 * The settings of {@link CompositeStrategy}, keyed by the spec's names (pipeline config 9.2):
 * each with its default, its range and its doc (`.description`). The trader and the backtest
 * compose these definitions with the engine's; the engine itself never reads them.
 */
export const compositeStrategyKeys = {
  volatility_window: windowBars()
    .default(20)
    .describe(
      'Lookback of the volatility signal, in daily bars (spec 9.2): an integer in [2, 5000].',
    ),
  momentum_fast: windowBars()
    .default(20)
    .describe(
      'Fast window of the momentum signal, in daily bars (spec 9.2): an integer in [2, 5000], <= momentum_slow.',
    ),
  momentum_slow: windowBars()
    .default(60)
    .describe(
      'Slow window of the momentum signal, in daily bars (spec 9.2): an integer in [2, 5000].',
    ),
  tail_window: windowBars()
    .default(60)
    .describe(
      'Lookback of the tail-risk signal, in daily bars (not in the spec table; 60 as its code): an integer in [2, 5000].',
    ),
  beta_window: windowBars()
    .default(60)
    .describe(
      'Lookback of the beta signal, in daily bars (not in the spec table; 60 as its code): an integer in [2, 5000].',
    ),
  validation_window: windowBars()
    .default(252)
    .describe(
      'Trailing daily bars used to estimate the signal weights and the rolling IC (spec 9.2): an integer in [2, 5000].',
    ),
  health_lookback: windowBars()
    .default(63)
    .describe(
      'Lookback of the signal health score, in daily bars (spec 9.2): an integer in [2, 5000].',
    ),
  reweight_interval_bars: z
    .number()
    .int()
    .min(1)
    .max(2520)
    .default(21)
    .describe(
      'Re-estimate signal weights and health every this many daily bars (walk-forward; 21 = monthly, 1 = every bar): an integer in [1, 2520].',
    ),
  risk_budgets: z
    .boolean()
    .default(true)
    .describe("Apply the spec's risk budgets (4.2) to the optimised signal weights."),
  health_weighting: z
    .boolean()
    .default(true)
    .describe("Scale each signal's weight by its health score (renormalised)."),
  signal_normalization: z
    .enum(SIGNAL_NORMALIZATIONS as [SignalNormalization, ...SignalNormalization[]])
    .default('none')
    .describe(
      "Rescaling of each signal before weighting: none (the spec's raw composite), rolling_z (z-score over the symbol's trailing signal_normalization_window bars), cross_sectional_z or cross_sectional_rank (across the universe on each date: market-neutral).",
    ),
  signal_normalization_window: windowBars()
    .default(63)
    .describe(
      'Trailing daily bars of the rolling_z normalisation (0 until that many exist): an integer in [2, 5000].',
    ),
};

/** Names of the strategy's keys. */
export type CompositeStrategyKey = keyof typeof compositeStrategyKeys;

/** The cross-field rule of the strategy's keys: `momentum_fast <= momentum_slow`. */
export function compositeStrategyConfigIssues(config: {
  readonly momentum_fast: number;
  readonly momentum_slow: number;
}): ConfigIssue[] {
  if (config.momentum_fast <= config.momentum_slow) return [];
  return [
    { path: ['momentum_slow'], message: `must be >= momentum_fast (${config.momentum_fast})` },
  ];
}

/** The strategy's settings with their rule. Strict: an unknown key is an error. */
export const compositeStrategyConfigSchema = z
  .strictObject(compositeStrategyKeys)
  .superRefine((config, ctx) => {
    for (const issue of compositeStrategyConfigIssues(config))
      ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
  });

/** Settings of {@link CompositeStrategy} (spec names; see {@link compositeStrategyKeys}). */
export type CompositeStrategyConfig = Readonly<z.output<typeof compositeStrategyConfigSchema>>;

/** Defaults: the spec's values. */
export const DEFAULT_COMPOSITE_STRATEGY_CONFIG: CompositeStrategyConfig = Object.freeze(
  compositeStrategyConfigSchema.parse({}),
);

/**
 * Fills in the defaults and validates.
 * @throws ConfigError naming the key for a wrong type, an out-of-range value or an unknown key.
 */
export function resolveCompositeStrategyConfig(
  config: Partial<CompositeStrategyConfig> = {},
): CompositeStrategyConfig {
  const result = compositeStrategyConfigSchema.safeParse(config);
  // Parsed again to show the offending values: reporting them slows every parse down.
  if (!result.success)
    throw configErrorFromIssues(
      compositeStrategyConfigSchema.safeParse(config, { reportInput: true }).error?.issues ??
        result.error.issues,
    );
  return Object.freeze(result.data);
}

const KEYS = Object.keys(compositeStrategyKeys) as CompositeStrategyKey[];

/**
 * The strategy settings within a larger configuration (a trader's `trading_config.json`, a
 * backtest's `pipeline`): what a trader or a backtest passes to the strategy so that it decides
 * as configured. Keys the configuration lacks are left out (the strategy's defaults apply).
 */
export function compositeStrategyConfigOf<T extends Partial<Record<CompositeStrategyKey, unknown>>>(
  config: T,
): Pick<T, Extract<keyof T, CompositeStrategyKey>> {
  const out: Partial<Record<CompositeStrategyKey, unknown>> = {};
  for (const key of KEYS) if (config[key] !== undefined) out[key] = config[key];
  return out as Pick<T, Extract<keyof T, CompositeStrategyKey>>;
}
