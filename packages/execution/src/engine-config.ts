import { ConfigError, configErrorFromIssues, type ConfigIssue } from '@quantpipe/core';
import { riskLimitKeys, tailHedgeConfigIssues, tailHedgeKeys } from '@quantpipe/risk';
import { sizingConfigIssues, sizingConfigKeys } from '@quantpipe/sizing';
import { z } from 'zod';

export type { LossBreachAction } from '@quantpipe/risk';

const ticker = () =>
  z.string().regex(/^[A-Za-z0-9._-]+$/, 'expected a ticker (letters, digits, . _ -)');

/** What the engine trades: the universe and the benchmark. */
export const engineUniverseKeys = {
  symbols: z
    .array(ticker())
    .min(1)
    .superRefine((symbols, ctx) => {
      const seen = new Set<string>();
      symbols.forEach((s, i) => {
        if (seen.has(s))
          ctx.addIssue({ code: 'custom', path: [i], message: `duplicate symbol ${s}` });
        seen.add(s);
      });
    })
    .readonly()
    .describe('Universe to trade: a non-empty list of distinct tickers (spec 9.1).'),
  benchmark_symbol: ticker().default('SPY').describe('The market series and benchmark (spec 2.2).'),
};

/**
 * The keys that decide what the engine trades, live and in a backtest alike: the sizing keys
 * (`@quantpipe/sizing`), the risk limits and the tail hedge (`@quantpipe/risk`), and the
 * engine's own order-planning, decay and halt settings. A trader and a backtest of the same
 * strategy accept the same values for these.
 */
export const engineTradingKeys = {
  min_trade_size: z
    .number()
    .int()
    .min(1)
    .default(1)
    .describe('Smallest order, in shares (spec 9.1): an integer >= 1.'),
  ...riskLimitKeys,
  ...sizingConfigKeys,
  ...tailHedgeKeys,
  buying_power_scale: z
    .number()
    .gt(0)
    .lte(1)
    .default(0.95)
    .describe("The spec's safety factor on buying-power scaling, in (0, 1]."),
  buying_power_mode: z
    .enum(['deltas', 'targets'])
    .default('deltas')
    .describe(
      'What the buying-power scaling multiplies: deltas (the exposure-increasing part of each trade) or targets (every target, as the seed; it liquidates most of a fully margined book over a small shortfall and buys it back the next cycle).',
    ),
  max_stale_sessions: z
    .number()
    .int()
    .min(0)
    .max(30)
    .default(1)
    .describe(
      "Watchdog: trading is refused when a symbol's latest daily bar is more than this many weekdays behind the last completed session (a holiday is one): an integer in [0, 30].",
    ),
  daily_loss_halt: z
    .enum(['session', 'manual'])
    .default('session')
    .describe(
      'How long a kill switch tripped by a daily-loss breach lasts: session (released at the first cycle of the next exchange session) or manual (until resumed). Drawdown and manual trips always need a resume.',
    ),
  alert_repeats: z
    .enum(['episode', 'every_check'])
    .default('episode')
    .describe(
      "How often a daily-loss or leverage breach is alerted: episode (once when it trips, once when it clears; the check before every order alerts nothing new) or every_check (the spec's alert at each check that finds it). A drawdown breach is alerted once per halt either way.",
    ),
  position_decay: z
    .boolean()
    .default(true)
    .describe(
      "Pass each symbol's composite through the spec's AdaptivePositionSizer (5.2: exponential decay with a buffer zone) before sizing, so a small change of the signal keeps the position.",
    ),
  decay_halflife: z
    .number()
    .gt(0)
    .max(10_000)
    .default(10)
    .describe(
      'Half-life of the position decay, in exchange sessions whatever the cycle frequency (a kept position ages by the sessions since its last cycle: hourly cycles of one session age it once), in (0, 10000].',
    ),
  min_trade_notional_usd: z
    .number()
    .min(0)
    .max(1e9)
    .default(0)
    .describe(
      'No-trade band: a trade worth less than this (|target - held| x last close) keeps the held position; an exit to zero always goes. USD, in [0, 1e9]; 0 turns the band off.',
    ),
  expected_edge_bps: z
    .number()
    .min(0)
    .max(10_000)
    .default(0)
    .describe(
      "Cost-benefit no-trade band: the return a full-strength signal (|tanh(2 x composite) x confidence| = 1) is expected to earn over a position's holding, in bps. A trade's expected edge is |target - held| x last close x |strength| x expected_edge_bps / 10000 (USD); a trade whose edge does not exceed its estimated cost (slippage plus the venue's commission, its minimum included) keeps the held position; an exit to zero always goes. In [0, 10000]; 0 turns the band off.",
    ),
  buffer_zone: z
    .number()
    .min(0)
    .lt(1)
    .default(0.15)
    .describe(
      'Relative signal change below which the previous position is kept (spec 5.2), in [0, 1).',
    ),
};

