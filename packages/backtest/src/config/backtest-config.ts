import { ConfigError, isIsoDate } from '@quantpipe/core';
import { engineConfigIssues, engineTradingKeys, simulationKeys } from '@quantpipe/execution';
import { compositeStrategyConfigIssues, compositeStrategyKeys } from '@quantpipe/strategy';
import { z } from 'zod';
import { describeIssue } from './describe-issue';

/** Where the backtest's bars come from. */
export type SourceKind = 'synthetic' | 'csv' | 'cache' | 'alpaca';

const isoDate = z.string().refine(isIsoDate, { message: 'expected a date YYYY-MM-DD' });

/**
 * The pipeline keys: those a backtest shares with a trader of the same strategy, defined once by
 * their owners with the spec's names, defaults, ranges and docs: the strategy's keys
 * (`@quantpipe/strategy`: signal windows, reweighting) and the engine's trading keys
 * (`@quantpipe/execution`: sizing, risk limits, tail hedge, decay, order planning). They are
 * passed through to the engine and the strategy unchanged, so a backtest runs the live
 * configuration; the cross-field rules (`min_leverage <= max_leverage`, ...) are the owners' too.
 */
export const pipelineKeysSchema = z
  .strictObject({ ...compositeStrategyKeys, ...engineTradingKeys })
  .superRefine((config, ctx) => {
    for (const issue of [...compositeStrategyConfigIssues(config), ...engineConfigIssues(config)])
      ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
  });

/** Names of the pipeline keys (also exposed as CLI flags, e.g. `--max-position-size`). */
export const PIPELINE_KEYS = Object.keys(pipelineKeysSchema.shape) as (keyof PipelineKeys)[];

/** `reweight` names and the `pipeline.reweight_interval_bars` each stands for (sessions). */
export const REWEIGHT_INTERVAL_BARS = { every: 1, weekly: 5, monthly: 21 } as const;

/** The synthetic market's options. */
const syntheticSchema = z.strictObject({
  sessions: z
    .number()
    .int()
    .min(30)
    .max(20_000)
    .default(1260)
    .describe('Sessions to generate from 2015-01-02; 1260 is about five years.'),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(20261124)
    .describe('Seed of the generator: the same seed gives the same market.'),
  universe_size: z
    .number()
    .int()
    .min(0)
    .max(2000)
    .default(0)
    .describe('Number of generated stocks; 0 keeps the eight default SYNA..SYNH names.'),
  hourly: z
    .boolean()
    .default(true)
    .describe('Generate hourly bars too (enables the hybrid composite).'),
  calendar: z
    .enum(['us-equity', 'weekdays'])
    .default('us-equity')
    .describe(
      'Which days are sessions: us-equity (the exchange calendar: holidays, 13:00 early closes, hourly bars on New York time) or weekdays (Monday to Friday).',
    ),
});

