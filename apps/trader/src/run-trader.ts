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
  engineConfigKeysOf,
  simAccountOf,
  WebhookAlertSink,
  type CommissionModel,
  type CycleRecord,
  type CycleReport,
  type EngineConfigInput,
} from '@quantpipe/execution';
import { DatabaseNotFoundError, openDatabase, type TradingDatabase } from '@quantpipe/storage';
import { CompositeStrategy, compositeStrategyConfigOf } from '@quantpipe/strategy';
import { createHash } from 'node:crypto';
import { KILL_SWITCH_STATE_KEY } from './admin-commands';
import { BrokerClock, OffsetClock } from './broker-clock';
import { parseTradingConfig, publicConfig, type TradingConfig } from './config-schema';
import { summariseCycle, type SummaryLimits } from './cycle-summary';
import { DatabaseRecorder } from './db-recorder';
import { RunHeartbeat } from './heartbeat';
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
import { checkMarketData } from './preflight';
import { redactSecrets, redactUrl, urlSecrets } from './redact';
import { pnlBaselineUsd, registerRun } from './run-record';
import { describeSchedule, nextCycleAtMs, scheduleOf } from './schedule';
import { saveScheduleState, type ScheduleState } from './schedule-state';
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
  /** Overrides the schedule: every this many milliseconds (tests). */
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

/** The engine's view of a trader config: its keys, with the run's dry-run setting. */
export function engineConfigOf(cfg: TradingConfig, dryRun: boolean): EngineConfigInput {
  return { ...engineConfigKeysOf(cfg), dry_run: dryRun };
}

/**
 * What the venue charges in commission: `commission_model` (by default the broker's, see
 * `COMMISSION_MODEL_BY_BROKER`) with the `commission_*` keys, as broker sim charges it.
 */
