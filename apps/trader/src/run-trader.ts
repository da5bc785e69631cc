import { readFile } from 'node:fs/promises';
import {
  ConfigError,
  StorageError,
  isQuantpipeError,
  type AlertSink,
  type Clock,
  type JsonValue,
  type Logger,
} from '@quantpipe/core';
import {
  AlertManager,
  TradingEngine,
  WebhookAlertSink,
  type CycleReport,
  type EngineConfigInput,
} from '@quantpipe/execution';
import { DatabaseNotFoundError, openDatabase, type TradingDatabase } from '@quantpipe/storage';
import { BrokerClock, OffsetClock } from './broker-clock';
import { parseTradingConfig, publicConfig, type TradingConfig } from './config-schema';
import { DatabaseRecorder } from './db-recorder';
import { RunHeartbeat } from './heartbeat';
import { createLogger } from './logger';
import { checkMarketData } from './preflight';
import { redactSecrets, redactUrl, urlSecrets } from './redact';
import { pnlBaselineUsd, registerRun } from './run-record';
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
  /** Create the database when it does not exist (`trader init` does; default false). */
  readonly createDatabase?: boolean;
  /** How long each heartbeat stays valid (default max(2 min, 3 intervals); tests). */
  readonly heartbeatValidMs?: number;
}

/** What a finished run reports. */
export interface RunTraderResult {
  readonly runId: string;
  readonly cycles: readonly CycleReport[];
  readonly stoppedBy: 'once' | 'signal' | 'max_cycles';
}

/**
 * Reads and validates `trading_config.json`. Throws ConfigError naming the bad key. A file that
 * is not JSON is reported by line and column only: the parser's own message quotes the text
 * around the error, which may be an API secret.
 */
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
    throw new ConfigError('--config', `${path} is not valid JSON (${jsonErrorPlace(text, error)})`);
  }
  return parseTradingConfig(raw);
}

/** Where JSON.parse failed, as "line L, column C", from its message's position. */
function jsonErrorPlace(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return `line ${lineColumn[1] as string}, column ${lineColumn[2] as string}`;
  const position = /position (\d+)/.exec(message);
  if (position) {
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return `line ${line}, column ${column}`;
  }
  return /end of JSON input/i.test(message) ? 'unexpected end of the file' : 'syntax error';
}

/** The engine's view of a trader config. */
export function engineConfigOf(cfg: TradingConfig, dryRun: boolean): EngineConfigInput {
  return {
    symbols: cfg.symbols,
    benchmark_symbol: cfg.benchmark_symbol,
    min_trade_size: cfg.min_trade_size,
    max_position_size: cfg.max_position_size,
    max_daily_loss: cfg.max_daily_loss,
    max_drawdown: cfg.max_drawdown,
    min_leverage: cfg.min_leverage,
    max_leverage: cfg.max_leverage,
    max_adv_pct: cfg.max_adv_pct,
    hedge_threshold: cfg.hedge_threshold,
    hedge_size: cfg.hedge_size,
    cost_per_hedge: cfg.cost_per_hedge,
    volatility_window: cfg.volatility_window,
    momentum_fast: cfg.momentum_fast,
    momentum_slow: cfg.momentum_slow,
    tail_window: cfg.tail_window,
    beta_window: cfg.beta_window,
    validation_window: cfg.validation_window,
    health_lookback: cfg.health_lookback,
    fill_timeout_s: cfg.fill_timeout_s,
    fill_poll_interval_ms: cfg.fill_poll_interval_ms,
    retry_base_delay_ms: cfg.retry_base_delay_ms,
    reweight_interval_bars: cfg.reweight_interval_bars,
    history_days: cfg.history_days,
    use_hourly: cfg.use_hourly,
    hourly_history_days: cfg.hourly_history_days,
    max_stale_sessions: cfg.max_stale_sessions,
    on_loss_breach: cfg.on_loss_breach,
    daily_loss_halt: cfg.daily_loss_halt,
    position_decay: cfg.position_decay,
    buying_power_mode: cfg.buying_power_mode,
    decay_halflife: cfg.decay_halflife,
    buffer_zone: cfg.buffer_zone,
    dry_run: dryRun,
  };
}

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

/** How long a heartbeat stays valid by default: a run silent for longer has lost its process. */
const DEFAULT_HEARTBEAT_VALID_MS = 120_000;

