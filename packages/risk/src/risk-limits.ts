import { ConfigError } from '@quantpipe/core';

/** What a daily-loss or drawdown breach asks the engine to do (NOTES: "flattens or reduces"). */
export type LossBreachAction = 'flatten' | 'reduce' | 'block';

/**
 * Risk limits. The spec's snake_case keys (`max_daily_loss`, `max_drawdown`, `max_leverage`)
 * and camelCase keys are both accepted; giving both with different values is a
 * {@link ConfigError}. Loss limits are negative fractions (-0.05 = -5 %).
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

/** Spec defaults (9.1): max_daily_loss -0.05, max_drawdown -0.15, max_leverage 3.0. */
export const DEFAULT_RISK_LIMITS: RiskLimits = Object.freeze({
  maxDailyLoss: -0.05,
  maxDrawdown: -0.15,
  maxLeverage: 3.0,
  onLossBreach: 'flatten',
});

function pick<T>(camel: string, snake: string, a: T | undefined, b: T | undefined, fallback: T): T {
  if (a !== undefined && b !== undefined && a !== b) {
    throw new ConfigError(
      snake,
      `given twice with different values (${camel}=${String(a)}, ${snake}=${String(b)})`,
    );
  }
  return a ?? b ?? fallback;
}

function lossLimit(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value < 0 && value > -1)) {
    throw new ConfigError(
      key,
      `expected a negative fraction in (-1, 0), e.g. -0.05, got ${String(value)}`,
    );
  }
  return value;
}

/** Validates limits and fills in the spec's defaults. Throws a {@link ConfigError} naming the key. */
export function resolveRiskLimits(input: RiskLimitsInput = {}): RiskLimits {
  if (typeof input !== 'object' || input === null) {
    throw new ConfigError('risk', 'expected an object of limits');
  }
  const d = DEFAULT_RISK_LIMITS;
  const maxDailyLoss = lossLimit(
    'max_daily_loss',
    pick(
      'maxDailyLoss',
      'max_daily_loss',
      input.maxDailyLoss,
      input.max_daily_loss,
      d.maxDailyLoss,
    ),
  );
  const maxDrawdown = lossLimit(
    'max_drawdown',
    pick('maxDrawdown', 'max_drawdown', input.maxDrawdown, input.max_drawdown, d.maxDrawdown),
  );
  const maxLeverage = pick(
    'maxLeverage',
    'max_leverage',
    input.maxLeverage,
    input.max_leverage,
    d.maxLeverage,
  );
  if (typeof maxLeverage !== 'number' || !Number.isFinite(maxLeverage) || maxLeverage <= 0) {
    throw new ConfigError(
      'max_leverage',
      `expected a finite number > 0, got ${String(maxLeverage)}`,
    );
  }
  const onLossBreach = pick(
    'onLossBreach',
    'on_loss_breach',
    input.onLossBreach,
    input.on_loss_breach,
    d.onLossBreach,
  );
  if (onLossBreach !== 'flatten' && onLossBreach !== 'reduce' && onLossBreach !== 'block') {
    throw new ConfigError(
      'on_loss_breach',
      `expected flatten, reduce or block, got ${String(onLossBreach)}`,
    );
  }
  return { maxDailyLoss, maxDrawdown, maxLeverage, onLossBreach };
}
