import {
  BrokerError,
  ConfigError,
  StateError,
  silentLogger,
  type Account,
  type AlertLevel,
  type AlertSink,
  type Bar,
  type Broker,
  type Clock,
  type Fill,
  type Journal,
  type Logger,
  type MarketData,
  type Order,
  type Position,
  type Strategy,
} from '@quantpipe/core';
import type { SymbolMarketStats } from '@quantpipe/risk';
import type { BarStore } from './bar-store';
import { clientOrderIdFor } from './client-order-id';
import { DecisionCore } from './core/decision-core';
import { engineAlerts, type EngineAlert } from './core/engine-alerts';
import type { FlowLegs } from './core/order-flow';
import type { CycleReport, CycleStatus, StartReport } from './cycle-report';
import { resolveEngineConfig, type EngineConfig, type EngineConfigInput } from './engine-config';
import { BrokerCalls } from './live/broker-calls';
import { emptyReport } from './live/cycle-reports';
import { runFlowLive, type Executed } from './live/flow-runner';
import { planLiveCycle, type LiveCycleContext } from './live/live-cycle';
import { JournalWriter } from './live/journal-writer';
import { JournaledLegs } from './live/journaled-legs';
import { OrderSubmitter, type LegPayload } from './live/order-submitter';
import { Reconciler, positionsMap } from './live/reconciler';
import { adoptStoredKillSwitch, legsOf, restoreRun } from './live/recovery';
import {
  RISK_ACKNOWLEDGEMENT_STATE_KEY,
  STATE_ENGINE,
  STATE_HEDGE,
  STATE_KILL,
  STATE_RISK,
  STATE_STRATEGY,
  StateStore,
} from './live/state-store';
import { UniverseBars } from './universe-bars';

export { RISK_ACKNOWLEDGEMENT_STATE_KEY } from './live/state-store';

/** What the engine runs against. */
export interface EngineDeps {
  readonly broker: Broker;
  readonly marketData: MarketData;
  readonly journal: Journal;
  readonly clock: Clock;
  readonly alerts: AlertSink;
  readonly logger?: Logger;
  /** Identifies the run in the journal and in client order ids (letters, digits, . _ : -). */
  readonly runId: string;
  /**
   * The decision rule: e.g. `CompositeStrategy` from `@quantpipe/strategy` (the spec's
   * pipeline) or {@link TargetWeightsStrategy}.
   */
  readonly strategy: Strategy;
  /** Receives every finished cycle (orders, fills, positions, portfolio) for the database. */
  readonly recorder?: CycleRecorder;
}

/** What the engine hands to a {@link CycleRecorder} after each cycle. */
export interface CycleRecord {
  readonly report: CycleReport;
  /** Account after the cycle. */
  readonly account: Account;
  /** Positions after the cycle. */
  readonly positions: readonly Position[];
}

/**
 * Port: where finished cycles are recorded besides the journal (e.g. the database's orders,
 * fills, positions, portfolio and signals tables). Called after the cycle is journaled; a
 * failure is logged and raised as a WARNING alert but does not undo the cycle.
 */
export interface CycleRecorder {
  recordCycle(record: CycleRecord): Promise<void>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The rebalancing engine (spec 7, 6.3, 10) as it runs live: an async driver over the decision
 * core (risk gate, tail hedge, sizing step, cycle plan, order flow — synchronous parts that
 * return data) that performs the I/O at the edges: bars, broker calls with retry, the journal,
 * the persisted state, reconciliation and alerts. A backtest drives the same parts from a
 * synchronous loop (`@quantpipe/backtest`).
 *
 * A cycle: fetch bars up to the clock → strategy → sizing → risk verdict (RiskMonitor, kill
 * switch) → pre-trade cost report → order plan (buying power, min_trade_size, flips) → orders →
 * wait for fills → persist → post-trade leverage check.
 *
 * Journal first: the decision with its full order plan is appended before any order is sent,
 * each order intent before its submission, each fill before the next step. Client order ids
 * are deterministic per (run, cycle, symbol, leg); after a crash {@link TradingEngine.start}
 * finishes the interrupted cycle, adopting orders the broker already has and submitting only
 * those it never received, so no order is ever sent twice.
 */
export class TradingEngine {
  /** The resolved configuration. */
  readonly config: EngineConfig;
  private readonly deps: EngineDeps;
  private readonly strategy: Strategy;
  private readonly logger: Logger;
  private readonly bars: UniverseBars;
  private readonly daily: BarStore;
  private readonly hourly: BarStore;
  private readonly core: DecisionCore;
  private readonly journal: JournalWriter;
  private readonly store: StateStore;
  private readonly calls: BrokerCalls;
  private readonly reconciler: Reconciler;
  private readonly submitter: OrderSubmitter;
  private started = false;
  private startReport: StartReport | undefined;
  private stopping = false;
  private lastCycle = 0;
  /** Signed shares the journal expects the broker to hold after the last completed cycle. */
  private expectedPositions: Record<string, number> | null = null;
  /** The engine state's fields as last saved (see saveState). */
  private savedEngine: readonly unknown[] | undefined;
  private reconcileRequested = false;
  private readonly cycleContext: LiveCycleContext;

