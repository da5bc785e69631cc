import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { ConfigError } from '@quantpipe/core';
import {
  PIPELINE_KEYS,
  parseBacktestConfig,
  pipelineKeysSchema,
  type BacktestConfig,
} from '@quantpipe/backtest';
import type { SweepCommandOptions, WorkerCommandOptions } from './sweep-command';

type Json = Record<string, unknown>;

/** The pipeline keys' defaults: their types say how a flag's text is read. */
const PIPELINE_DEFAULTS = pipelineKeysSchema.parse({});

const kebab = (key: string): string => key.replace(/_/g, '-');
const camel = (key: string): string => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Flags that map to a config key (path in the config object) and how to read them. */
const FLAGS: readonly {
  flag: string;
  path: readonly string[];
  kind: 'string' | 'number' | 'boolean' | 'list';
  help: string;
}[] = [
  {
    flag: '--source <kind>',
    path: ['source'],
    kind: 'string',
    help: 'synthetic | csv | cache | alpaca',
  },
  { flag: '--symbols <list>', path: ['symbols'], kind: 'list', help: 'comma-separated universe' },
  {
    flag: '--benchmark <symbol>',
    path: ['benchmark'],
    kind: 'string',
    help: 'benchmark (default SYNMKT / SPY)',
  },
  {
    flag: '--start <date>',
    path: ['start'],
    kind: 'string',
    help: 'first traded session YYYY-MM-DD',
  },
  { flag: '--end <date>', path: ['end'], kind: 'string', help: 'last session YYYY-MM-DD' },
  {
    flag: '--capital <usd>',
    path: ['initial_capital'],
    kind: 'number',
    help: 'initial capital (default 1000000)',
  },
  {
    flag: '--costs-bps <bps>',
    path: ['costs_bps'],
    kind: 'number',
    help: 'cost assumption in bps (with --slippage fixed)',
  },
  { flag: '--slippage <kind>', path: ['slippage'], kind: 'string', help: 'model | fixed | none' },
  {
    flag: '--account-type <type>',
    path: ['account_type'],
    kind: 'string',
    help: 'margin (Reg-T 2x, the default) | cash',
  },
  {
    flag: '--commission-model <model>',
    path: ['commission_model'],
    kind: 'string',
    help: 'per_share (IBKR fixed, the default) | percent | zero (Alpaca)',
  },
  {
    flag: '--commission-per-share <usd>',
    path: ['commission_per_share_usd'],
    kind: 'number',
    help: 'commission per share',
  },
  { flag: '--rebalance <freq>', path: ['rebalance'], kind: 'string', help: 'daily | hourly' },
  {
    flag: '--reweight <freq>',
    path: ['reweight'],
    kind: 'string',
    help: 'every | weekly | monthly',
  },
  { flag: '--hybrid <mode>', path: ['hybrid'], kind: 'string', help: 'auto | off' },
  {
    flag: '--warmup-sessions <n>',
    path: ['warmup_sessions'],
    kind: 'number',
    help: 'history before the first trade',
  },
  {
    flag: '--sessions <n>',
    path: ['synthetic', 'sessions'],
    kind: 'number',
    help: 'synthetic: sessions generated',
  },
  { flag: '--seed <n>', path: ['synthetic', 'seed'], kind: 'number', help: 'synthetic: seed' },
  {
    flag: '--universe-size <n>',
    path: ['synthetic', 'universe_size'],
    kind: 'number',
    help: 'synthetic: generated stocks (0 = SYNA..SYNH)',
  },
  {
    flag: '--csv-dir <dir>',
    path: ['csv_dir'],
    kind: 'string',
    help: 'folder of <SYMBOL>_1d.csv / _1h.csv',
  },
  {
    flag: '--cache-url <url>',
    path: ['cache_url'],
    kind: 'string',
    help: 'bar cache, e.g. sqlite:bars.sqlite',
  },
  {
    flag: '--out <dir>',
    path: ['output_dir'],
    kind: 'string',
    help: 'output folder (default out/backtest)',
  },
  { flag: '--db <url>', path: ['database_url'], kind: 'string', help: 'database URL for the run' },
  {
    flag: '--run-id <id>',
    path: ['run_id'],
    kind: 'string',
    help: 'run id (default bt-<date>-<time>)',
  },
  ...PIPELINE_KEYS.map((key) => {
    const fallback = PIPELINE_DEFAULTS[key];
    const kind: 'number' | 'boolean' | 'string' =
      typeof fallback === 'number'
        ? 'number'
        : typeof fallback === 'boolean'
          ? 'boolean'
          : 'string';
    return {
      flag: `--${kebab(key)} <value>`,
      path: ['pipeline', key] as const,
      kind,
      help: `${pipelineKeysSchema.shape[key].description ?? `pipeline key ${key}`} (default ${String(fallback)})`,
    };
  }),
];