/** How the engine works with a live venue and data source: waits, retries, history, dry run. */
export const engineLiveKeys = {
  fill_timeout_s: z
    .number()
    .gt(0)
    .max(3600)
    .default(30)
    .describe(
      'How long to wait for an order to fill before canceling it, in seconds (spec 7.2), in (0, 3600].',
    ),
  fill_poll_interval_ms: z
    .number()
    .int()
    .min(10)
    .max(60_000)
    .default(500)
    .describe(
      'Pause between order-status polls while waiting for a fill, in milliseconds: an integer in [10, 60000].',
    ),
  retry_base_delay_ms: z
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(1000)
    .describe(
      "First backoff of a failed broker or data call, in milliseconds; 3 attempts, doubling (the spec's safe_api_call waits 2^n s): an integer in [0, 60000].",
    ),
  history_days: z
    .number()
    .int()
    .min(30)
    .max(3660)
    .default(800)
    .describe(
      'Calendar days of daily history fetched when the engine starts (signal warm-up): an integer in [30, 3660].',
    ),
  use_hourly: z
    .boolean()
    .default(true)
    .describe('Use hourly bars for the 70/30 hybrid when the data source has them.'),
  hourly_history_days: z
    .number()
    .int()
    .min(1)
    .max(730)
    .default(60)
    .describe('Calendar days of hourly history fetched on start: an integer in [1, 730].'),
  dry_run: z.boolean().default(false).describe('Compute and log orders without sending any.'),
  max_plan_age_minutes: z
    .number()
    .gt(0)
    .max(10_080)
    .default(60)
    .describe(
      "After a restart, a crash-interrupted cycle's unsent orders are sent only when its plan is at most this old (on the engine's clock); an older plan is dropped with a CRITICAL alert and the next cycle plans afresh. Minutes, in (0, 10080].",
    ),
};

/** Every key of the engine's configuration. */
export const engineConfigKeys = { ...engineUniverseKeys, ...engineTradingKeys, ...engineLiveKeys };

/** Names of the engine's keys. */
export type EngineConfigKey = keyof typeof engineConfigKeys;

/**
 * The cross-field rules of the engine's keys, each defined next to its keys: `min_leverage <=
 * max_leverage` (sizing) and `hedge_threshold <=` the hedge's deactivation threshold (risk).
 */
export function engineConfigIssues(config: {
  readonly min_leverage: number;
  readonly max_leverage: number;
  readonly hedge_threshold: number;
}): ConfigIssue[] {
  return [...sizingConfigIssues(config), ...tailHedgeConfigIssues(config)];
}

/**
 * The engine's configuration. Keys follow the spec's names (9.1, 9.2) so a `trading_config.json`
 * maps onto them directly. Strict: an unknown key is an error.
 */
export const engineConfigSchema = z.strictObject(engineConfigKeys).superRefine((config, ctx) => {
  for (const issue of engineConfigIssues(config))
    ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
});

/** Engine settings, resolved (see {@link engineConfigKeys} for each key's doc and range). */
export type EngineConfig = Readonly<z.output<typeof engineConfigSchema>>;

/** Defaults: the spec's values (9.1, 9.2, 7.2) plus the engine's own; `symbols` is empty. */
export const DEFAULT_ENGINE_CONFIG: EngineConfig = Object.freeze({
  ...z.object({ ...engineTradingKeys, ...engineLiveKeys }).parse({}),
  benchmark_symbol: engineUniverseKeys.benchmark_symbol.parse(undefined),
  symbols: Object.freeze([]) as readonly string[],
});

/** Config as given by a caller: `symbols` required, everything else optional. */
export type EngineConfigInput = Partial<EngineConfig> & { readonly symbols: readonly string[] };

const ENGINE_KEYS = Object.keys(engineConfigKeys) as EngineConfigKey[];

/**
 * The engine's keys within a larger configuration (a `trading_config.json`, a backtest's
 * `pipeline`), so that the rest (strategy, connections) is left to their owners.
 */
export function engineConfigKeysOf<T extends Partial<Record<EngineConfigKey, unknown>>>(
  config: T,
): Pick<T, Extract<keyof T, EngineConfigKey>> {
  const out: Partial<Record<EngineConfigKey, unknown>> = {};
  for (const key of ENGINE_KEYS) if (config[key] !== undefined) out[key] = config[key];
  return out as Pick<T, Extract<keyof T, EngineConfigKey>>;
}

/**
 * Fills in defaults and validates. Throws a {@link ConfigError} naming the key for a wrong type,
 * an out-of-range value or an unknown key.
 */
export function resolveEngineConfig(input: EngineConfigInput): EngineConfig {
  if (typeof input !== 'object' || input === null)
    throw new ConfigError('config', 'expected an object');
  const result = engineConfigSchema.safeParse(input);
  // Parsed again to show the offending values: reporting them slows every parse down.
  if (!result.success)
    throw configErrorFromIssues(
      engineConfigSchema.safeParse(input, { reportInput: true }).error?.issues ??
        result.error.issues,
    );
  return Object.freeze(result.data);
}
