import { ConfigError } from '@quantpipe/core';

/** What a daily-loss or drawdown breach does besides tripping the kill switch. */
export type LossBreachAction = 'flatten' | 'reduce' | 'block';

/**
 * Engine settings. Keys follow the spec's names (9.1, 9.2) so a `trading_config.json` maps onto
 * them directly; the engine-only keys are documented one by one.
 */
export interface EngineConfig {
  /** Universe to trade. */
  readonly symbols: readonly string[];
  /** The market series and benchmark (spec 2.2). Default 'SPY'. */
  readonly benchmark_symbol: string;
  /** Smallest order in shares. Default 1. */
  readonly min_trade_size: number;
  /** Fraction of equity per position at 1x leverage. Default 0.20. */
  readonly max_position_size: number;
  /** Daily P&L limit as a negative fraction. Default -0.05. */
  readonly max_daily_loss: number;
  /** Drawdown limit as a negative fraction. Default -0.15. */
  readonly max_drawdown: number;
  readonly min_leverage: number;
  /** Gross leverage cap. Default 3.0. */
  readonly max_leverage: number;
  /** Liquidity cap as a fraction of the 20-day ADV. Default 0.10. */
  readonly max_adv_pct: number;
  readonly hedge_threshold: number;
  readonly hedge_size: number;
  readonly cost_per_hedge: number;
  readonly volatility_window: number;
  readonly momentum_fast: number;
  readonly momentum_slow: number;
  readonly tail_window: number;
  readonly beta_window: number;
  readonly validation_window: number;
  readonly health_lookback: number;
  /** How long to wait for an order to fill before canceling it (spec 7.2). Default 30. */
  readonly fill_timeout_s: number;
  /** Pause between order-status polls while waiting for a fill. Default 500 ms. */
  readonly fill_poll_interval_ms: number;
  /**
   * First backoff of a failed broker call (3 attempts, doubling: the spec's `safe_api_call`
   * waits 2^n s). Default 1000 ms.
   */
  readonly retry_base_delay_ms: number;
  /** Re-estimate signal weights and health every this many daily bars (walk-forward). Default 21. */
  readonly reweight_interval_bars: number;
  /** Calendar days of daily history fetched when the engine starts (signal warm-up). Default 800. */
  readonly history_days: number;
  /** Use hourly bars for the 70/30 hybrid when the data source has them. Default true. */
  readonly use_hourly: boolean;
  /** Calendar days of hourly history fetched on start. Default 60. */
  readonly hourly_history_days: number;
  /** The spec's safety factor on buying-power scaling. Default 0.95. */
  readonly buying_power_scale: number;
  /**
   * What the buying-power scaling multiplies: `deltas` (default), the exposure-increasing part
   * of each trade; or `targets`, every target as the seed does (which liquidates most of a fully
   * margined book over a small shortfall and buys it back the next cycle). See `planOrders`.
   */
  readonly buying_power_mode: 'deltas' | 'targets';
  /**
   * Watchdog: trading is refused when a symbol's latest daily bar is more than this many
   * weekdays behind the last completed session (a holiday is one). Default 1.
   */
  readonly max_stale_sessions: number;
  /** What a loss-limit breach does besides tripping the kill switch. Default 'flatten'. */
  readonly on_loss_breach: LossBreachAction;
  /**
   * How long a kill switch tripped by a daily-loss breach lasts: `session` (default) releases it
   * at the first cycle of the next exchange session — the daily limit stops trading for the day;
   * `manual` keeps it until `resume`. Drawdown and manual trips always need `resume`.
   */
  readonly daily_loss_halt: 'session' | 'manual';
  /**
   * Pass each symbol's composite through the spec's AdaptivePositionSizer (5.2: exponential
   * decay with a buffer zone) before sizing, so a small change of the signal keeps the position.
   * Default true.
   */
  readonly position_decay: boolean;
  /** Half-life of the position decay, in rebalance cycles (days when rebalancing daily). Default 10. */
  readonly decay_halflife: number;
  /** Relative change below which the previous position is kept. Default 0.15. */
  readonly buffer_zone: number;
  /** Compute and log orders without sending any. Default false. */
  readonly dry_run: boolean;
}

/** Defaults: the spec's values (9.1, 9.2, 7.2) plus the engine's own. */
export const DEFAULT_ENGINE_CONFIG: EngineConfig = Object.freeze({
  symbols: Object.freeze([]) as readonly string[],
  benchmark_symbol: 'SPY',
  min_trade_size: 1,
  max_position_size: 0.2,
  max_daily_loss: -0.05,
  max_drawdown: -0.15,
  min_leverage: 1.0,
  max_leverage: 3.0,
  max_adv_pct: 0.1,
  hedge_threshold: -0.05,
  hedge_size: 0.1,
  cost_per_hedge: 0.0002,
  volatility_window: 20,
  momentum_fast: 20,
  momentum_slow: 60,
  tail_window: 60,
  beta_window: 60,
  validation_window: 252,
  health_lookback: 63,
  fill_timeout_s: 30,
  fill_poll_interval_ms: 500,
  retry_base_delay_ms: 1000,
  reweight_interval_bars: 21,
  history_days: 800,
  use_hourly: true,
  hourly_history_days: 60,
  buying_power_scale: 0.95,
  buying_power_mode: 'deltas',
  max_stale_sessions: 1,
  on_loss_breach: 'flatten',
  daily_loss_halt: 'session',
  position_decay: true,
  decay_halflife: 10,
  buffer_zone: 0.15,
  dry_run: false,
});

/** Config as given by a caller: `symbols` required, everything else optional. */
export type EngineConfigInput = Partial<EngineConfig> & { readonly symbols: readonly string[] };