  constructor(config: EngineConfigInput | EngineConfig, deps: EngineDeps) {
    this.config = resolveEngineConfig(config);
    clientOrderIdFor(deps.runId, 1, 'X', 'adjust'); // validates the run id early
    if (!deps.strategy || typeof deps.strategy.decide !== 'function')
      throw new ConfigError('strategy', 'expected a Strategy (an object with decide())');
    this.deps = deps;
    const c = this.config;
    this.strategy = deps.strategy;
    this.logger = deps.logger ?? silentLogger;
    this.bars = new UniverseBars(deps.marketData, c, this.logger);
    this.daily = this.bars.daily;
    this.hourly = this.bars.hourly;
    this.core = new DecisionCore(c, {
      alertSink: deps.alerts,
      logger: this.logger,
      now: () => deps.clock.now(),
    });
    this.journal = new JournalWriter(deps.journal, deps.runId, deps.clock);
    this.store = new StateStore(deps.journal, deps.runId);
    this.calls = new BrokerCalls(deps.clock, c.retry_base_delay_ms, this.logger);
    this.reconciler = new Reconciler(deps.broker, this.calls, this.journal, deps.runId);
    this.submitter = new OrderSubmitter(
      deps.broker,
      this.calls,
      this.journal,
      deps.clock,
      this.logger,
      (level, title, message, context) => this.raise(level, title, message, context),
      { fillTimeoutS: c.fill_timeout_s, pollIntervalMs: c.fill_poll_interval_ms },
    );
    this.cycleContext = {
      config: c,
      runId: deps.runId,
      broker: deps.broker,
      strategy: deps.strategy,
      core: this.core,
      bars: this.bars,
      journal: this.journal,
      store: this.store,
      calls: this.calls,
      reconciler: this.reconciler,
      logger: this.logger,
      raise: (level, title, message, context) => this.raise(level, title, message, context),
      saveState: () => this.saveState(),
      notes: { last: '' },
    };
  }

  private get gate() {
    return this.core.gate;
  }

  private get hedge() {
    return this.core.hedge;
  }

  private get symbols() {
    return this.core.symbols;
  }

  /** Whether the kill switch is tripped. */
  get halted(): boolean {
    return this.gate.tripped;
  }

  /** The last cycle number used (completed or skipped). */
  get cycle(): number {
    return this.lastCycle;
  }

  private get runId(): string {
    return this.deps.runId;
  }

  private async raise(
    level: AlertLevel,
    title: string,
    message: string,
    context?: Record<string, unknown>,
  ): Promise<void> {
    const alert = {
      level,
      title,
      message,
      timestamp: this.journal.nowIso(),
      ...(context ? { context } : {}),
    };
    await this.journal.append('alert', this.lastCycle, alert);
    try {
      await this.deps.alerts.alert(alert);
    } catch (error) {
      this.logger.error({ err: String(error), title }, 'alert sink failed');
    }
  }

  private raiseAlert(alert: EngineAlert): Promise<void> {
    return this.raise(alert.level, alert.title, alert.message, alert.context);
  }

  private call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return this.calls.call(what, fn);
  }

  /**
   * Asks for a reconciliation before the next cycle trades (call it from an adapter's
   * reconnect event; the engine also does so itself after any connection error it saw).
   */
  requestReconcile(): void {
    this.reconcileRequested = true;
  }

