import { ConfigError } from '@quantpipe/core';
import { z } from 'zod';
import { assertBrokerUrl } from './broker-url';
import { redactUrl } from './redact';
import { scheduleConfigSchema } from './schedule';

const fraction = (lo: number, hi: number) => z.number().min(lo).max(hi);
const negativeFraction = z.number().gt(-1).lt(0);
const window = z.number().int().min(2).max(5000);

/**
 * `trading_config.json`: the spec's keys (9.1 trading, 9.2 pipeline) plus the engine's and the
 * connections'. Strict: an unknown key is an error, so a typo never silently falls back to a
 * default. Secrets (`alpaca_api_key`, `alpaca_api_secret`) may be given here or, preferably, in
 * the environment (`APCA_API_KEY_ID`, `APCA_API_SECRET_KEY`), which wins.
 */
export const tradingConfigSchema = z.strictObject({
  // 9.1
  alpaca_api_key: z.string().min(1).optional(),
  alpaca_api_secret: z.string().min(1).optional(),
  alpaca_base_url: z.url().default('https://paper-api.alpaca.markets'),
  symbols: z
    .array(z.string().regex(/^[A-Za-z0-9.]{1,12}$/, 'expected a ticker (letters, digits, dot)'))
    .min(1)
    .refine((s) => new Set(s).size === s.length, 'symbols must be unique')
    .default(['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'META']),
  rebalance_frequency_minutes: z.number().int().min(1).max(10_080).default(60),
  min_trade_size: z.number().int().min(1).default(1),
  max_position_size: fraction(0.001, 1).default(0.2),
  max_daily_loss: negativeFraction.default(-0.05),
  max_drawdown: negativeFraction.default(-0.15),
  min_leverage: fraction(0, 10).default(1.0),
  max_leverage: z.number().gt(0).max(10).default(3.0),
  // 9.2
  initial_capital: z.number().positive().default(1_000_000),
  max_adv_pct: fraction(0.0001, 1).default(0.1),
  hedge_threshold: negativeFraction.default(-0.05),
  hedge_size: fraction(0, 1).default(0.1),
  cost_per_hedge: fraction(0, 0.1).default(0.0002),
  volatility_window: window.default(20),
  momentum_fast: window.default(20),
  momentum_slow: window.default(60),
  tail_window: window.default(60),
  beta_window: window.default(60),
  validation_window: window.default(252),
  health_lookback: window.default(63),
  costs_bps: z.number().min(0).max(1000).default(5),
  // Engine
  benchmark_symbol: z
    .string()
    .regex(/^[A-Za-z0-9.]{1,12}$/)
    .default('SPY'),
  fill_timeout_s: z.number().positive().max(3600).default(30),
  fill_poll_interval_ms: z.number().int().min(10).max(60_000).default(500),
  /** First backoff of a failed broker/data call; doubles per attempt (spec: 2^n s). */
  retry_base_delay_ms: z.number().int().min(0).max(60_000).default(1000),
  reweight_interval_bars: z.number().int().min(1).max(2520).default(21),
  history_days: z.number().int().min(30).max(3660).default(800),
  use_hourly: z.boolean().default(true),
  hourly_history_days: z.number().int().min(1).max(730).default(60),
  max_stale_sessions: z.number().int().min(0).max(30).default(1),
  on_loss_breach: z.enum(['flatten', 'reduce', 'block']).default('flatten'),
  /** A daily-loss halt ends with the session (`session`) or needs `trader resume` (`manual`). */
  daily_loss_halt: z.enum(['session', 'manual']).default('session'),
  /** The spec's AdaptivePositionSizer (5.2) between the composite and the sizing. */
  position_decay: z.boolean().default(true),
  /** Buying-power scaling on the exposure-increasing deltas (default) or on every target (seed). */
  buying_power_mode: z.enum(['deltas', 'targets']).default('deltas'),
  decay_halflife: z.number().gt(0).max(10_000).default(10),
  buffer_zone: z.number().min(0).lt(1).default(0.15),
  /** Outside market hours: wait for the open, or run and queue GTC orders (spec 7.2). */
  when_closed: z.enum(['wait', 'queue']).default('wait'),
  dry_run: z.boolean().default(false),
  // Connections and bookkeeping
  alpaca_data_url: z.url().optional(),
  alpaca_feed: z.enum(['iex', 'sip']).default('iex'),
  ibkr_host: z.string().min(1).default('127.0.0.1'),
  ibkr_port: z.number().int().min(1).max(65_535).default(7497),
  ibkr_client_id: z.number().int().min(0).default(1),
  broker: z.enum(['sim', 'alpaca', 'ibkr', 'dual']).default('alpaca'),
  database: z.string().min(1).default('sqlite:trader.db'),
  run_id: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits and . _ : - only')
    .default('live'),
  webhook_url: z.url().optional(),
  log_level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** `json` (one object a line) or `pretty` (a readable line per cycle); `--pretty` sets it. */
  log_format: z.enum(['json', 'pretty']).default('json'),
  /**
   * When to rebalance: `{ "every": "60m" }` or New York session times `{ "at": ["09:45",
   * "15:30"] }` on trading days. Absent: every `rebalance_frequency_minutes`.
   */
  schedule: scheduleConfigSchema.optional(),
  /**
   * Replay/testing: the trader's "now" starts at this ISO-8601 instant and runs at wall-clock
   * speed (for emulators serving past data). Live trading leaves it unset.
   */
  clock_start: z.iso.datetime().optional(),
});

/** A validated configuration (defaults filled in). */
export type TradingConfig = z.infer<typeof tradingConfigSchema>;

function describe(issue: z.core.$ZodIssue): { key: string; message: string } {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    return { key: issue.keys[0] ?? path, message: `unknown key(s): ${keys}` };
  }
  return { key: path || 'config', message: issue.message };
}

/**
 * Validates a parsed `trading_config.json`. Throws a {@link ConfigError} naming the first bad
 * key (all problems are listed in the message), e.g. `max_drawdown: Too big: expected number
 * to be <0`.
 */
export function parseTradingConfig(raw: unknown): TradingConfig {
  const result = tradingConfigSchema.safeParse(raw);
  if (!result.success) {
    const described = result.error.issues.map(describe);
    const first = described[0] ?? { key: 'config', message: 'invalid' };
    throw new ConfigError(first.key, described.map((d) => `${d.key}: ${d.message}`).join('; '));
  }
  const cfg = normaliseSymbols(result.data);
  assertBrokerUrl('alpaca_base_url', cfg.alpaca_base_url);
  if (cfg.alpaca_data_url !== undefined) assertBrokerUrl('alpaca_data_url', cfg.alpaca_data_url);
  if (cfg.min_leverage > cfg.max_leverage)
    throw new ConfigError(
      'min_leverage',
      `min_leverage: must not exceed max_leverage (${cfg.max_leverage})`,
    );
  if (cfg.momentum_fast > cfg.momentum_slow)
    throw new ConfigError(
      'momentum_fast',
      `momentum_fast: must not exceed momentum_slow (${cfg.momentum_slow})`,
    );
  return cfg;
}

/**
 * Tickers upper-cased once, here at the edge: brokers upper-case them, so a lower-case
 * `"syna"` would otherwise never match the broker's `SYNA` position and be re-ordered every
 * cycle. Two spellings of one ticker are refused.
 */
function normaliseSymbols(cfg: TradingConfig): TradingConfig {
  const symbols = cfg.symbols.map((s) => s.toUpperCase());
  const seen = new Set<string>();
  for (const [i, symbol] of symbols.entries()) {
    if (seen.has(symbol))
      throw new ConfigError(
        'symbols',
        `symbols: ${JSON.stringify(cfg.symbols[i])} repeats ${symbol} (tickers are upper-cased)`,
      );
    seen.add(symbol);
  }
  return { ...cfg, symbols, benchmark_symbol: cfg.benchmark_symbol.toUpperCase() };
}

/** The Alpaca credentials: environment first, then the file. */
export interface AlpacaCredentials {
  readonly keyId: string;
  readonly secretKey: string;
}

/** Resolves credentials from the environment or the config; undefined when neither has them. */
export function alpacaCredentials(
  cfg: TradingConfig,
  env: NodeJS.ProcessEnv = process.env,
): AlpacaCredentials | undefined {
  const keyId = env['APCA_API_KEY_ID'] ?? cfg.alpaca_api_key;
  const secretKey = env['APCA_API_SECRET_KEY'] ?? cfg.alpaca_api_secret;
  if (!keyId || !secretKey) return undefined;
  return { keyId, secretKey };
}

/**
 * The config without secrets: what may be logged or stored. The Alpaca keys are dropped; the
 * database URL loses its password and query values, the webhook URL its path and query (its
 * token), the broker URLs their query values.
 */
export function publicConfig(
  cfg: TradingConfig,
): Omit<TradingConfig, 'alpaca_api_key' | 'alpaca_api_secret'> {
  const { alpaca_api_key: _k, alpaca_api_secret: _s, ...rest } = cfg;
  return {
    ...rest,
    database: redactUrl(rest.database),
    alpaca_base_url: redactUrl(rest.alpaca_base_url),
    ...(rest.alpaca_data_url === undefined
      ? {}
      : { alpaca_data_url: redactUrl(rest.alpaca_data_url) }),
    ...(rest.webhook_url === undefined
      ? {}
      : { webhook_url: redactUrl(rest.webhook_url, { path: true }) }),
  };
}