/** The backtest's keys, before `reweight` is folded into the pipeline. */
const backtestConfigObject = z.strictObject({
  source: z
    .enum(['synthetic', 'csv', 'cache', 'alpaca'])
    .default('synthetic')
    .describe('Where the bars come from: synthetic, csv, cache or alpaca.'),
  symbols: z
    .array(z.string().regex(/^[A-Z][A-Z0-9.-]{0,14}$/, 'expected an upper-case ticker'))
    .default([])
    .describe('Universe; empty means every symbol of the source (synthetic) or an error (others).'),
  benchmark: z
    .string()
    .min(1)
    .optional()
    .describe('Benchmark symbol; default SYNMKT for the synthetic market, SPY otherwise.'),
  start: isoDate.optional().describe('First traded session, YYYY-MM-DD.'),
  end: isoDate.optional().describe('Last session, YYYY-MM-DD.'),
  // The simulated venue's keys (spec 9.2), as the trader's broker "sim" takes them. costs_bps is
  // charged on every fill when `slippage` is "fixed"; the default "model" is the spec's
  // square-root impact model (6.3), whose half-spread term is the same 5 bps.
  ...simulationKeys,
  slippage: z
    .enum(['model', 'fixed', 'none'])
    .default('model')
    .describe(
      "How fills are moved from the reference price: the spec's model, costs_bps, or not at all.",
    ),
  rebalance: z
    .enum(['daily', 'hourly'])
    .default('daily')
    .describe('Rebalance after every daily close or after every hourly bar.'),
  reweight: z
    .enum(['every', 'weekly', 'monthly'])
    .optional()
    .describe(
      'Shorthand for pipeline.reweight_interval_bars (every = 1, weekly = 5, monthly = 21 sessions); giving both with different intervals is an error.',
    ),
  hybrid: z
    .enum(['auto', 'off'])
    .default('auto')
    .describe(
      "'auto' uses the 70/30 hybrid where hourly bars exist; 'off' forces the daily composite.",
    ),
  warmup_sessions: z
    .number()
    .int()
    .min(0)
    .max(5000)
    .default(252)
    .describe('Sessions of history before start loaded as warm-up for signals.'),
  synthetic: syntheticSchema
    .default(syntheticSchema.parse({}))
    .describe('The synthetic market (source synthetic).'),
  csv_dir: z.string().min(1).optional().describe('Folder of <SYMBOL>.csv files (source csv).'),
  cache_url: z
    .string()
    .min(1)
    .optional()
    .describe('Storage URL of the bar cache, e.g. sqlite:data/bars.sqlite (source cache/alpaca).'),
  alpaca_data_url: z
    .string()
    .url()
    .optional()
    .describe('Alpaca market-data endpoint (source alpaca), if not the default.'),
  alpaca_feed: z
    .enum(['iex', 'sip'])
    .default('iex')
    .describe('Alpaca data feed: iex (free plans) or sip.'),
  output_dir: z.string().min(1).default('out/backtest').describe('Where run folders are written.'),
  database_url: z
    .string()
    .min(1)
    .optional()
    .describe("Database URL for the run's records; default sqlite:<run folder>/backtest.sqlite."),
  run_id: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,80}$/, 'expected letters, digits, _ . -')
    .optional()
    .describe('Run id (default bt-<date>-<time>).'),
  max_price_jump: z
    .number()
    .gt(1)
    .max(1e6)
    .default(3)
    .describe(
      'Data check when the market is opened: a close more than this many times the previous close (or less than its inverse), or a high this many times the low, is implausible. In (1, 1e6].',
    ),
  implausible_bars: z
    .enum(['warn', 'error'])
    .default('warn')
    .describe('Implausible bars are listed in the report (warn) or stop the run (error).'),
  progress: z.boolean().default(true).describe('Show a progress bar (only ever on a terminal).'),
  pipeline: pipelineKeysSchema
    .default(pipelineKeysSchema.parse({}))
    .describe('The pipeline keys, shared with the trader (spec 9.1, 9.2).'),
});

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `reweight` given and `pipeline.reweight_interval_bars` not: the interval it names is put into
 * the pipeline, the one place the strategy reads it from. Anything malformed is left for the
 * schema to report.
 */
function reweightIntoPipeline(raw: unknown): unknown {
  if (!isPlainObject(raw)) return raw;
  const reweight = raw['reweight'];
  if (typeof reweight !== 'string' || !Object.hasOwn(REWEIGHT_INTERVAL_BARS, reweight)) return raw;
  const pipeline = raw['pipeline'] === undefined ? {} : raw['pipeline'];
  if (!isPlainObject(pipeline) || pipeline['reweight_interval_bars'] !== undefined) return raw;
  const interval = REWEIGHT_INTERVAL_BARS[reweight as keyof typeof REWEIGHT_INTERVAL_BARS];
  return { ...raw, pipeline: { ...pipeline, reweight_interval_bars: interval } };
}

/** The whole backtest configuration (config file keys; CLI flags override them). */
export const backtestConfigSchema = z.preprocess(
  reweightIntoPipeline,
  backtestConfigObject.superRefine((config, ctx) => {
    if (config.start && config.end && config.end < config.start) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: `end ${config.end} is before start ${config.start}`,
      });
    }
    if (
      config.reweight !== undefined &&
      REWEIGHT_INTERVAL_BARS[config.reweight] !== config.pipeline.reweight_interval_bars
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['pipeline', 'reweight_interval_bars'],
        message: `conflicts with reweight "${config.reweight}" (${REWEIGHT_INTERVAL_BARS[config.reweight]} sessions): give one of them`,
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
  }),
);

/** Pipeline keys after defaults. */
export type PipelineKeys = z.output<typeof pipelineKeysSchema>;
/** A validated backtest configuration with every default filled in. */
export type BacktestConfig = z.output<typeof backtestConfigSchema>;
/** What a config file (or code) may give: every key optional. */
export type BacktestConfigInput = z.input<typeof backtestConfigObject>;

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