/** The run id a dry run records under: its own, so it never shares the live run's journal. */
export function dryRunIdOf(runId: string): string {
  return `${runId}.dry-run`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * `trader run`: connects the venue and the database, restores and reconciles the engine, then
 * rebalances every `rebalance_frequency_minutes` until stopped. Outside market hours it waits
 * for the open (`when_closed: "wait"`) or runs and queues GTC orders (`"queue"`). An abort
 * (SIGINT/SIGTERM) lets the cycle in flight finish and persist, then returns.
 *
 * The database must exist (`trader init`, or `createDatabase`). A failure while starting or in a
 * cycle (the venue, its clock, the data) raises a CRITICAL alert (database and webhook) and is
 * retried at the next interval; `--once` fails at once (after the alert).
 */
export async function runTrader(options: RunTraderOptions): Promise<RunTraderResult> {
  const cfg = await loadTradingConfig(options.configPath);
  const logger = options.logger ?? createLogger(cfg.log_level);
  const brokerKind: BrokerKind = options.broker ?? cfg.broker;
  const dryRun = options.dryRun ?? cfg.dry_run;
  const baseRunId = options.runId ?? cfg.run_id;
  const runId = dryRun ? dryRunIdOf(baseRunId) : baseRunId;
  const dbUrl = options.db ?? cfg.database;
  const secrets = [...urlSecrets(dbUrl), ...urlSecrets(cfg.webhook_url, { path: true })];
  const clean = (text: string): string => redactSecrets(text, secrets);
  const databaseLabel = redactUrl(dbUrl);
  logger.info(
    { config: publicConfig(cfg), broker: brokerKind, dryRun, runId, database: databaseLabel },
    'trader starting',
  );

  let db: TradingDatabase;
  try {
    db = await openDatabase(dbUrl, { create: options.createDatabase ?? false });
  } catch (error) {
    if (error instanceof DatabaseNotFoundError)
      throw new ConfigError(
        'database',
        `no trading database at ${databaseLabel}; create it with \`trader init\` (a typo would otherwise start a run without its journal, kill switch or recovery)`,
      );
    throw new StorageError(clean(messageOf(error)), { cause: error });
  }
  const wall: Clock = cfg.clock_start
    ? new OffsetClock(Date.parse(cfg.clock_start))
    : { now: () => Date.now(), sleep: (ms) => pause(ms, undefined) };
  let clock: Clock = wall;
  const sinks: AlertSink[] = [
    { alert: async (alert) => void (await db.insertAlert(alert, { runId })) },
  ];
  if (cfg.webhook_url) sinks.push(new WebhookAlertSink({ url: cfg.webhook_url }));
  const alerts = new AlertManager({ logger, sinks, now: () => clock.now() });
  const intervalMs = options.intervalMs ?? cfg.rebalance_frequency_minutes * 60_000;
  const retryMs = Math.min(intervalMs, 60_000);
  const heartbeat = new RunHeartbeat(
    db,
    runId,
    options.heartbeatValidMs ?? Math.max(DEFAULT_HEARTBEAT_VALID_MS, 3 * intervalMs),
    logger,
  );
  let venue: Venue | undefined;
  const cycles: CycleReport[] = [];
  let stoppedBy: RunTraderResult['stoppedBy'] = 'signal';
  let registered = false;
  try {
    // Start-up: every failure is alerted and, for a long-running trader, retried.
    let engine: TradingEngine | undefined;
    let recorder: DatabaseRecorder | undefined;
    let brokerClock: BrokerClock | undefined;
    for (let attempt = 1; engine === undefined; attempt++) {
      if (options.signal?.aborted) break;
      try {
        venue = await connectVenue(brokerKind, cfg, wall, logger);
        if (venue.clock) clock = venue.clock;
        else if (cfg.clock_start || brokerKind === 'ibkr' || brokerKind === 'dual') clock = wall;
        else {
          brokerClock = new BrokerClock(venue.broker);
          await brokerClock.sync();
          clock = brokerClock;
        }
        await checkMarketData(venue.marketData, cfg, clock);
        const startedAt = new Date(clock.now()).toISOString();
        const first = heartbeat.beat();
        const registration = await registerRun(db, venue.broker, {
          runId,
          mode: `${brokerKind}${dryRun ? ':dry_run' : ''}`,
          config: publicConfig(cfg) as unknown as JsonValue,
          startedAt,
          heartbeatAt: first.at,
          heartbeatExpiresAt: first.expiresAt,
          databaseLabel,
        });
        registered = true;
        const startAccount = await venue.broker.getAccount();
        const baselineUsd = await pnlBaselineUsd(db, runId, startAccount.equityUsd, startedAt);
        recorder = new DatabaseRecorder(db, runId, baselineUsd);
        const candidate = new TradingEngine(engineConfigOf(cfg, dryRun), {
          broker: venue.broker,
          marketData: venue.marketData,
          journal: db,
          clock,
          alerts,
          logger,
          runId,
          recorder,
        });
        await venue.beforeCycle();
        const start = await candidate.start();
        const synced = await recorder.syncFromBroker(venue.broker);
        logger.info({ ...start, registration, ordersSynced: synced }, 'engine started');
        engine = candidate;
      } catch (error) {
        // Configuration mistakes are not retried: the same config fails the same way.
        const fatal = isQuantpipeError(error, 'E_CONFIG');
        const waitMs = options.once || fatal ? 0 : retryMs;
        await alerts.raise('CRITICAL', 'TRADER START FAILED', clean(messageOf(error)), {
          runId,
          attempt,
          ...(waitMs > 0 ? { retryInMs: waitMs } : {}),
        });
        await venue?.close().catch(() => undefined);
        venue = undefined;
        if (options.once || fatal) throw error;
        logger.warn(
          { attempt, waitMs, cause: clean(messageOf(error)) },
          'start-up failed; retrying at the next interval',
        );
        await pause(waitMs, options.signal);
      }
    }
    if (engine === undefined || venue === undefined) {
      if (registered)
        await db.finishRun(runId, { stoppedAt: new Date().toISOString(), status: 'stopped' });
      logger.info({ runId }, 'trader stopped before it started');
      return { runId, cycles, stoppedBy: 'signal' };
    }
    heartbeat.start();
    let failures = 0;
    for (;;) {
      if (options.signal?.aborted) break;
      let report: CycleReport | undefined;
      let waitMs: number | undefined;
      let inEngine = false;
      try {
        if (brokerClock) await brokerClock.sync();
        const market = await venue.broker.getClock();
        if (!market.isOpen && cfg.when_closed === 'wait' && !options.once) {
          waitMs = Math.max(1000, Math.min(intervalMs, Date.parse(market.nextOpen) - clock.now()));
          logger.info({ nextOpen: market.nextOpen, waitMs }, 'market closed: waiting for the open');
        } else {
          await venue.beforeCycle();
          inEngine = true;
          report = await engine.runCycle();
        }
        failures = 0;
      } catch (error) {
        // The engine journals and alerts its own failures and reconciles before the next
        // cycle; a failure before it ran (the venue's clock) is alerted here. Either way the
        // cycle is retried at the next interval; a one-off run fails at once.
        failures += 1;
        if (!inEngine)
          await alerts.raise('CRITICAL', 'TRADER CYCLE FAILED', clean(messageOf(error)), {
            runId,
            attempt: failures,
          });
        if (options.once) throw error;
        logger.error(
          { attempt: failures, waitMs: retryMs, cause: clean(messageOf(error)) },
          'cycle failed; retrying at the next interval',
        );
        await pause(retryMs, options.signal);
        continue;
      }
      if (report === undefined) {
        await pause(waitMs ?? intervalMs, options.signal);
        continue;
      }
      cycles.push(report);
      // Orders left open by an earlier cycle (or an earlier process) fill later.
      const synced = await recorder
        ?.syncFromBroker(venue.broker, 'open')
        .catch((error: unknown) => {
          logger.warn({ cause: clean(messageOf(error)) }, 'orders not synced from the broker');
          return 0;
        });
      logger.info({ ...summary(report), ordersSynced: synced }, 'cycle finished');
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
    await heartbeat.stop();
    await engine.stop(stoppedBy);
    await db.finishRun(runId, {
      stoppedAt: new Date(clock.now()).toISOString(),
      status: 'stopped',
    });
    logger.info({ runId, cycles: cycles.length, stoppedBy }, 'trader stopped');
    return { runId, cycles, stoppedBy };
  } catch (error) {
    await heartbeat.stop();
    if (registered)
      await db
        .finishRun(runId, { stoppedAt: new Date().toISOString(), status: 'failed' })
        .catch(() => undefined);
    if (error instanceof Error && !isQuantpipeError(error, 'E_CONFIG'))
      error.message = clean(error.message);
    throw error;
  } finally {
    await venue?.close();
    await db.close();
  }
}
