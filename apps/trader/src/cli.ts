import { Command, InvalidArgumentError, Option } from 'commander';
import { isQuantpipeError } from '@quantpipe/core';
import {
  initDatabase,
  existingRun,
  killTrader,
  openExistingDatabase,
  resumeTrader,
  traderStatus,
} from './admin-commands';
import { fillHistory, formatFills, formatOrders, orderHistory } from './history';
import { parseHttpAddress } from './ops-server';
import { redactUrl } from './redact';
import { loadTradingConfig, runTrader } from './run-trader';
import { parseDurationMs } from './schedule';
import { formatStatus } from './status-text';
import type { BrokerKind } from './venues';
import { TRADER_VERSION } from './version';

/** Where the CLI writes (injected by tests). */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

async function dbAndRun(opts: {
  config?: string;
  db?: string;
  runId?: string;
}): Promise<{ db: string; runId: string }> {
  if (opts.db && opts.runId) return { db: opts.db, runId: opts.runId };
  const cfg = opts.config ? await loadTradingConfig(opts.config) : undefined;
  return {
    db: opts.db ?? cfg?.database ?? 'sqlite:trader.db',
    runId: opts.runId ?? cfg?.run_id ?? 'live',
  };
}

/**
 * Builds the `trader` command line: `init`, `run`, `status`, `orders`, `fills`, `kill`,
 * `resume`. SIGINT/SIGTERM during
 * `run` stop the loop after the cycle in flight; the process then exits 0.
 */
