import { configErrorFromIssues, type ConfigIssue } from '@quantpipe/core';
import { z } from 'zod';

/**
 * The position-sizing keys of the spec (`trading_config.json` 9.1, pipeline config 9.2): each
 * with its default, its range and its doc (`.description`). The engine, the trader and the
 * backtest compose these definitions; none restates them.
 *
 * `max_leverage` is also a risk limit: `@quantpipe/risk` defines it identically (both packages
 * stand alone), and a test of `@quantpipe/execution` proves the two definitions equal.
 */
export const sizingConfigKeys = {
  max_position_size: z
    .number()
    .gt(0)
    .lte(1)
    .default(0.2)
    .describe('Fraction of equity per position at 1x leverage (spec 9.1), in (0, 1].'),
  min_leverage: z
    .number()
    .min(0)
    .max(10)
    .default(1.0)
    .describe('Leverage of the weakest non-zero signal (spec 9.1), in [0, 10]; <= max_leverage.'),
  max_leverage: z
    .number()
    .gt(0)
    .max(10)
    .default(3.0)
    .describe(
      'Leverage of the strongest signal and the gross leverage cap (spec 9.1), in (0, 10].',
    ),
  max_adv_pct: z
    .number()
    .gt(0)
    .lte(1)
    .default(0.1)
    .describe(
      'Largest position as a fraction of the 20-day average daily volume (spec 9.2), in (0, 1].',
    ),
};

/** The cross-field rules of the sizing keys: `min_leverage <= max_leverage`. */
export function sizingConfigIssues(config: {
  readonly min_leverage: number;
  readonly max_leverage: number;
}): ConfigIssue[] {
  if (config.min_leverage <= config.max_leverage) return [];
  return [{ path: ['max_leverage'], message: `must be >= min_leverage (${config.min_leverage})` }];
}

/**
 * The sizing keys with their rules. Unknown keys are stripped, so a whole `trading_config.json`
 * object may be parsed.
 */
export const sizingConfigSchema = z.object(sizingConfigKeys).superRefine((config, ctx) => {
  for (const issue of sizingConfigIssues(config))
    ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
});

/** Position-sizing configuration, keyed by the spec's names (see {@link sizingConfigKeys}). */
export type SizingConfig = Readonly<z.output<typeof sizingConfigSchema>>;

/** The spec's defaults. */
export const DEFAULT_SIZING_CONFIG: SizingConfig = Object.freeze(sizingConfigSchema.parse({}));

/**
 * Fills missing keys with the spec's defaults and validates every value.
 * Unknown keys are ignored, so a whole `trading_config.json` object may be passed.
 * @throws ConfigError naming the key when a value is of the wrong type or out of range.
 */
export function resolveSizingConfig(config: Partial<SizingConfig> = {}): SizingConfig {
  const result = sizingConfigSchema.safeParse(config);
  // Parsed again to show the offending values: reporting them slows every parse down.
  if (!result.success)
    throw configErrorFromIssues(
      sizingConfigSchema.safeParse(config, { reportInput: true }).error?.issues ??
        result.error.issues,
    );
  return result.data;
}
