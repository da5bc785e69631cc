import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError, type AlertSink, type Clock, type Logger } from '@quantpipe/core';
import {
  AlertManager,
  TradingEngine,
  WebhookAlertSink,
  type CycleRecord,
  type CycleReport,
  type EngineConfigInput,
} from '@quantpipe/execution';
import { openDatabase, type TradingDatabase } from '@quantpipe/storage';
import { KILL_SWITCH_STATE_KEY } from './admin-commands';
import { BrokerClock, OffsetClock } from './broker-clock';
import { parseTradingConfig, publicConfig, type TradingConfig } from './config-schema';
import { summariseCycle, type SummaryLimits } from './cycle-summary';
import { DatabaseRecorder } from './db-recorder';
import { HEARTBEAT_INTERVAL_MS, writeHeartbeat, type Heartbeat } from './liveness';
import {
  createTraderLogger,
  engineLoggerFor,
  logCycleSummary,
  note,
  type LogFormat,
} from './log-format';
import { TraderMetrics } from './metrics';
import { OpsState } from './ops-state';
import { startOpsServer, type OpsServer } from './ops-server';
import { describeSchedule, nextCycleAtMs, scheduleOf } from './schedule';
import { VenueMonitor } from './venue-monitor';
import { connectVenue, type BrokerKind, type Venue } from './venues';
import { TRADER_VERSION } from './version';

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
  /** Overrides the config's `log_format` (`--pretty`). */
  readonly logFormat?: LogFormat;
  /** Serve the dashboard, `/metrics` and `/healthz` here (`--http`); off when absent. */
  readonly http?: { readonly host: string; readonly port: number; readonly token?: string };
  /** `/healthz` fails once the next cycle is this much overdue. Default 5 minutes. */
  readonly healthGraceMs?: number;
  /** Called with the server's URL once it listens (tests, the CLI's start line). */
  readonly onHttpListening?: (url: string) => void;
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

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A short fingerprint of the config, logged at start instead of the whole config. */
function configHash(cfg: TradingConfig): string {
  return createHash('sha256')
    .update(JSON.stringify(publicConfig(cfg)))
    .digest('hex')
    .slice(0, 12);
}

/** Skip reasons of a cycle's planned orders, from the journal's `skipped` order updates. */
async function skippedReasonsOf(
  db: TradingDatabase,
  runId: string,
  cycle: number,
): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  const entries = await db.entries({ runId, kinds: ['order_update'] });
  for (const e of entries) {
    if (e.cycle !== cycle || e.clientOrderId === undefined) continue;
    const p = e.payload;
    if (p && typeof p === 'object' && !Array.isArray(p) && p['status'] === 'skipped')
      reasons.set(e.clientOrderId, typeof p['reason'] === 'string' ? p['reason'] : 'skipped');
  }
  return reasons;
}

async function killSwitchOf(
  db: TradingDatabase,
  runId: string,
): Promise<{ tripped: boolean; reason: string | null }> {
  const s = await db.loadState(runId, KILL_SWITCH_STATE_KEY);
  if (s && typeof s === 'object' && !Array.isArray(s))
    return {
      tripped: s['tripped'] === true,
      reason: typeof s['reason'] === 'string' ? s['reason'] : null,
    };
  return { tripped: false, reason: null };
}

/**
 * `trader run`: connects the venue and the database, restores and reconciles the engine, then
 * rebalances on the schedule (`schedule`, else every `rebalance_frequency_minutes`) until
 * stopped. Outside market hours it waits for the open (`when_closed: "wait"`) or runs and
 * queues GTC orders (`"queue"`). An abort (SIGINT/SIGTERM) lets the cycle in flight finish and
 * persist, then returns. It logs one summary line a cycle, keeps a heartbeat in the run's
 * state, and with `http` serves the dashboard, `/metrics` and `/healthz`.
 */
