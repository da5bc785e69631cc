import { ConfigError, isIsoDate } from '@quantpipe/core';
import { z } from 'zod';

/** Where the backtest's bars come from. */
export type SourceKind = 'synthetic' | 'csv' | 'cache' | 'alpaca';

const isoDate = z.string().refine(isIsoDate, { message: 'expected a date YYYY-MM-DD' });
const fraction = z.number().gt(0).lte(1);
const negativeFraction = z.number().gt(-1).lt(0);
const windowBars = z.number().int().min(2).max(5000);

/**
 * The pipeline keys of the spec (sections 9.1 and 9.2), with its names and defaults. They are
 * passed through to the engine unchanged, so a backtest runs the live configuration.
 */
export const pipelineKeysSchema = z.strictObject({
  min_trade_size: z.number().int().min(1).default(1),
  max_position_size: fraction.default(0.2),
  max_daily_loss: negativeFraction.default(-0.05),
  max_drawdown: negativeFraction.default(-0.15),
  min_leverage: z.number().min(0).max(10).default(1.0),
  max_leverage: z.number().gt(0).max(10).default(3.0),
  max_adv_pct: fraction.default(0.1),
  hedge_threshold: negativeFraction.default(-0.05),
  hedge_size: z.number().min(0).max(1).default(0.1),
  cost_per_hedge: z.number().min(0).max(0.01).default(0.0002),
  volatility_window: windowBars.default(20),
  momentum_fast: windowBars.default(20),
  momentum_slow: windowBars.default(60),
  tail_window: windowBars.default(60),
  beta_window: windowBars.default(60),
  validation_window: windowBars.default(252),
  health_lookback: windowBars.default(63),
  /** Position decay half-life in rebalance cycles (spec 5.2 AdaptivePositionSizer). */
  decay_halflife: z.number().gt(0).max(10_000).default(10),
  /** Relative signal change below which the held position is kept (spec 5.2). */
  buffer_zone: z.number().min(0).lt(1).default(0.15),
});

/** Names of the pipeline keys (also exposed as CLI flags, e.g. `--max-position-size`). */
export const PIPELINE_KEYS = Object.keys(pipelineKeysSchema.shape) as (keyof PipelineKeys)[];

/** The synthetic market's options. */
const syntheticSchema = z.strictObject({
  /** Sessions to generate (weekdays). Default 1260 (about five years). */
  sessions: z.number().int().min(30).max(20_000).default(1260),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(20261124),
  /** Number of generated stocks; 0 keeps the eight default SYNA..SYNH names. */
  universe_size: z.number().int().min(0).max(2000).default(0),
  /** Generate hourly bars too (enables the hybrid composite). */
  hourly: z.boolean().default(true),
});