function setPath(target: Json, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const child = node[key];
    if (typeof child !== 'object' || child === null || Array.isArray(child)) node[key] = {};
    node = node[key] as Json;
  }
  node[path[path.length - 1] as string] = value;
}

function flagName(flag: string): string {
  return camel((flag.split(' ')[0] as string).slice(2).replace(/-/g, '_'));
}

/** Reads a JSON config file; a syntax error is a ConfigError naming the file. */
export async function readConfigFile(path: string): Promise<Json> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError('config', `cannot read config file ${path}`, { cause: error });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError('config', `${path}: expected a JSON object`);
    }
    return parsed as Json;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError('config', `${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Merges a config file (if any) with the flags given (flags win) and validates the result.
 * Flags take the file's nested keys: `--sessions` is `synthetic.sessions`, `--max-leverage`
 * is `pipeline.max_leverage`.
 */
export async function configFromFlags(
  options: Readonly<Record<string, unknown>>,
): Promise<BacktestConfig> {
  const base: Json =
    typeof options['config'] === 'string' ? await readConfigFile(options['config']) : {};
  for (const f of FLAGS) {
    const raw = options[flagName(f.flag)];
    if (raw === undefined) continue;
    const text = String(raw);
    const value =
      f.kind === 'number'
        ? text.trim() === ''
          ? Number.NaN
          : Number(text)
        : f.kind === 'boolean'
          ? text === 'true'
            ? true
            : text === 'false'
              ? false
              : text
          : f.kind === 'list'
            ? text
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : text;
    // An empty list (`--symbols ''`, `--symbols ,`) is a mistake, never "use the defaults".
    if (Array.isArray(value) && value.length === 0)
      throw new ConfigError(`"${f.path.join('.')}"`, `${f.flag.split(' ')[0] as string} is empty`);
    setPath(base, f.path, value);
  }
  if (options['hourly'] === false) setPath(base, ['synthetic', 'hourly'], false);
  if (options['progress'] === false) base['progress'] = false;
  return parseBacktestConfig(base);
}

/** What `backtest sweep` and `backtest worker` are given (commander's parsed options). */
export interface SweepCommands {
  readonly sweep?: (options: SweepCommandOptions) => Promise<void>;
  readonly worker?: (options: WorkerCommandOptions) => Promise<void>;
}

/**
 * The `backtest` program; `run` calls `onRun` with the validated configuration, `sweep` and
 * `worker` call their handlers with their options.
 */
export function buildProgram(
  onRun: (config: BacktestConfig) => Promise<void>,
  commands: SweepCommands = {},
): Command {
  const program = new Command('backtest')
    .description('Historical backtests through the trading engine, with an offline HTML report.')
    .showHelpAfterError();
  const run = program
    .command('run')
    .description('run a backtest (default: the embedded synthetic market, no keys, no network)')
    .option('-c, --config <file>', 'JSON config file (keys as in the README; flags override)')
    .option('--no-hourly', 'synthetic: do not generate hourly bars (daily composite only)')
    .option('--no-progress', 'no progress bar');
  for (const f of FLAGS) run.addOption(new Option(f.flag, f.help));
  run.action(async (opts: Record<string, unknown>) => {
    await onRun(await configFromFlags(opts));
  });
  program
    .command('sweep')
    .description(
      'run a parameter sweep (grid, walk-forward) on every local core, or through a BullMQ queue',
    )
    .requiredOption('-s, --spec <file>', 'sweep definition (JSON, keys as in the README)')
    .option('--queue <url>', 'queue the jobs on Redis (redis://host:6379) for `backtest worker`s')
    .option('--db <url>', 'results database (default sqlite:<out>/<sweep id>/sweep.sqlite)')
    .option('--out <dir>', 'output folder (default out/sweeps)')
    .option('--threads <n>', 'local worker threads (default: every core)')
    .option('--sweep-id <id>', 'sweep id (default: the spec name, else from its hash)')
    .option('--resume', 'continue a stopped sweep: recorded jobs are not run again')
    .option('--no-wait', 'with --queue: only queue the jobs (collect later with --resume)')
    .option('--no-progress', 'no progress bar')
    .action(async (opts: SweepCommandOptions) => {
      await commands.sweep?.(opts);
    });
  program
    .command('worker')
    .description('run queued sweep jobs (any number of workers, on any machine)')
    .requiredOption('--queue <url>', 'the Redis server of the queue (redis://host:6379)')
    .option('--db <url>', 'results database (default: the one the sweep named)')
    .option('--concurrency <n>', 'jobs at once, each on its own thread (default 1)')
    .action(async (opts: WorkerCommandOptions) => {
      await commands.worker?.(opts);
    });
  return program;
}
