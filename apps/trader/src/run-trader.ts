import { readFile } from 'node:fs/promises';
import { ConfigError, type AlertSink, type Clock, type Logger } from '@quantpipe/core';
import {
  AlertManager,
  TradingEngine,
  engineConfigKeysOf,
  resolveEngineConfig,
  WebhookAlertSink,
  type CycleReport,
  type EngineConfigInput,
} from '@quantpipe/execution';
import { openDatabase, type TradingDatabase } from '@quantpipe/storage';
import { CompositeStrategy, compositeStrategyConfigOf } from '@quantpipe/strategy';
import { BrokerClock, OffsetClock } from './broker-clock';
import { parseTradingConfig, publicConfig, type TradingConfig } from './config-schema';
import { DatabaseRecorder } from './db-recorder';
import { createLogger } from './logger';
import { connectVenue, type BrokerKind, type Venue } from './venues';

/** Options of {@link runTrader} (the `trader run` command). */
export interface RunTraderOptions {
  /** Path of `trading_config.json`. */
  readonly configPath: string;
  /** Overrides the config's `broker`. */
  readonly broker?: BrokerKind;
  /** One cycle, then exit. */
  readonly once?: boolean;
  /** Overrides the config's `dry_run`. */
  readonly dryRun?: boolean;
  /** Overrides the config's `database` (e.g. `sqlite:trader.db`). */
  readonly db?: string;
  /** Overrides the config's `run_id`. */
  readonly runId?: string;
  /** Stop after this many cycles (tests). */
  readonly maxCycles?: number;
  /** Overrides `rebalance_frequency_minutes` in milliseconds (tests). */
  readonly intervalMs?: number;
  /** Default: pino on stdout. */
  readonly logger?: Logger;
  /** Lets a caller stop the loop (the CLI wires SIGINT/SIGTERM to it). */
  readonly signal?: AbortSignal;
}

/** What a finished run reports. */
export interface RunTraderResult {
  readonly runId: string;
  readonly cycles: readonly CycleReport[];
  readonly stoppedBy: 'once' | 'signal' | 'max_cycles';
}

/** Reads and validates `trading_config.json`. Throws ConfigError naming the bad key. */
export async function loadTradingConfig(path: string): Promise<TradingConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      '--config',
      `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      '--config',
      `${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseTradingConfig(raw);
}

/** The engine's view of a trader config: its keys, with the run's dry-run setting. */
export function engineConfigOf(cfg: TradingConfig, dryRun: boolean): EngineConfigInput {
  return { ...engineConfigKeysOf(cfg), dry_run: dryRun };
}

/** A long-running trader stops (exit 1) after this many failed cycles in a row. */
const MAX_CONSECUTIVE_FAILURES = 5;

/** Resolves after `ms` or as soon as the signal aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function summary(report: CycleReport): Record<string, unknown> {
  return {
    cycle: report.cycle,
    status: report.status,
    reason: report.reason,
    orders: report.orders.length,
    planned: report.plannedOrders.length,
    estimatedCostUsd: report.estimatedCostUsd,
    equityUsd: report.equityAfterUsd,
    leverage: report.leverageAfter,
    hybrid: report.hybrid,
  };
}

/**
 * `trader run`: connects the venue and the database, restores and reconciles the engine, then
 * rebalances every `rebalance_frequency_minutes` until stopped. Outside market hours it waits
 * for the open (`when_closed: "wait"`) or runs and queues GTC orders (`"queue"`). An abort
 * (SIGINT/SIGTERM) lets the cycle in flight finish and persist, then returns.
 */