export async function runTrader(options: RunTraderOptions): Promise<RunTraderResult> {
  const cfg = await loadTradingConfig(options.configPath);
  const logFormat: LogFormat = options.logFormat ?? cfg.log_format;
  const logger = options.logger ?? createTraderLogger({ level: cfg.log_level, format: logFormat });
  const brokerKind: BrokerKind = options.broker ?? cfg.broker;
  const dryRun = options.dryRun ?? cfg.dry_run;
  const runId = options.runId ?? cfg.run_id;
  const dbUrl = options.db ?? cfg.database;
  const schedule = scheduleOf(cfg, options.intervalMs);
  const scheduleText = describeSchedule(schedule);
  note(
    logger,
    logFormat,
    {
      version: TRADER_VERSION,
      broker: brokerKind,
      dryRun,
      runId,
      symbols: cfg.symbols.length,
      schedule: scheduleText,
      configHash: configHash(cfg),
    },
    `trader ${TRADER_VERSION} starting: run ${runId}, ${brokerKind}${dryRun ? ' (dry run)' : ''}, ${cfg.symbols.length} symbols, ${scheduleText}`,
  );
  logger.debug({ config: publicConfig(cfg), database: dbUrl }, 'configuration');

  const limits: SummaryLimits = {
    maxDailyLoss: cfg.max_daily_loss,
    maxDrawdown: cfg.max_drawdown,
    minLeverage: cfg.min_leverage,
    maxLeverage: cfg.max_leverage,
  };
  const db: TradingDatabase = await openDatabase(dbUrl);
  const wall: Clock = cfg.clock_start
    ? new OffsetClock(Date.parse(cfg.clock_start))
    : { now: () => Date.now(), sleep: (ms) => pause(ms, undefined) };
  // The trader's time: the wall (or replay) clock until the venue's is known.
  let clock: Clock = wall;
  const metrics = new TraderMetrics();
  const ops = new OpsState(
    { runId, broker: brokerKind, dryRun, version: TRADER_VERSION, schedule: scheduleText, limits },
    () => clock.now(),
  );
  const sinks: AlertSink[] = [db, ops];
  if (cfg.webhook_url) sinks.push(new WebhookAlertSink({ url: cfg.webhook_url }));
  const alerts = new AlertManager({
    logger: engineLoggerFor(logger, logFormat),
    sinks,
    now: () => clock.now(),
  });
  const monitor = new VenueMonitor({
    venue: brokerKind,
    raise: (level, title, message, context) => alerts.raise(level, title, message, context),
    metrics,
    now: () => clock.now(),
  });
  let venue: Venue | undefined;
  let server: OpsServer | undefined;
  const cycles: CycleReport[] = [];
  let stoppedBy: RunTraderResult['stoppedBy'] = 'signal';
  let started = false;
  let nextCycleAt: string | null = null;
  let lastCycle = null as Heartbeat['lastCycle'];
  let phase = 'starting' as Heartbeat['phase'];
  const beat = async (): Promise<void> => {
    const at = new Date().toISOString();
    ops.update({
      phase,
      nextCycleAt,
      lastHeartbeatAt: at,
      brokerConnected: monitor.connected,
      lastBrokerError: monitor.lastError ?? null,
      dataStalenessSeconds: monitor.dataStalenessSeconds() ?? null,
    });
    if (nextCycleAt !== null) metrics.nextCycle.set(Date.parse(nextCycleAt) / 1000);
    await writeHeartbeat(db, runId, {
      at,
      pid: process.pid,
      phase,
      schedule: scheduleText,
      nextCycleAt,
      lastCycle,
    }).catch((error: unknown) => logger.warn({ err: errorText(error) }, 'heartbeat not written'));
  };
  /** Waits until `dueMs` on the trader's clock, beating meanwhile; false when aborted. */
  const waitUntil = async (dueMs: number): Promise<void> => {
    for (;;) {
      const left = dueMs - clock.now();
      if (left <= 0 || options.signal?.aborted) return;
      await pause(Math.min(left, HEARTBEAT_INTERVAL_MS), options.signal);
      if (clock.now() < dueMs && !options.signal?.aborted) await beat();
    }
  };
  try {
    if (options.http) {
      server = await startOpsServer({
        ...options.http,
        state: ops,
        metrics,
        healthGraceMs: options.healthGraceMs ?? 300_000,
        now: () => clock.now(),
      });
      note(
        logger,
        logFormat,
        { url: server.url },
        `dashboard, /metrics and /healthz at ${server.url}`,
      );
      options.onHttpListening?.(server.url);
    }
    await beat();
    ops.seedEquity(
      (await db.getPortfolioSnapshots()).map((p) => ({
        timestamp: p.timestamp,
        equityUsd: p.equityUsd,
      })),
    );
    const connected = await connectVenue(brokerKind, cfg, wall, { onRetry: monitor.onRetry });
    venue = {
      ...connected,
      broker: monitor.wrapBroker(connected.broker),
      marketData: monitor.wrapMarketData(connected.marketData),
    };
    let brokerClock: BrokerClock | undefined;
    if (venue.clock) clock = venue.clock;
    else if (cfg.clock_start || brokerKind === 'ibkr' || brokerKind === 'dual') clock = wall;
    else {
      brokerClock = new BrokerClock(venue.broker);
      await brokerClock.sync();
      clock = brokerClock;
    }
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
    const dbRecorder = new DatabaseRecorder(db, runId, startAccount.equityUsd);
    let lastRecord: CycleRecord | undefined;
    const engine = new TradingEngine(engineConfigOf(cfg, dryRun), {
      broker: venue.broker,
      marketData: venue.marketData,
      journal: db,
      clock,
      alerts,
      logger: engineLoggerFor(logger, logFormat),
      runId,
      recorder: {
        recordCycle: async (record) => {
          await dbRecorder.recordCycle(record);
          lastRecord = record;
        },
      },
    });
    await venue.beforeCycle();
    const start = await engine.start();
    started = true;
    note(
      logger,
      logFormat,
      { ...start },
      `engine started: ${start.lastCompletedCycle} cycles done before${start.resumedCycle !== null ? `, finished interrupted cycle ${start.resumedCycle}` : ''}, ${start.mismatches.length} reconciliation differences, kill switch ${start.killSwitchTripped ? 'TRIPPED' : 'off'}`,
    );
    const killSwitch = await killSwitchOf(db, runId);
    ops.update({ killSwitch });
    metrics.killSwitch.set(killSwitch.tripped ? 1 : 0);
    phase = 'running';
    const retryDelayMs = (): number =>
      schedule.kind === 'every' ? Math.min(schedule.intervalMs, 60_000) : 60_000;
    let dueMs =
      options.once || schedule.kind === 'every'
        ? clock.now()
        : nextCycleAtMs(schedule, clock.now());
    let failures = 0;
    for (;;) {
      if (options.signal?.aborted) break;
      nextCycleAt = new Date(dueMs).toISOString();
      if (clock.now() < dueMs) {
        phase = 'waiting';
        await beat();
        await waitUntil(dueMs);
        continue;
      }
      if (brokerClock) await brokerClock.sync();
      const market = await venue.broker.getClock();
      if (!market.isOpen && cfg.when_closed === 'wait' && !options.once) {
        const now = clock.now();
        dueMs =
          schedule.kind === 'every'
            ? now + Math.max(1000, Math.min(schedule.intervalMs, Date.parse(market.nextOpen) - now))
            : nextCycleAtMs(schedule, now);
        note(
          logger,
          logFormat,
          { nextOpen: market.nextOpen, nextCycleAt: new Date(dueMs).toISOString() },
          `market closed: waiting for the open (next open ${market.nextOpen}, next try ${new Date(dueMs).toISOString()})`,
        );
        continue;
      }
      phase = 'running';
      await beat();
      const cycleStartMs = clock.now();
      let report: CycleReport;
      try {
        await venue.beforeCycle();
        report = await engine.runCycle();
        failures = 0;
      } catch (error) {
        // The engine has journaled and alerted; it reconciles before the next cycle. A one-off
        // run fails at once; a long-running one gives up after several failures in a row.
        failures += 1;
        metrics.observeFailedCycle(clock.now() - cycleStartMs);
        logger.error({ err: errorText(error), failures }, 'cycle failed');
        lastCycle = {
          cycle: (lastCycle?.cycle ?? 0) + 1,
          endedAt: new Date(clock.now()).toISOString(),
          outcome: 'failed',
          line: `cycle failed: ${errorText(error)}`,
        };
        if (options.once || failures >= MAX_CONSECUTIVE_FAILURES) throw error;
        dueMs = clock.now() + retryDelayMs();
        continue;
      }
      const endedMs = clock.now();
      cycles.push(report);
      const ks = await killSwitchOf(db, runId);
      const summary = summariseCycle(report, {
        limits,
        startEquityUsd: startAccount.equityUsd,
        skippedReasons: await skippedReasonsOf(db, runId, report.cycle),
        killSwitch: ks,
      });
      logCycleSummary(logger, summary, logFormat, report);
      metrics.observeCycle(
        report,
        endedMs - cycleStartMs,
        endedMs,
        summary.fields.ordersSkipped,
        ks.tripped,
      );
      lastCycle = {
        cycle: report.cycle,
        endedAt: new Date(endedMs).toISOString(),
        outcome: report.status,
        line: summary.line,
      };
      ops.recordCycle({
        timestamp: report.timestamp,
        equityUsd: report.equityAfterUsd,
        orders: report.orders,
        fills: report.fills,
        positions: lastRecord?.positions ?? [],
        lastCycle: {
          endedAt: lastCycle.endedAt,
          durationMs: endedMs - cycleStartMs,
          outcome: report.status,
          summary: summary.fields,
          line: summary.line,
        },
        killSwitch: ks,
      });
      if (options.once) {
        stoppedBy = 'once';
        break;
      }
      if (options.maxCycles !== undefined && cycles.length >= options.maxCycles) {
        stoppedBy = 'max_cycles';
        break;
      }
      dueMs =
        schedule.kind === 'every'
          ? cycleStartMs + schedule.intervalMs
          : nextCycleAtMs(schedule, clock.now());
    }
    await engine.stop(stoppedBy);
    await db.finishRun(runId, {
      stoppedAt: new Date(clock.now()).toISOString(),
      status: 'stopped',
    });
    phase = 'stopped';
    nextCycleAt = null;
    await beat();
    note(
      logger,
      logFormat,
      { runId, cycles: cycles.length, stoppedBy },
      logFormat === 'pretty'
        ? `trader stopped (${stoppedBy}) after ${cycles.length} cycles`
        : 'trader stopped',
    );
    return { runId, cycles, stoppedBy };
  } catch (error) {
    if (!started) {
      await alerts
        .raise(
          'CRITICAL',
          'TRADER START FAILED',
          `run ${runId} on ${brokerKind}: ${errorText(error)}`,
          {
            runId,
            broker: brokerKind,
          },
        )
        .catch(() => undefined);
    }
    await db
      .finishRun(runId, { stoppedAt: new Date().toISOString(), status: 'failed' })
      .catch(() => undefined);
    phase = 'stopped';
    nextCycleAt = null;
    await beat().catch(() => undefined);
    throw error;
  } finally {
    await monitor.flush();
    await server?.close();
    await venue?.close();
    await db.close();
  }
}
