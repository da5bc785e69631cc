import { ConfigError } from '@quantpipe/core';
import {
  engineConfigIssues,
  engineLiveKeys,
  engineTradingKeys,
  simulationKeys,
} from '@quantpipe/execution';
import { compositeStrategyConfigIssues, compositeStrategyKeys } from '@quantpipe/strategy';
import { z } from 'zod';
import { assertBrokerUrl } from './broker-url';
import { redactUrl } from './redact';
import { scheduleConfigSchema } from './schedule';

/**
 * The keys a trader shares with a backtest of the same strategy: the strategy's
 * (`@quantpipe/strategy`) and the engine's trading keys (`@quantpipe/execution`, which composes
 * `@quantpipe/sizing` and `@quantpipe/risk`). Defined there, with their defaults, ranges and docs.
 */
const sharedKeys = { ...compositeStrategyKeys, ...engineTradingKeys };

/**
 * `trading_config.json`: the spec's keys (9.1 trading, 9.2 pipeline) plus the engine's and the
 * connections'. Strict: an unknown key is an error, so a typo never silently falls back to a
 * default. Secrets (`alpaca_api_key`, `alpaca_api_secret`) may be given here or, preferably, in
 * the environment (`APCA_API_KEY_ID`, `APCA_API_SECRET_KEY`), which wins.
 */
