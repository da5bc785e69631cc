import { ConfigError, configErrorFromIssues } from '@quantpipe/core';
import { z } from 'zod';

const negativeFraction = () => z.number().gt(-1).lt(0);

/**
 * The risk-limit keys of the spec (`trading_config.json` 9.1; NOTES "Risk"): each with its
 * default, its range and its doc (`.description`). The engine, the trader and the backtest
 * compose these definitions; none restates them.
 *
 * `max_leverage` is also a sizing key: `@quantpipe/sizing` defines it identically (both
 * packages stand alone), and a test of `@quantpipe/execution` proves the two definitions equal.
 */
export const riskLimitKeys = {
  max_daily_loss: negativeFraction()
    .default(-0.05)
    .describe(
      'Daily P&L, as a fraction of the daily peak, below which trading stops (spec 9.1): a negative fraction in (-1, 0).',
    ),
  max_drawdown: negativeFraction()
    .default(-0.15)
    .describe(
      'Drawdown from the all-time peak below which trading stops (spec 9.1): a negative fraction in (-1, 0).',
    ),
  max_leverage: z
    .number()
    .gt(0)
    .max(10)
    .default(3.0)
    .describe(
      'Leverage of the strongest signal and the gross leverage cap (spec 9.1), in (0, 10].',
    ),
  on_loss_breach: z
    .enum(['flatten', 'reduce', 'block'])
    .default('flatten')
    .describe(
      'What a daily-loss or drawdown breach does besides tripping the kill switch: flatten (close every position), reduce (halve them) or block (new exposure only).',
    ),
};

/** The risk limits, snake_case as in a config file (unknown keys are stripped). */
export const riskLimitsSchema = z.object(riskLimitKeys);

/** What a daily-loss or drawdown breach asks the engine to do (NOTES: "flattens or reduces"). */
export type LossBreachAction = z.output<typeof riskLimitKeys.on_loss_breach>;

/**
 * Risk limits. The spec's snake_case keys (`max_daily_loss`, `max_drawdown`, `max_leverage`)
 * and camelCase keys are both accepted; giving both with different values is a
 * {@link ConfigError}. Loss limits are negative fractions (-0.05 = -5 %). Ranges and defaults:
 * {@link riskLimitKeys}.
 */
export interface RiskLimitsInput {
  /** Daily P&L as a fraction of the daily peak below which trading stops. Default -0.05. */
  readonly maxDailyLoss?: number;
  readonly max_daily_loss?: number;
  /** Drawdown from the all-time peak below which trading stops. Default -0.15. */
  readonly maxDrawdown?: number;
  readonly max_drawdown?: number;
  /** Gross exposure / equity above which new exposure is blocked. Default 3.0. */
  readonly maxLeverage?: number;
  readonly max_leverage?: number;
  /** What a daily-loss or drawdown breach requests. Default 'flatten' (the conservative choice). */
  readonly onLossBreach?: LossBreachAction;
  readonly on_loss_breach?: LossBreachAction;
}

/** Resolved, validated limits. */
export interface RiskLimits {
  readonly maxDailyLoss: number;
  readonly maxDrawdown: number;
  readonly maxLeverage: number;
  readonly onLossBreach: LossBreachAction;
}

function camelCased(limits: z.output<typeof riskLimitsSchema>): RiskLimits {
  return {
    maxDailyLoss: limits.max_daily_loss,
    maxDrawdown: limits.max_drawdown,
    maxLeverage: limits.max_leverage,
    onLossBreach: limits.on_loss_breach,
  };
}

/** Spec defaults (9.1): max_daily_loss -0.05, max_drawdown -0.15, max_leverage 3.0. */
export const DEFAULT_RISK_LIMITS: RiskLimits = Object.freeze(
  camelCased(riskLimitsSchema.parse({})),
);

function pick<T>(camel: string, snake: string, a: T | undefined, b: T | undefined): T | undefined {
  if (a !== undefined && b !== undefined && a !== b) {
    throw new ConfigError(
      snake,
      `given twice with different values (${camel}=${String(a)}, ${snake}=${String(b)})`,
    );
  }
  return a ?? b;
}

/** Validates limits and fills in the spec's defaults. Throws a {@link ConfigError} naming the key. */
export function resolveRiskLimits(input: RiskLimitsInput = {}): RiskLimits {
  if (typeof input !== 'object' || input === null) {
    throw new ConfigError('risk', 'expected an object of limits');
  }
  const snake = {
    max_daily_loss: pick(
      'maxDailyLoss',
      'max_daily_loss',
      input.maxDailyLoss,
      input.max_daily_loss,
    ),
    max_drawdown: pick('maxDrawdown', 'max_drawdown', input.maxDrawdown, input.max_drawdown),
    max_leverage: pick('maxLeverage', 'max_leverage', input.maxLeverage, input.max_leverage),
    on_loss_breach: pick(
      'onLossBreach',
      'on_loss_breach',
      input.onLossBreach,
      input.on_loss_breach,
    ),
  };
  const result = riskLimitsSchema.safeParse(snake);
  // Parsed again to show the offending values: reporting them slows every parse down.
  if (!result.success)
    throw configErrorFromIssues(
      riskLimitsSchema.safeParse(snake, { reportInput: true }).error?.issues ?? result.error.issues,
    );
  return camelCased(result.data);
}