  private async saveState(): Promise<void> {
    // The engine state's parts are replaced, never mutated: the same values by identity mean
    // the same JSON, and the positions map (one entry per symbol) need not be serialised again.
    const fields = [
      this.expectedPositions,
      this.hedge.equityUsd,
      this.hedge.session,
      this.gate.lossesAcknowledgedAt,
    ] as const;
    const saved = this.savedEngine;
    if (saved === undefined || fields.some((f, i) => f !== saved[i])) {
      await this.store.save(STATE_ENGINE, {
        expectedPositions: fields[0],
        hedgeEquityUsd: fields[1],
        hedgeSession: fields[2],
        lossesAcknowledgedAt: fields[3],
      });
      this.savedEngine = fields;
    }
    await this.store.save(STATE_RISK, this.gate.monitor.toJSON());
    await this.store.save(STATE_KILL, this.gate.killSwitchState());
    await this.store.save(STATE_HEDGE, this.hedge.toJSON());
    if (this.strategy.snapshot)
      await this.store.save(STATE_STRATEGY, this.strategy.snapshot(), true);
  }

  /**
   * Restores state from the journal (risk monitor peaks, kill switch, tail hedge, strategy state,
   * last cycle), reconciles the broker's positions and open orders with it, and finishes a cycle
   * that a crash interrupted. A mismatch raises a CRITICAL alert and the engine adopts the
   * broker's view (the interrupted cycle's unsent orders are then dropped, and the next cycle
   * plans from what the broker holds). Idempotent: a second call returns the first report.
   */
  async start(): Promise<StartReport> {
    if (this.startReport) return this.startReport;
    const found = await restoreRun({
      journal: this.deps.journal,
      runId: this.runId,
      store: this.store,
      gate: this.gate,
      hedge: this.hedge,
      sizing: this.core.sizing,
      strategy: this.strategy,
      logger: this.logger,
    });
    this.expectedPositions = found.expectedPositions;
    this.lastCycle = found.lastCycle;
    const interrupted = found.interrupted;
    const mismatches = await this.reconcile(interrupted ? legsOf(interrupted) : []);
    let resumedCycle: number | null = null;
    const adopted: string[] = [];
    const resubmitted: string[] = [];
    if (interrupted) {
      resumedCycle = interrupted.cycle;
      if (mismatches.length === 0) {
        const legs = legsOf(interrupted);
        const payload = interrupted.payload as { liquidation?: unknown; status?: unknown } | null;
        // A reduction the kill switch asked for is finished as such (its reducing legs may go).
        const liquidation = payload?.liquidation === true;
        await this.journal.append('reconciliation', interrupted.cycle, {
          resumed: true,
          legs: legs.length,
        });
        const result = await this.executeLegs(
          interrupted.cycle,
          new JournaledLegs(legs, liquidation, this.symbols),
          legs,
          true,
        );
        adopted.push(...result.adopted);
        resubmitted.push(...result.submitted);
        const planned = payload?.status;
        const status: CycleStatus =
          planned === 'dry_run' || planned === 'halted'
            ? planned
            : this.gate.tripped
              ? 'halted'
              : 'traded';
        await this.completeCycle(
          interrupted.cycle,
          status,
          'resumed after restart',
          result.orders,
          result.fills,
        );
      } else {
        await this.journal.append('cycle_completed', interrupted.cycle, {
          status: 'skipped',
          reason: 'abandoned after reconciliation mismatch',
        });
        this.expectedPositions = positionsMap(
          await this.call('getPositions', () => this.deps.broker.getPositions()),
        );
        await this.saveState();
      }
    }
    const lastCompletedCycle = found.lastCompletedCycle;
    await this.journal.append('run_started', 0, { lastCompletedCycle, resumedCycle, mismatches });
    this.started = true;
    this.startReport = {
      runId: this.runId,
      lastCompletedCycle,
      resumedCycle,
      adoptedOrders: adopted,
      resubmittedOrders: resubmitted,
      mismatches,
      killSwitchTripped: this.gate.tripped,
    };
    return this.startReport;
  }