const tradingConfigObject = z.strictObject({
  // 9.1: connection and universe
  alpaca_api_key: z
    .string()
    .min(1)
    .optional()
    .describe('Alpaca API key id (spec 9.1); APCA_API_KEY_ID in the environment wins.'),
  alpaca_api_secret: z
    .string()
    .min(1)
    .optional()
    .describe('Alpaca API secret (spec 9.1); APCA_API_SECRET_KEY in the environment wins.'),
  alpaca_base_url: z
    .url()
    .default('https://paper-api.alpaca.markets')
    .describe('Alpaca trading endpoint (spec 9.1): paper by default.'),
  symbols: z
    .array(z.string().regex(/^[A-Za-z0-9.]{1,12}$/, 'expected a ticker (letters, digits, dot)'))
    .min(1)
    .refine((s) => new Set(s).size === s.length, 'symbols must be unique')
    .default(['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'META'])
    .describe('Universe to trade (spec 9.1): distinct tickers.'),
  rebalance_frequency_minutes: z
    .number()
    .int()
    .min(1)
    .max(10_080)
    .default(60)
    .describe('Minutes between rebalance cycles (spec 9.1): an integer in [1, 10080].'),
  benchmark_symbol: z
    .string()
    .regex(/^[A-Za-z0-9.]{1,12}$/)
    .default('SPY')
    .describe('The market series and benchmark (spec 2.2).'),
  // Shared with the backtest: the strategy's and the engine's trading keys.
  ...sharedKeys,
  // The engine's live keys and the simulated venue's (broker "sim").
  ...engineLiveKeys,
  ...simulationKeys,
  // The venue's commission model, here for every broker (the engine's pre-trade estimate and
  // cost-benefit band charge it): the simulated venue's key without its default, which
  // depends on the broker (see COMMISSION_MODEL_BY_BROKER).
  commission_model: simulationKeys.commission_model
    .unwrap()
    .optional()
    .describe(
      "The venue's commissions, for the pre-trade cost estimate, the cost-benefit no-trade band and broker sim's fills: per_share (commission_per_share_usd, at least commission_min_usd, at most commission_max_pct of the notional: IBKR fixed), percent (commission_pct of the notional) or zero. Default by broker: alpaca zero; ibkr, dual and sim per_share.",
    ),
  when_closed: z
    .enum(['wait', 'queue'])
    .default('wait')
    .describe('Outside market hours: wait for the open, or run and queue GTC orders (spec 7.2).'),
  // Connections and bookkeeping
  alpaca_data_url: z.url().optional().describe('Alpaca market-data endpoint, if not the default.'),
  alpaca_feed: z
    .enum(['iex', 'sip'])
    .default('iex')
    .describe('Alpaca data feed: iex (free plans) or sip.'),
  ibkr_host: z.string().min(1).default('127.0.0.1').describe('TWS / IB Gateway host.'),
  ibkr_port: z
    .number()
    .int()
    .min(1)
    .max(65_535)
    .default(7497)
    .describe('TWS / IB Gateway port (7497: TWS paper).'),
  ibkr_client_id: z.number().int().min(0).default(1).describe('IBKR API client id.'),
  broker: z
    .enum(['sim', 'alpaca', 'ibkr', 'dual'])
    .default('alpaca')
    .describe('Where orders go: sim, alpaca, ibkr, or dual (Alpaca data, IBKR orders).'),
  database: z
    .string()
    .min(1)
    .default('sqlite:trader.db')
    .describe('Storage URL of the trading database (sqlite:<file> or postgres://...).'),
  run_id: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits and . _ : - only')
    .default('live')
    .describe('Run id: the journal and records of one trading account.'),
  webhook_url: z.url().optional().describe('Webhook that receives WARNING and CRITICAL alerts.'),
  log_level: z
    .enum(['debug', 'info', 'warn', 'error'])
    .default('info')
    .describe('Log level of the JSON log on stdout.'),
  log_format: z
    .enum(['json', 'pretty'])
    .default('json')
    .describe('json (one object a line) or pretty (a readable line per cycle); --pretty sets it.'),
  schedule: scheduleConfigSchema
    .optional()
    .describe(
      'When to rebalance: { "every": "60m" } or New York session times { "at": ["09:45", "15:30"] } on trading days. Absent: every rebalance_frequency_minutes.',
    ),
  clock_start: z.iso
    .datetime()
    .optional()
    .describe(
      'Replay/testing: the trader\'s "now" starts at this ISO-8601 instant and runs at wall-clock speed (for emulators serving past data). Live trading leaves it unset.',
    ),
});

/**
 * What each broker charges when `commission_model` is not given: Alpaca no commission; IBKR
 * (and dual, whose orders go to IBKR) its fixed pricing, which the `commission_*` keys'
 * defaults are; the simulated venue as the backtest's default.
 */
export const COMMISSION_MODEL_BY_BROKER = {
  sim: 'per_share',
  alpaca: 'zero',
  ibkr: 'per_share',
  dual: 'per_share',
} as const satisfies Record<
  z.output<typeof tradingConfigObject>['broker'],
  NonNullable<z.output<typeof tradingConfigObject>['commission_model']>
>;

export const tradingConfigSchema = tradingConfigObject.superRefine((config, ctx) => {
  for (const issue of [...compositeStrategyConfigIssues(config), ...engineConfigIssues(config)])
    ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
});

/** The keys shared with the backtest's `pipeline` (see {@link tradingConfigSchema}). */
export const SHARED_PIPELINE_KEYS = Object.keys(sharedKeys) as (keyof typeof sharedKeys)[];

/** A validated configuration (defaults filled in, `commission_model` by broker). */
export type TradingConfig = Omit<z.infer<typeof tradingConfigSchema>, 'commission_model'> & {
  readonly commission_model: NonNullable<z.infer<typeof tradingConfigSchema>['commission_model']>;
};

function describe(issue: z.core.$ZodIssue): { key: string; message: string } {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    return { key: issue.keys[0] ?? path, message: `unknown key(s): ${keys}` };
  }
  return { key: path || 'config', message: issue.message };
}

/**
 * Validates a parsed `trading_config.json`, cross-field rules included (`min_leverage <=
 * max_leverage`, `momentum_fast <= momentum_slow`, ...). Throws a {@link ConfigError} naming
 * the first bad key (all problems are listed in the message), e.g. `max_drawdown: Too big:
 * expected number to be <0`.
 */
export function parseTradingConfig(raw: unknown): TradingConfig {
  const result = tradingConfigSchema.safeParse(raw);
  if (!result.success) {
    const described = result.error.issues.map(describe);
    const first = described[0] ?? { key: 'config', message: 'invalid' };
    throw new ConfigError(first.key, described.map((d) => `${d.key}: ${d.message}`).join('; '));
  }
  const cfg = normaliseSymbols({
    ...result.data,
    commission_model:
      result.data.commission_model ?? COMMISSION_MODEL_BY_BROKER[result.data.broker],
  });
  assertBrokerUrl('alpaca_base_url', cfg.alpaca_base_url);
  if (cfg.alpaca_data_url !== undefined) assertBrokerUrl('alpaca_data_url', cfg.alpaca_data_url);
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