/** The whole backtest configuration (config file keys; CLI flags override them). */
export const backtestConfigSchema = z
  .strictObject({
    source: z.enum(['synthetic', 'csv', 'cache', 'alpaca']).default('synthetic'),
    /** Universe; empty means every symbol of the source (synthetic) or an error (others). */
    symbols: z
      .array(z.string().regex(/^[A-Z][A-Z0-9.-]{0,14}$/, 'expected an upper-case ticker'))
      .default([]),
    /** Benchmark symbol; default SYNMKT for the synthetic market, SPY otherwise. */
    benchmark: z.string().min(1).optional(),
    start: isoDate.optional(),
    end: isoDate.optional(),
    initial_capital: z.number().gt(0).max(1e12).default(1_000_000),
    /**
     * Trading cost assumption in basis points (spec 9.2 `costs_bps`, default 5): charged on every
     * fill when `slippage` is "fixed". The default "model" is the spec's square-root impact model
     * (6.3), whose half-spread term is the same 5 bps.
     */
    costs_bps: z.number().min(0).max(1000).default(5),
    /** How fills are moved from the reference price: the spec's model, `costs_bps`, or not at all. */
    slippage: z.enum(['model', 'fixed', 'none']).default('model'),
    /** Commission per share in USD (default 0). */
    commission_per_share_usd: z.number().min(0).max(1).default(0),
    /** Rebalance after every daily close or after every hourly bar. */
    rebalance: z.enum(['daily', 'hourly']).default('daily'),
    /** How often signal weights and health are re-estimated (walk-forward). */
    reweight: z.enum(['every', 'weekly', 'monthly']).default('monthly'),
    /** 'auto' uses the 70/30 hybrid where hourly bars exist; 'off' forces the daily composite. */
    hybrid: z.enum(['auto', 'off']).default('auto'),
    /** Sessions of history before `start` loaded as warm-up for signals. */
    warmup_sessions: z.number().int().min(0).max(5000).default(252),
    synthetic: syntheticSchema.default(syntheticSchema.parse({})),
    /** Folder of `<SYMBOL>.csv` files (source `csv`). */
    csv_dir: z.string().min(1).optional(),
    /** Storage URL of the bar cache, e.g. `sqlite:data/bars.sqlite` (source `cache`/`alpaca`). */
    cache_url: z.string().min(1).optional(),
    alpaca_data_url: z.string().url().optional(),
    alpaca_feed: z.enum(['iex', 'sip']).default('iex'),
    /** Where run folders are written. */
    output_dir: z.string().min(1).default('out/backtest'),
    /** Database URL for the run's records; default `sqlite:<run folder>/backtest.sqlite`. */
    database_url: z.string().min(1).optional(),
    run_id: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,80}$/, 'expected letters, digits, _ . -')
      .optional(),
    /**
     * What happens after a risk breach trips the engine's kill switch. Live, it stays tripped
     * until an operator resumes; "next_session" plays that operator at the next session's
     * decision (a drawdown breach simply trips it again), "never" keeps it tripped to the end.
     */
    kill_switch_reset: z.enum(['next_session', 'never']).default('next_session'),
    /**
     * Data checks when the market is opened: a close more than this many times the previous
     * close (or less than its inverse), or a high this many times the low, is implausible.
     */
    max_price_jump: z.number().gt(1).max(1e6).default(3),
    /** Implausible bars are listed in the report (`warn`) or stop the run (`error`). */
    implausible_bars: z.enum(['warn', 'error']).default('warn'),
    /** Show a progress bar (only ever on a terminal). */
    progress: z.boolean().default(true),
    /**
     * Run the engine's default strategy on a second core, ahead of the engine (same decisions,
     * checked against the engine's bars every cycle). Ignored by library callers that pass no
     * worker.
     */
    strategy_worker: z.boolean().default(true),
    pipeline: pipelineKeysSchema.default(pipelineKeysSchema.parse({})),
  })
  .superRefine((config, ctx) => {
    if (config.start && config.end && config.end < config.start) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: `end ${config.end} is before start ${config.start}`,
      });
    }
    if (config.pipeline.max_leverage < config.pipeline.min_leverage) {
      ctx.addIssue({
        code: 'custom',
        path: ['pipeline', 'max_leverage'],
        message: `must be >= min_leverage (${config.pipeline.min_leverage})`,
      });
    }
    if (config.pipeline.momentum_slow < config.pipeline.momentum_fast) {
      ctx.addIssue({
        code: 'custom',
        path: ['pipeline', 'momentum_slow'],
        message: `must be >= momentum_fast (${config.pipeline.momentum_fast})`,
      });
    }
    if (config.source === 'csv' && !config.csv_dir) {
      ctx.addIssue({ code: 'custom', path: ['csv_dir'], message: 'required when source is "csv"' });
    }
    if (config.source === 'cache' && !config.cache_url) {
      ctx.addIssue({
        code: 'custom',
        path: ['cache_url'],
        message: 'required when source is "cache"',
      });
    }
    if (config.source !== 'synthetic' && config.symbols.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['symbols'],
        message: `required when source is "${config.source}"`,
      });
    }
  });

/** Pipeline keys after defaults. */
export type PipelineKeys = z.output<typeof pipelineKeysSchema>;
/** A validated backtest configuration with every default filled in. */
export type BacktestConfig = z.output<typeof backtestConfigSchema>;
/** What a config file (or code) may give: every key optional. */
export type BacktestConfigInput = z.input<typeof backtestConfigSchema>;

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.map(String).join('.') || '(root)';
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.length > 0 ? `${key}.` : '';
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${prefix}${k}"`).join(', ')}`;
  }
  return `"${key}": ${issue.message}`;
}

/**
 * Validates a configuration object (from a file, flags or code) and fills in defaults.
 * @throws ConfigError naming every offending key (unknown keys, wrong types, out-of-range values).
 */
export function parseBacktestConfig(input: unknown): BacktestConfig {
  const result = backtestConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues[0];
  const key =
    first?.code === 'unrecognized_keys'
      ? [...first.path.map(String), first.keys[0] ?? ''].join('.')
      : (first?.path.map(String).join('.') ?? 'config');
  throw new ConfigError(key, `invalid backtest config: ${issues.map(describeIssue).join('; ')}`, {
    context: { issues: issues.map(describeIssue) },
  });
}