  /**
   * Compares the broker's positions and open orders with the journal (see {@link Reconciler}).
   * Returns the differences (empty when they agree); they raise a CRITICAL alert, and the
   * broker's view is adopted.
   */
  async reconcile(interrupted: readonly LegPayload[] = []): Promise<string[]> {
    const found = await this.reconciler.reconcile(
      this.lastCycle,
      this.expectedPositions,
      interrupted,
    );
    this.expectedPositions = found.positions;
    if (found.mismatches.length > 0) {
      await this.raise(
        'CRITICAL',
        'RECONCILIATION MISMATCH',
        `${found.mismatches.length} difference(s) between the journal and the broker; adopting the broker's view`,
        { mismatches: found.mismatches },
      );
    }
    this.reconcileRequested = false;
    this.calls.connectionTrouble = false;
    return found.mismatches;
  }

  /** Trips the kill switch (journaled; survives restarts). */
  async kill(reason: string): Promise<void> {
    this.gate.kill(reason);
    await this.store.save(STATE_KILL, this.gate.killSwitchState());
  }

  /**
   * Releases the kill switch and accepts the losses that tripped it: at the next risk check the
   * monitor's drawdown and daily peaks restart from the equity then (see
   * {@link RISK_ACKNOWLEDGEMENT_STATE_KEY}). Without that, the drawdown that tripped the switch
   * would trip it again at once and trading could never resume. The request is journaled
   * before the switch is released, so a crash in between cannot lose it.
   */
  async resume(): Promise<void> {
    await this.store.write(RISK_ACKNOWLEDGEMENT_STATE_KEY, { requestedAt: this.journal.nowIso() });
    this.gate.release();
    await this.store.save(STATE_KILL, this.gate.killSwitchState());
  }

