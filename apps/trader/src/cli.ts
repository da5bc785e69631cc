import { Command, InvalidArgumentError, Option } from 'commander';
import { isQuantpipeError } from '@quantpipe/core';
import { initDatabase, killTrader, resumeTrader, traderStatus } from './admin-commands';
import { redactUrl } from './redact';
import { loadTradingConfig, runTrader } from './run-trader';
import type { BrokerKind } from './venues';

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
 * Builds the `trader` command line: `init`, `run`, `status`, `kill`, `resume`. SIGINT/SIGTERM during
 * `run` stop the loop after the cycle in flight; the process then exits 0.
 */
export function buildCli(io: CliIo = defaultIo): Command {
  const program = new Command('trader')
    .description(
      'Runs the quantpipe trading engine against a simulated, Alpaca, IBKR or dual broker.',
    )
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
    .option('--interval-ms <ms>', 'override rebalance_frequency_minutes (milliseconds)', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0');
      return n;
    })
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
      }) => {
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
    .description('show the run, kill switch, portfolio, positions and recent alerts')
    .option('-c, --config <file>', 'trading_config.json (for database and run_id)')
    .option('--db <url>', 'database URL')
    .option('--run-id <id>', 'run id')
    .action(async (opts: { config?: string; db?: string; runId?: string }) => {
      const { db, runId } = await dbAndRun(opts);
      io.out(`${JSON.stringify(await traderStatus(db, runId), null, 2)}\n`);
    });

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
    io.err(`trader: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
