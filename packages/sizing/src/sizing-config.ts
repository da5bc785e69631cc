import { ConfigError } from '@quantpipe/core';

/**
 * Position-sizing configuration, keyed by the spec's names (`trading_config.json` section 9.1
 * and pipeline config 9.2), so a parsed config file can be passed as it is.
 */
export interface SizingConfig {
  /** Fraction of equity per position at 1x leverage (spec default 0.20). */
  readonly max_position_size: number;
  /** Leverage of the weakest non-zero signal (spec default 1.0). */
  readonly min_leverage: number;
  /** Leverage of the strongest signal and the portfolio leverage cap (spec default 3.0). */
  readonly max_leverage: number;
  /** Largest position as a fraction of the 20-day average daily volume (spec default 0.10). */
  readonly max_adv_pct: number;
}

/** The spec's defaults. */
export const DEFAULT_SIZING_CONFIG: SizingConfig = Object.freeze({
  max_position_size: 0.2,
  min_leverage: 1.0,
  max_leverage: 3.0,
  max_adv_pct: 0.1,
});

/**
 * Fills missing keys with the spec's defaults and validates every value.
 * Unknown keys are ignored, so a whole `trading_config.json` object may be passed.
 * @throws ConfigError naming the key when a value is not finite or out of range.
 */
export function resolveSizingConfig(config: Partial<SizingConfig> = {}): SizingConfig {
  const resolved: SizingConfig = {
    max_position_size: config.max_position_size ?? DEFAULT_SIZING_CONFIG.max_position_size,
    min_leverage: config.min_leverage ?? DEFAULT_SIZING_CONFIG.min_leverage,
    max_leverage: config.max_leverage ?? DEFAULT_SIZING_CONFIG.max_leverage,
    max_adv_pct: config.max_adv_pct ?? DEFAULT_SIZING_CONFIG.max_adv_pct,
  };
  for (const [key, value] of Object.entries(resolved) as [keyof SizingConfig, number][]) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ConfigError(key, `expected a finite number, got ${String(value)}`);
    }
  }
  if (resolved.max_position_size <= 0 || resolved.max_position_size > 1) {
    throw new ConfigError(
      'max_position_size',
      `expected a fraction in (0, 1], got ${resolved.max_position_size}`,
    );
  }
  if (resolved.min_leverage < 0) {
    throw new ConfigError('min_leverage', `expected >= 0, got ${resolved.min_leverage}`);
  }
  if (resolved.max_leverage <= 0 || resolved.max_leverage < resolved.min_leverage) {
    throw new ConfigError(
      'max_leverage',
      `expected > 0 and >= min_leverage (${resolved.min_leverage}), got ${resolved.max_leverage}`,
    );
  }
  if (resolved.max_adv_pct <= 0 || resolved.max_adv_pct > 1) {
    throw new ConfigError(
      'max_adv_pct',
      `expected a fraction in (0, 1], got ${resolved.max_adv_pct}`,
    );
  }
  return resolved;
}