export async function runTrader(options: RunTraderOptions): Promise<RunTraderResult> {
  const cfg = await loadTradingConfig(options.configPath);
  const logger = options.logger ?? createLogger(cfg.log_level);
  const brokerKind: BrokerKind = options.broker ?? cfg.broker;
  const dryRun = options.dryRun ?? cfg.dry_run;
  const runId = options.runId ?? cfg.run_id;
  const dbUrl = options.db ?? cfg.database;
  logger.info(
    { config: publicConfig(cfg), broker: brokerKind, dryRun, runId, database: dbUrl },
    'trader starting',
  );

  const db: TradingDatabase = await openDatabase(dbUrl);
  let venue: Venue | undefined;
  const cycles: CycleReport[] = [];
  let stoppedBy: RunTraderResult['stoppedBy'] = 'signal';
  try {
    const wall: Clock = cfg.clock_start
      ? new OffsetClock(Date.parse(cfg.clock_start))
      : { now: () => Date.now(), sleep: (ms) => pause(ms, undefined) };
    venue = await connectVenue(brokerKind, cfg, wall);
    let clock: Clock;
    let brokerClock: BrokerClock | undefined;
    if (venue.clock) clock = venue.clock;
    else if (cfg.clock_start || brokerKind === 'ibkr' || brokerKind === 'dual') clock = wall;
    else {
      brokerClock = new BrokerClock(venue.broker);
      await brokerClock.sync();
      clock = brokerClock;
    }
    const sinks: AlertSink[] = [db];
    if (cfg.webhook_url) sinks.push(new WebhookAlertSink({ url: cfg.webhook_url }));
    const alerts = new AlertManager({ logger, sinks, now: () => clock.now() });
    const existing = await db.listRuns();
    if (!existing.some((r) => r.runId === runId)) {
      await db.createRun({
        runId,
        startedAt: new Date(clock.now()).toISOString(),
        mode: `${brokerKind}${dryRun ? ':dry_run' : ''}`,
        config: publicConfig(cfg),
      });
    }
    const startAccount = await venue.broker.getAccount();
    const engineConfig = resolveEngineConfig(engineConfigOf(cfg, dryRun));
    const engine = new TradingEngine(engineConfig, {
      strategy: new CompositeStrategy(compositeStrategyConfigOf(cfg)),
      broker: venue.broker,
      marketData: venue.marketData,
      journal: db,
      clock,
      alerts,
      logger,
      runId,
      recorder: new DatabaseRecorder(db, runId, startAccount.equityUsd),
    });
    await venue.beforeCycle();
    const start = await engine.start();
    logger.info({ ...start }, 'engine started');
    const intervalMs = options.intervalMs ?? cfg.rebalance_frequency_minutes * 60_000;
    let failures = 0;
    for (;;) {
      if (options.signal?.aborted) break;
      if (brokerClock) await brokerClock.sync();
      const market = await venue.broker.getClock();
      if (!market.isOpen && cfg.when_closed === 'wait' && !options.once) {
        const waitMs = Math.max(
          1000,
          Math.min(intervalMs, Date.parse(market.nextOpen) - clock.now()),
        );
        logger.info({ nextOpen: market.nextOpen, waitMs }, 'market closed: waiting for the open');
        await pause(waitMs, options.signal);
        continue;
      }
      let report: CycleReport;
      try {
        await venue.beforeCycle();
        report = await engine.runCycle();
        failures = 0;
      } catch (error) {
        // The engine has journaled and alerted; it reconciles before the next cycle. A one-off
        // run fails at once; a long-running one gives up after several failures in a row.
        failures += 1;
        logger.error(
          { err: error instanceof Error ? error.message : String(error), failures },
          'cycle failed',
        );
        if (options.once || failures >= MAX_CONSECUTIVE_FAILURES) throw error;
        await pause(Math.min(intervalMs, 60_000), options.signal);
        continue;
      }
      cycles.push(report);
      logger.info(summary(report), 'cycle finished');
      if (options.once) {
        stoppedBy = 'once';
        break;
      }
      if (options.maxCycles !== undefined && cycles.length >= options.maxCycles) {
        stoppedBy = 'max_cycles';
        break;
      }
      await pause(intervalMs, options.signal);
    }
    await engine.stop(stoppedBy);
    await db.finishRun(runId, {
      stoppedAt: new Date(clock.now()).toISOString(),
      status: 'stopped',
    });
    logger.info({ runId, cycles: cycles.length, stoppedBy }, 'trader stopped');
    return { runId, cycles, stoppedBy };
  } catch (error) {
    await db
      .finishRun(runId, { stoppedAt: new Date().toISOString(), status: 'failed' })
      .catch(() => undefined);
    throw error;
  } finally {
    await venue?.close();
    await db.close();
  }
}