  /**
   * Ends the run: persists the state and journals `run_stopped`. Call it after the last cycle
   * (a cycle in flight should be allowed to finish first: it persists its own steps). Further
   * `runCycle` calls are refused.
   */
  async stop(reason = 'stopped'): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (!this.started) return;
    await this.saveState();
    await this.journal.append('run_stopped', 0, { reason, lastCycle: this.lastCycle });
  }

  /** Whether {@link TradingEngine.stop} was called. */
  get stopRequested(): boolean {
    return this.stopping;
  }

  /**
   * Runs one rebalance at `clock.now()`. Never sends an order on stale data, while the kill
   * switch is tripped (except the reduction a loss breach asks for) or when the risk verdict
   * forbids new exposure (reducing orders still go).
   */
  async runCycle(): Promise<CycleReport> {
    if (this.stopping) throw new StateError('the engine was stopped');
    if (!this.started) await this.start();
    if (this.reconcileRequested || this.calls.connectionTrouble) await this.reconcile();
    await adoptStoredKillSwitch(this.store, this.gate);
    const cycle = this.lastCycle + 1;
    this.lastCycle = cycle;
    this.core.figures.clear();
    const nowMs = this.deps.clock.now();
    const timestamp = iso(nowMs);
    const released = this.gate.releaseDailyLossHalt(timestamp);
    if (released) {
      await this.store.save(STATE_KILL, this.gate.killSwitchState());
      await this.raiseAlert(
        engineAlerts.dailyHaltReleased(released.trippedSession, released.reason),
      );
    }
    const base = emptyReport(this.runId, cycle, timestamp);
    try {
      return await this.cycleBody(cycle, nowMs, base);
    } catch (error) {
      if (error instanceof BrokerError) this.reconcileRequested = true;
      await this.raise(
        'CRITICAL',
        'CYCLE FAILED',
        error instanceof Error ? error.message : String(error),
        { cycle },
      );
      throw error;
    }
  }

  private async finishWithout(
    report: CycleReport,
    status: CycleStatus,
    reason: string,
  ): Promise<CycleReport> {
    const out: CycleReport = { ...report, status, reason };
    await this.journal.append('cycle_completed', report.cycle, { status, reason });
    await this.saveState();
    if (this.deps.recorder) {
      const account = await this.call('getAccount', () => this.deps.broker.getAccount());
      const positions = await this.call('getPositions', () => this.deps.broker.getPositions());
      const full = { ...out, equityAfterUsd: account.equityUsd };
      await this.record({ report: full, account, positions });
      return full;
    }
    return out;
  }

  private async record(record: CycleRecord): Promise<void> {
    if (!this.deps.recorder) return;
    try {
      await this.deps.recorder.recordCycle(record);
    } catch (error) {
      await this.raise(
        'WARNING',
        'RECORDING FAILED',
        `cycle ${record.report.cycle}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async cycleBody(cycle: number, nowMs: number, base: CycleReport): Promise<CycleReport> {
    const planned = await planLiveCycle(this.cycleContext, cycle, nowMs, base);
    if (planned.kind === 'finished')
      return this.finishWithout(planned.report, planned.status, planned.reason);
    const { report, legs, status, reason } = planned;
    if (this.config.dry_run) {
      for (const l of legs) this.logger.info({ dryRun: true, ...l }, 'would send order');
      return this.completeCycle(cycle, 'dry_run', reason, [], [], report);
    }
    const result = await this.executeLegs(cycle, this.core.plan, legs, false);
    const finalStatus: CycleStatus = this.gate.tripped ? 'halted' : status;
    const finalReason = result.haltedMidCycle
      ? `kill switch tripped mid-cycle: ${this.gate.killSwitch.reason ?? ''}`
      : reason;
    return this.completeCycle(cycle, finalStatus, finalReason, result.orders, result.fills, report);
  }

  /** Runs the order flow over `legs` against the broker (see {@link runFlowLive}). */
  private executeLegs(
    cycle: number,
    flowLegs: FlowLegs,
    legs: readonly LegPayload[],
    resume: boolean,
  ): Promise<Executed> {
    return runFlowLive({
      flow: this.core.flow,
      gate: this.gate,
      broker: this.deps.broker,
      calls: this.calls,
      journal: this.journal,
      submitter: this.submitter,
      saveState: () => this.saveState(),
      symbolCapacity: this.symbols.capacity,
      cycle,
      flowLegs,
      legs,
      resume,
    });
  }

  /** Persists the cycle's outcome and runs the post-trade leverage check. */
  private async completeCycle(
    cycle: number,
    status: CycleStatus,
    reason: string | undefined,
    orders: Order[],
    fills: Fill[],
    report?: CycleReport,
  ): Promise<CycleReport> {
    const broker = this.deps.broker;
    const account = await this.call('getAccount', () => broker.getAccount());
    const positions = await this.call('getPositions', () => broker.getPositions());
    let gross = 0;
    for (const p of positions) gross += Math.abs(p.marketValueUsd);
    const leverageAfter = account.equityUsd > 0 ? gross / account.equityUsd : 0;
    if (leverageAfter > this.config.max_leverage)
      await this.raiseAlert(
        engineAlerts.leverageAfterRebalance(leverageAfter, this.config.max_leverage, cycle),
      );
    this.expectedPositions = positionsMap(positions);
    if (orders.length > 0) {
      const filled = orders.filter((o) => o.status === 'filled').length;
      await this.raiseAlert(
        engineAlerts.rebalanceCompleted(
          cycle,
          filled,
          orders.length,
          account.equityUsd,
          leverageAfter,
          status,
        ),
      );
    }
    await this.journal.append('cycle_completed', cycle, {
      status,
      reason: reason ?? null,
      equityUsd: account.equityUsd,
      leverage: leverageAfter,
      orders: orders.length,
    });
    await this.saveState();
    const baseReport = report ?? emptyReport(this.runId, cycle, this.journal.nowIso());
    const out: CycleReport = {
      ...baseReport,
      status,
      ...(reason !== undefined ? { reason } : {}),
      orders,
      fills,
      equityAfterUsd: account.equityUsd,
      leverageAfter,
    };
    await this.record({ report: out, account, positions });
    return out;
  }

  /**
   * Price, ADV and volatility of a symbol as the current (or last) cycle sized it, from the
   * last 20 daily bars at its decision; undefined for a symbol it had no figures for, and
   * before the cycle reached its sizing. A simulated venue pricing this cycle's fills can use
   * them instead of computing them again.
   */
  marketStatsOf(symbol: string): SymbolMarketStats | undefined {
    return this.core.figures.statsOf(this.symbols.find(symbol));
  }

  /** Bars held for a symbol (for reports and tests). */
  barsOf(symbol: string): readonly Bar[] {
    return this.daily.bars(symbol);
  }
}