function num(key: string, v: unknown, ok: (x: number) => boolean, range: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
    throw new ConfigError(key, `expected ${range}, got ${JSON.stringify(v)}`);
  }
  return v;
}

const INT_KEYS = [
  'min_trade_size',
  'volatility_window',
  'momentum_fast',
  'momentum_slow',
  'tail_window',
  'beta_window',
  'validation_window',
  'health_lookback',
  'reweight_interval_bars',
  'history_days',
  'hourly_history_days',
] as const;

/**
 * Fills in defaults and validates. Throws a {@link ConfigError} naming the key for a wrong type,
 * an out-of-range value or an unknown key.
 */
export function resolveEngineConfig(input: EngineConfigInput): EngineConfig {
  if (typeof input !== 'object' || input === null)
    throw new ConfigError('config', 'expected an object');
  for (const key of Object.keys(input)) {
    if (!(key in DEFAULT_ENGINE_CONFIG)) throw new ConfigError(key, 'unknown key');
  }
  const cfg: EngineConfig = { ...DEFAULT_ENGINE_CONFIG, ...input };
  if (!Array.isArray(cfg.symbols) || cfg.symbols.length === 0) {
    throw new ConfigError('symbols', 'expected a non-empty array of symbols');
  }
  const seen = new Set<string>();
  cfg.symbols.forEach((s, i) => {
    if (typeof s !== 'string' || !/^[A-Za-z0-9._-]+$/.test(s)) {
      throw new ConfigError(`symbols[${i}]`, `expected a ticker, got ${JSON.stringify(s)}`);
    }
    if (seen.has(s)) throw new ConfigError(`symbols[${i}]`, `duplicate symbol ${s}`);
    seen.add(s);
  });
  if (typeof cfg.benchmark_symbol !== 'string' || cfg.benchmark_symbol === '') {
    throw new ConfigError('benchmark_symbol', 'expected a ticker');
  }
  for (const key of INT_KEYS)
    num(key, cfg[key], (x) => Number.isInteger(x) && x >= 1, 'an integer >= 1');
  num('max_position_size', cfg.max_position_size, (x) => x > 0 && x <= 1, 'a fraction in (0, 1]');
  num(
    'max_daily_loss',
    cfg.max_daily_loss,
    (x) => x < 0 && x > -1,
    'a negative fraction in (-1, 0)',
  );
  num('max_drawdown', cfg.max_drawdown, (x) => x < 0 && x > -1, 'a negative fraction in (-1, 0)');
  num('min_leverage', cfg.min_leverage, (x) => x >= 0, 'a number >= 0');
  num('max_leverage', cfg.max_leverage, (x) => x > 0, 'a number > 0');
  if (cfg.min_leverage > cfg.max_leverage) {
    throw new ConfigError('min_leverage', `must not exceed max_leverage (${cfg.max_leverage})`);
  }
  num('max_adv_pct', cfg.max_adv_pct, (x) => x > 0 && x <= 1, 'a fraction in (0, 1]');
  num(
    'hedge_threshold',
    cfg.hedge_threshold,
    (x) => x < 0 && x > -1,
    'a negative fraction in (-1, 0)',
  );
  num('hedge_size', cfg.hedge_size, (x) => x >= 0, 'a number >= 0');
  num('cost_per_hedge', cfg.cost_per_hedge, (x) => x >= 0, 'a number >= 0');
  num('fill_timeout_s', cfg.fill_timeout_s, (x) => x > 0, 'a number of seconds > 0');
  num(
    'fill_poll_interval_ms',
    cfg.fill_poll_interval_ms,
    (x) => x > 0,
    'a number of milliseconds > 0',
  );
  num(
    'retry_base_delay_ms',
    cfg.retry_base_delay_ms,
    (x) => x >= 0,
    'a number of milliseconds >= 0',
  );
  num('buying_power_scale', cfg.buying_power_scale, (x) => x > 0 && x <= 1, 'a fraction in (0, 1]');
  num(
    'max_stale_sessions',
    cfg.max_stale_sessions,
    (x) => Number.isInteger(x) && x >= 0,
    'an integer >= 0',
  );
  if (cfg.momentum_fast > cfg.momentum_slow) {
    throw new ConfigError('momentum_fast', `must not exceed momentum_slow (${cfg.momentum_slow})`);
  }
  if (!['flatten', 'reduce', 'block'].includes(cfg.on_loss_breach)) {
    throw new ConfigError(
      'on_loss_breach',
      `expected flatten, reduce or block, got ${JSON.stringify(cfg.on_loss_breach)}`,
    );
  }
  if (!['deltas', 'targets'].includes(cfg.buying_power_mode)) {
    throw new ConfigError(
      'buying_power_mode',
      `expected deltas or targets, got ${JSON.stringify(cfg.buying_power_mode)}`,
    );
  }
  if (!['session', 'manual'].includes(cfg.daily_loss_halt)) {
    throw new ConfigError(
      'daily_loss_halt',
      `expected session or manual, got ${JSON.stringify(cfg.daily_loss_halt)}`,
    );
  }
  num('decay_halflife', cfg.decay_halflife, (x) => x > 0, 'a number of cycles > 0');
  num('buffer_zone', cfg.buffer_zone, (x) => x >= 0 && x < 1, 'a fraction in [0, 1)');
  for (const key of ['use_hourly', 'dry_run', 'position_decay'] as const) {
    if (typeof cfg[key] !== 'boolean')
      throw new ConfigError(key, `expected a boolean, got ${JSON.stringify(cfg[key])}`);
  }
  return Object.freeze({ ...cfg, symbols: Object.freeze([...cfg.symbols]) });
}