export function buildCli(io: CliIo = defaultIo): Command {
  const program = new Command('trader')
    .description(
      'Runs the quantpipe trading engine against a simulated, Alpaca, IBKR or dual broker.',
    )
    .version(TRADER_VERSION, '-V, --version', 'print the version')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  program
    .command('init')
    .description('create the trading database (trader run never creates one)')
    .option('-c, --config <file>', 'trading_config.json (for database)')
    .option('--db <url>', 'database URL, e.g. sqlite:trader.db')
    .action(async (opts: { config?: string; db?: string }) => {
      const { db } = await dbAndRun({ ...opts, runId: 'unused' });
      const outcome = await initDatabase(db);
      io.out(
        `${outcome === 'created' ? 'created' : 'already exists:'} trading database ${redactUrl(db)}\n`,
      );
    });

  program
    .command('run')
    .description('rebalance on a schedule (or once)')
    .requiredOption('-c, --config <file>', 'trading_config.json')
    .addOption(
      new Option('--broker <kind>', 'execution venue').choices(['sim', 'alpaca', 'ibkr', 'dual']),
    )
    .option('--once', 'run one cycle and exit')
    .option('--dry-run', 'compute and log the orders, send none')
    .option('--db <url>', 'database URL, e.g. sqlite:trader.db')
    .option('--create-db', 'create the database if it does not exist (as trader init)')
    .option('--run-id <id>', 'run id (journal and client order ids)')
    .option('--max-cycles <n>', 'stop after n cycles', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected an integer >= 1');
      return n;
    })
    .option('--interval-ms <ms>', 'override the schedule: every <ms> milliseconds', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0');
      return n;
    })
    .option('--pretty', 'readable log lines (one summary a cycle) instead of JSON')
    .option(
      '--http <[host:]port>',
      'serve the dashboard, /metrics and /healthz (default host 127.0.0.1)',
    )
    .option(
      '--http-token <token>',
      'token the HTTP server requires (needed off loopback; or TRADER_HTTP_TOKEN)',
    )
    .option(
      '--health-grace <duration>',
      '/healthz fails once a cycle is this much overdue, e.g. 5m',
      (v) => {
        const ms = parseDurationMs(v);
        if (ms === undefined)
          throw new InvalidArgumentError('expected a duration such as 90s or 5m');
        return ms;
      },
    )
    .action(
      async (opts: {
        config: string;
        broker?: BrokerKind;
        once?: boolean;
        dryRun?: boolean;
        db?: string;
        createDb?: boolean;
        runId?: string;
        maxCycles?: number;
        intervalMs?: number;
        pretty?: boolean;
        http?: string;
        httpToken?: string;
        healthGrace?: number;
      }) => {
        const token = opts.httpToken ?? process.env['TRADER_HTTP_TOKEN'];
        const http = opts.http
          ? { ...parseHttpAddress(opts.http), ...(token ? { token } : {}) }
          : undefined;
        const controller = new AbortController();
        const onSignal = (): void => controller.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          await runTrader({
            configPath: opts.config,
            ...(opts.broker ? { broker: opts.broker } : {}),
            ...(opts.once ? { once: true } : {}),
            ...(opts.dryRun ? { dryRun: true } : {}),
            ...(opts.db ? { db: opts.db } : {}),
            ...(opts.createDb ? { createDatabase: true } : {}),
            ...(opts.runId ? { runId: opts.runId } : {}),
            ...(opts.maxCycles !== undefined ? { maxCycles: opts.maxCycles } : {}),
            ...(opts.intervalMs !== undefined ? { intervalMs: opts.intervalMs } : {}),
            ...(opts.pretty ? { logFormat: 'pretty' as const } : {}),
            ...(http ? { http } : {}),
            ...(opts.healthGrace !== undefined ? { healthGraceMs: opts.healthGrace } : {}),
            signal: controller.signal,
          });
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      },
    );

  program
    .command('status')
    .description(
      'show the run, whether its trader is alive, the last and next cycle, kill switch, portfolio, positions and recent alerts',
    )
    .option('-c, --config <file>', 'trading_config.json (for database and run_id)')
    .option('--db <url>', 'database URL')
    .option('--run-id <id>', 'run id')
    .option('--text', 'a few readable lines instead of JSON')
    .action(async (opts: { config?: string; db?: string; runId?: string; text?: boolean }) => {
      const { db, runId } = await dbAndRun(opts);
      const status = await traderStatus(db, runId);
      io.out(opts.text ? formatStatus(status) : `${JSON.stringify(status, null, 2)}\n`);
    });

  for (const kind of ['orders', 'fills'] as const) {
    program
      .command(kind)
      .description(
        kind === 'orders'
          ? 'order history (newest last), filtered by run, symbol and dates'
          : 'fill history (newest last), filtered by run, symbol and dates',
      )
      .option('-c, --config <file>', 'trading_config.json (for database and run_id)')
      .option('--db <url>', 'database URL')
      .option('--run-id <id>', "only this run (default: the config's run_id, else all runs)")
      .option('--symbol <symbol>', 'only this symbol')
      .option('--from <date>', 'from this date (YYYY-MM-DD, UTC) or instant, inclusive')
      .option('--to <date>', 'to this date (YYYY-MM-DD, UTC) or instant, inclusive')
      .option('--json', 'JSON instead of a table')
      .action(
        async (opts: {
          config?: string;
          db?: string;
          runId?: string;
          symbol?: string;
          from?: string;
          to?: string;
          json?: boolean;
        }) => {
          const cfg = opts.config ? await loadTradingConfig(opts.config) : undefined;
          const dbUrl = opts.db ?? cfg?.database ?? 'sqlite:trader.db';
          const runId = opts.runId ?? cfg?.run_id;
          const filter = {
            ...(runId ? { runId } : {}),
            ...(opts.symbol ? { symbol: opts.symbol } : {}),
            ...(opts.from ? { from: opts.from } : {}),
            ...(opts.to ? { to: opts.to } : {}),
          };
          const db = await openExistingDatabase(dbUrl);
          try {
            if (runId) await existingRun(db, runId);
            if (kind === 'orders') {
              const rows = await orderHistory(db, filter);
              io.out(opts.json ? `${JSON.stringify(rows, null, 2)}\n` : formatOrders(rows));
            } else {
              const rows = await fillHistory(db, filter);
              io.out(opts.json ? `${JSON.stringify(rows, null, 2)}\n` : formatFills(rows));
            }
          } finally {
            await db.close();
          }
        },
      );
  }

  program
    .command('kill')
    .description('trip the kill switch: no new orders until `trader resume`')
    .option('-c, --config <file>', 'trading_config.json (for database and run_id)')
    .option('--db <url>', 'database URL')
    .option('--run-id <id>', 'run id')
    .option('--reason <text>', 'why', 'manual kill')
    .action(async (opts: { config?: string; db?: string; runId?: string; reason: string }) => {
      const { db, runId } = await dbAndRun(opts);
      await killTrader(db, runId, opts.reason);
      io.out(`kill switch tripped for run ${runId}\n`);
    });

  program
    .command('resume')
    .description('release the kill switch')
    .option('-c, --config <file>', 'trading_config.json (for database and run_id)')
    .option('--db <url>', 'database URL')
    .option('--run-id <id>', 'run id')
    .action(async (opts: { config?: string; db?: string; runId?: string }) => {
      const { db, runId } = await dbAndRun(opts);
      await resumeTrader(db, runId);
      io.out(`kill switch released for run ${runId}\n`);
    });
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 runtime error, 2 usage or config error). */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const program = buildCli(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (
      error &&
      typeof error === 'object' &&
      'code' in error &&
      typeof (error as { code: unknown }).code === 'string' &&
      String((error as { code: string }).code).startsWith('commander.')
    ) {
      const code = (error as { code: string; exitCode?: number }).code;
      return code === 'commander.helpDisplayed' || code === 'commander.version' ? 0 : 2;
    }
    if (isQuantpipeError(error) && error.code === 'E_CONFIG') {
      io.err(`trader: configuration error: ${error.message}\n`);
      return 2;
    }
    if (isQuantpipeError(error) && error.code === 'E_VALIDATION') {
      io.err(`trader: ${error.message}\n`);
      return 2;
    }
    io.err(`trader: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