export function venueCommissionOf(cfg: TradingConfig): CommissionModel {
  return simAccountOf(cfg).commission;
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

/** How long a heartbeat stays valid by default: a run silent for longer has lost its process. */
const DEFAULT_HEARTBEAT_VALID_MS = 120_000;

/** The run id a dry run records under: its own, so it never shares the live run's journal. */
export function dryRunIdOf(runId: string): string {
  return `${runId}.dry-run`;
}

function messageOf(error: unknown): string {
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
 * stopped. Outside market hours it waits
 * for the open (`when_closed: "wait"`) or runs and queues GTC orders (`"queue"`). An abort
 * (SIGINT/SIGTERM) lets the cycle in flight finish and persist, then returns.
 *
 * The database must exist (`trader init`, or `createDatabase`). A failure while starting or in a
 * cycle (the venue, its clock, the data) raises a CRITICAL alert (database and webhook) and is
 * retried at the next interval; `--once` fails at once (after the alert).
 *
 * For operators it logs one summary a cycle (JSON, or pretty), records its schedule state next
 * to the run's heartbeat, counts metrics and, with `http`, serves the dashboard, `/metrics` and
 * `/healthz`. The venue's retries, disconnects and reconnects raise alerts.
 */
export async function runTrader(options: RunTraderOptions): Promise<RunTraderResult> {
  const cfg = await loadTradingConfig(options.configPath);
  const logFormat: LogFormat = options.logFormat ?? cfg.log_format;
  const logger = options.logger ?? createTraderLogger({ level: cfg.log_level, format: logFormat });
  const brokerKind: BrokerKind = options.broker ?? cfg.broker;
  const dryRun = options.dryRun ?? cfg.dry_run;
  const baseRunId = options.runId ?? cfg.run_id;
  const runId = dryRun ? dryRunIdOf(baseRunId) : baseRunId;
  const dbUrl = options.db ?? cfg.database;
  const secrets = [...urlSecrets(dbUrl), ...urlSecrets(cfg.webhook_url, { path: true })];
  const clean = (text: string): string => redactSecrets(text, secrets);
  const databaseLabel = redactUrl(dbUrl);
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
    'trader starting',
    `trader ${TRADER_VERSION} starting: run ${runId}, ${brokerKind}${dryRun ? ' (dry run)' : ''}, ${cfg.symbols.length} symbols, ${scheduleText}`,
  );
  logger.debug({ config: publicConfig(cfg), database: databaseLabel }, 'configuration');
  const limits: SummaryLimits = {
    maxDailyLoss: cfg.max_daily_loss,
    maxDrawdown: cfg.max_drawdown,
    minLeverage: cfg.min_leverage,
    maxLeverage: cfg.max_leverage,
  };

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
  const metrics = new TraderMetrics();
  const ops = new OpsState(
    { runId, broker: brokerKind, dryRun, version: TRADER_VERSION, schedule: scheduleText, limits },
    () => clock.now(),
  );
  const sinks: AlertSink[] = [
    { alert: async (alert) => void (await db.insertAlert(alert, { runId })) },
    ops,
  ];
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
    onStatus: (connected, lastError) =>
      ops.update({ brokerConnected: connected, lastBrokerError: lastError ?? null }),
  });
  // The live view's liveness and data age between cycles (the run's heartbeat is in storage).
  const refresh = setInterval(() => {
    const staleness = monitor.dataStalenessSeconds();
    ops.update({
      lastHeartbeatAt: new Date().toISOString(),
      dataStalenessSeconds: staleness ?? null,
    });
    if (staleness !== undefined) metrics.dataStaleness.set(staleness);
  }, 15_000);
  refresh.unref();
  const intervalMs = schedule.kind === 'every' ? schedule.intervalMs : undefined;
  const retryMs = Math.min(intervalMs ?? 60_000, 60_000);
  const heartbeat = new RunHeartbeat(
    db,
    runId,
    options.heartbeatValidMs ?? Math.max(DEFAULT_HEARTBEAT_VALID_MS, 3 * (intervalMs ?? 0)),
    logger,
  );
  let scheduleState: ScheduleState = {
    schedule: scheduleText,
    phase: 'starting',
    nextCycleAt: null,
    lastCycle: null,
    traderNow: new Date(clock.now()).toISOString(),
    writtenAt: new Date().toISOString(),
  };
  /** Publishes a change of phase, next cycle or last cycle (database, dashboard, metrics). */
  const publish = async (change: Partial<ScheduleState>): Promise<void> => {
    scheduleState = {
      ...scheduleState,
      ...change,
      traderNow: new Date(clock.now()).toISOString(),
      writtenAt: new Date().toISOString(),
    };
    ops.update({
      phase: scheduleState.phase,
      nextCycleAt: scheduleState.nextCycleAt,
      lastHeartbeatAt: new Date().toISOString(),
      brokerConnected: monitor.connected,
      lastBrokerError: monitor.lastError ?? null,
      dataStalenessSeconds: monitor.dataStalenessSeconds() ?? null,
    });
    if (scheduleState.nextCycleAt !== null)
      metrics.nextCycle.set(Date.parse(scheduleState.nextCycleAt) / 1000);
    await saveScheduleState(db, runId, scheduleState).catch((error: unknown) =>
      logger.warn({ err: messageOf(error) }, 'schedule state not saved'),
    );
  };
  let server: OpsServer | undefined;
  let venue: Venue | undefined;
  const cycles: CycleReport[] = [];
  let stoppedBy: RunTraderResult['stoppedBy'] = 'signal';
  let registered = false;
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
        'http server listening',
        `dashboard, /metrics and /healthz at ${server.url}`,
      );
      options.onHttpListening?.(server.url);
    }
    ops.seedEquity(
      (await db.getPortfolioSnapshots({ runId })).map((p) => ({
        timestamp: p.timestamp,
        equityUsd: p.equityUsd,
      })),
    );
    await publish({});
    // Start-up: every failure is alerted and, for a long-running trader, retried.
    let engine: TradingEngine | undefined;
    let recorder: DatabaseRecorder | undefined;
    let brokerClock: BrokerClock | undefined;
    let startEquityUsd: number | undefined;
    let lastRecord: CycleRecord | undefined;
    for (let attempt = 1; engine === undefined; attempt++) {
      if (options.signal?.aborted) break;
      try {
        const connected = await connectVenue(brokerKind, cfg, wall, logger, {
          onRetry: monitor.onRetry,
        });
        venue = {
          ...connected,
          broker: monitor.wrapBroker(connected.broker),
          marketData: monitor.wrapMarketData(connected.marketData),
        };
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
        startEquityUsd = baselineUsd;
        const dbRecorder = recorder;
        const candidate = new TradingEngine(engineConfigOf(cfg, dryRun), {
          strategy: new CompositeStrategy(compositeStrategyConfigOf(cfg)),
          broker: venue.broker,
          marketData: venue.marketData,
          journal: db,
          clock,
          alerts,
          logger: engineLoggerFor(logger, logFormat),
          runId,
          commission: venueCommissionOf(cfg),
          recorder: {
            recordCycle: async (record) => {
              await dbRecorder.recordCycle(record);
              lastRecord = record;
            },
          },
        });
        await venue.beforeCycle();
        const start = await candidate.start();
        const synced = await recorder.syncFromBroker(venue.broker);
        note(
          logger,
          logFormat,
          { ...start, registration, ordersSynced: synced },
          'engine started',
          `engine started: ${start.lastCompletedCycle} cycles done before${start.resumedCycle !== null ? `, finished interrupted cycle ${start.resumedCycle}` : ''}, ${start.mismatches.length} reconciliation differences, ${synced} orders synced, kill switch ${start.killSwitchTripped ? 'TRIPPED' : 'off'}`,
        );
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
      await publish({ phase: 'stopped', nextCycleAt: null });
      logger.info({ runId }, 'trader stopped before it started');
      return { runId, cycles, stoppedBy: 'signal' };
    }
    heartbeat.start();
    const killSwitch = await killSwitchOf(db, runId);
    ops.update({ killSwitch });
    metrics.killSwitch.set(killSwitch.tripped ? 1 : 0);
    let dueMs =
      options.once || schedule.kind === 'every'
        ? clock.now()
        : nextCycleAtMs(schedule, clock.now());
    let failures = 0;
    let lastCycleNumber = 0;
    for (;;) {
      if (options.signal?.aborted) break;
      if (clock.now() < dueMs) {
        await publish({ phase: 'waiting', nextCycleAt: new Date(dueMs).toISOString() });
        await pause(dueMs - clock.now(), options.signal);
        continue;
      }
      let report: CycleReport | undefined;
      let inEngine = false;
      const cycleStartMs = clock.now();
      try {
        if (brokerClock) await brokerClock.sync();
        const market = await venue.broker.getClock();
        if (!market.isOpen && cfg.when_closed === 'wait' && !options.once) {
          const now = clock.now();
          dueMs =
            schedule.kind === 'every'
              ? now +
                Math.max(1000, Math.min(schedule.intervalMs, Date.parse(market.nextOpen) - now))
              : nextCycleAtMs(schedule, now);
          note(
            logger,
            logFormat,
            { nextOpen: market.nextOpen, waitMs: dueMs - now },
            'market closed: waiting for the open',
            `market closed: waiting for the open (next open ${market.nextOpen}, next try ${new Date(dueMs).toISOString()})`,
          );
        } else {
          await publish({ phase: 'running', nextCycleAt: new Date(dueMs).toISOString() });
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
        if (inEngine) metrics.observeFailedCycle(clock.now() - cycleStartMs);
        if (!inEngine)
          await alerts.raise('CRITICAL', 'TRADER CYCLE FAILED', clean(messageOf(error)), {
            runId,
            attempt: failures,
          });
        dueMs = clock.now() + retryMs;
        await publish({
          phase: 'waiting',
          nextCycleAt: options.once ? null : new Date(dueMs).toISOString(),
          lastCycle: {
            cycle: lastCycleNumber + 1,
            endedAt: new Date(clock.now()).toISOString(),
            outcome: 'failed',
            line: `cycle failed: ${clean(messageOf(error))}`,
          },
        });
        if (options.once) throw error;
        logger.error(
          { attempt: failures, waitMs: retryMs, cause: clean(messageOf(error)) },
          'cycle failed; retrying at the next interval',
        );
        continue;
      }
      if (report === undefined) continue;
      const endedMs = clock.now();
      cycles.push(report);
      lastCycleNumber = report.cycle;
      // Orders left open by an earlier cycle (or an earlier process) fill later.
      const synced = await recorder
        ?.syncFromBroker(venue.broker, 'open')
        .catch((error: unknown) => {
          logger.warn({ cause: clean(messageOf(error)) }, 'orders not synced from the broker');
          return 0;
        });
      const ks = await killSwitchOf(db, runId);
      const summary = summariseCycle(report, {
        limits,
        ...(startEquityUsd !== undefined ? { startEquityUsd } : {}),
        skippedReasons: await skippedReasonsOf(db, runId, report.cycle),
        killSwitch: ks,
      });
      logCycleSummary(logger, summary, logFormat, report, { ordersSynced: synced ?? 0 });
      metrics.observeCycle(
        report,
        endedMs - cycleStartMs,
        endedMs,
        summary.fields.ordersSkipped,
        ks.tripped,
      );
      const lastCycle = {
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
        await publish({ lastCycle });
        break;
      }
      if (options.maxCycles !== undefined && cycles.length >= options.maxCycles) {
        stoppedBy = 'max_cycles';
        await publish({ lastCycle });
        break;
      }
      dueMs =
        schedule.kind === 'every'
          ? cycleStartMs + schedule.intervalMs
          : nextCycleAtMs(schedule, clock.now());
      await publish({ lastCycle, nextCycleAt: new Date(dueMs).toISOString() });
    }
    await heartbeat.stop();
    await engine.stop(stoppedBy);
    await db.finishRun(runId, {
      stoppedAt: new Date(clock.now()).toISOString(),
      status: 'stopped',
    });
    await publish({ phase: 'stopped', nextCycleAt: null });
    note(
      logger,
      logFormat,
      { runId, cycles: cycles.length, stoppedBy },
      'trader stopped',
      `trader stopped (${stoppedBy}) after ${cycles.length} cycles`,
    );
    return { runId, cycles, stoppedBy };
  } catch (error) {
    await heartbeat.stop();
    await publish({ phase: 'stopped', nextCycleAt: null }).catch(() => undefined);
    if (registered)
      await db
        .finishRun(runId, { stoppedAt: new Date().toISOString(), status: 'failed' })
        .catch(() => undefined);
    if (error instanceof Error && !isQuantpipeError(error, 'E_CONFIG'))
      error.message = clean(error.message);
    throw error;
  } finally {
    clearInterval(refresh);
    await monitor.flush();
    await server?.close();
    await venue?.close();
    await db.close();
  }
}
