import {
  BrokerError,
  ConfigError,
  StateError,
  silentLogger,
  type AlertLevel,
  type Bar,
  type Fill,
  type Logger,
  type Order,
  type Strategy,
} from '@quantpipe/core';
import type { SymbolMarketStats } from '@quantpipe/risk';
import type { BarStore } from './bar-store';
import { clientOrderIdFor } from './client-order-id';
import { DecisionCore } from './core/decision-core';
import { engineAlerts, type EngineAlert } from './core/engine-alerts';
import { finalCycleReason, finalCycleStatus } from './core/cycle-outcome';
import { closedMarketSkip, type FlowLegs } from './core/order-flow';
import { positionMismatches } from './core/position-check';
import type { CycleReport, CycleStatus, SkippedOrder, StartReport } from './cycle-report';
import { resolveEngineConfig, type EngineConfig, type EngineConfigInput } from './engine-config';
import { BrokerCalls } from './live/broker-calls';
import { completeLiveCycle } from './live/complete-cycle';
import { emptyReport } from './live/cycle-reports';
import { runFlowLive, type Executed } from './live/flow-runner';
import { planLiveCycle, type LiveCycleContext } from './live/live-cycle';
import { JournalWriter } from './live/journal-writer';
import { sendJournaledAlert } from './live/journaled-alert';
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
import type { CycleRecord, EngineDeps } from './engine-deps';
import { UniverseBars } from './universe-bars';

export { RISK_ACKNOWLEDGEMENT_STATE_KEY } from './live/state-store';

export type { CycleRecord, CycleRecorder, EngineDeps } from './engine-deps';

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
      ...(deps.commission ? { commission: deps.commission } : {}),
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

  private raise(
    level: AlertLevel,
    title: string,
    message: string,
    context?: Record<string, unknown>,
  ): Promise<void> {
    const alert = { level, title, message, ...(context ? { context } : {}) };
    return sendJournaledAlert(this.journal, this.deps.alerts, this.logger, this.lastCycle, alert);
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

  /**
   * Saves the kill switch, after merging a state another process stored meanwhile (see
   * {@link RiskGate.mergeStoredKillSwitch}): a risk trip of this cycle never overwrites an
   * operator's kill, and a `resume` is not undone.
   */
  private async saveKillSwitch(): Promise<void> {
    const stored = await this.store.load(STATE_KILL);
    if (stored !== undefined && !this.store.isCurrent(STATE_KILL, stored)) {
      this.gate.mergeStoredKillSwitch(stored);
      this.store.adopt(STATE_KILL, stored);
    }
    await this.store.save(STATE_KILL, this.gate.killSwitchState());
  }

  private async saveState(): Promise<void> {
    // The engine state's parts are replaced, never mutated: the same values by identity mean
    // the same JSON, and the positions map (one entry per symbol) need not be serialised again.
    const fields = [
      this.expectedPositions,
      this.core.hedge.equityUsd,
      this.core.hedge.session,
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
    await this.saveKillSwitch();
    await this.store.save(STATE_HEDGE, this.core.hedge.toJSON());
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
      hedge: this.core.hedge,
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
    const ageMinutes = interrupted
      ? (this.deps.clock.now() - Date.parse(interrupted.timestamp)) / 60_000
      : 0;
    const stale = interrupted !== undefined && ageMinutes > this.config.max_plan_age_minutes;
    if (interrupted && stale) {
      // A plan from an earlier session no longer fits the market: nothing of it is sent.
      const legs = legsOf(interrupted);
      await this.raiseAlert(
        engineAlerts.stalePlanDropped(
          interrupted.cycle,
          interrupted.timestamp,
          ageMinutes,
          this.config.max_plan_age_minutes,
          legs.length,
        ),
      );
      await this.skipInterrupted(
        interrupted.cycle,
        `stale plan dropped: planned at ${interrupted.timestamp}`,
      );
    } else if (interrupted) {
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
            : finalCycleStatus('traded', this.gate.tripped, result.orders.length);
        await this.completeCycle(
          interrupted.cycle,
          status,
          'resumed after restart',
          result.orders,
          result.fills,
          undefined,
          result.skipped,
        );
      } else {
        await this.skipInterrupted(interrupted.cycle, 'abandoned after reconciliation mismatch');
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

  /** Completes an interrupted cycle unsent, and expects what the broker holds now. */
  private async skipInterrupted(cycle: number, reason: string): Promise<void> {
    await this.journal.append('cycle_completed', cycle, { status: 'skipped', reason });
    const broker = this.deps.broker;
    this.expectedPositions = positionsMap(
      await this.call('getPositions', () => broker.getPositions()),
    );
    await this.saveState();
  }

  /**
   * Compares the broker's positions and open orders with the journal (see the `Reconciler`).
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
    await adoptStoredKillSwitch(this.store, this.gate);
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
    await adoptStoredKillSwitch(this.store, this.gate);
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
    const { report, legs, status, reason, banded } = planned;
    if (this.config.dry_run) {
      // Says what the real run would do: the legs it would send, and those it would skip.
      const gtc = legs.some((l) => l.timeInForce === 'gtc');
      const skipped: SkippedOrder[] = [...banded];
      legs.forEach((l, k) => {
        const skip = closedMarketSkip(this.core.plan, k, gtc);
        if (skip === '') this.logger.info({ dryRun: true, ...l }, 'would send order');
        else {
          skipped.push({ clientOrderId: l.clientOrderId, symbol: l.symbol, reason: skip });
          this.logger.warn({ dryRun: true, ...l, reason: skip }, 'would skip order');
        }
      });
      return this.completeCycle(cycle, 'dry_run', reason, [], [], report, skipped);
    }
    const result = await this.executeLegs(cycle, this.core.plan, legs, false);
    const finalStatus = finalCycleStatus(status, this.gate.tripped, result.orders.length);
    const finalReason = result.haltedMidCycle
      ? `kill switch tripped mid-cycle: ${this.gate.killSwitch.reason ?? ''}`
      : finalCycleReason(finalStatus, reason, legs.length, result.skipped.length, banded.length);
    await this.checkPositions(cycle, planned.positionsBefore, legs, result.orders);
    return this.completeCycle(
      cycle,
      finalStatus,
      finalReason,
      result.orders,
      result.fills,
      report,
      [...banded, ...result.skipped],
    );
  }

  /**
   * The post-cycle position check (see {@link positionMismatches}): a CRITICAL alert naming
   * each symbol, the shares expected and the shares the broker holds.
   */
  private async checkPositions(
    cycle: number,
    before: Readonly<Record<string, number>>,
    legs: readonly LegPayload[],
    orders: readonly Order[],
  ): Promise<void> {
    const symbolOf = new Map(legs.map((l) => [l.clientOrderId, l.symbol]));
    const filled: Record<string, number> = {};
    for (const o of orders) {
      if (o.filledQuantity === 0) continue;
      const symbol = symbolOf.get(o.clientOrderId) ?? o.symbol;
      filled[symbol] = (filled[symbol] ?? 0) + (o.side === 'buy' ? 1 : -1) * o.filledQuantity;
    }
    const after = positionsMap(
      await this.call('getPositions', () => this.deps.broker.getPositions()),
    );
    const mismatches = positionMismatches(before, filled, after);
    if (mismatches.length > 0)
      await this.raiseAlert(engineAlerts.positionMismatch(cycle, mismatches));
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
      logger: this.logger,
    });
  }

  /** Persists the cycle's outcome and runs the post-trade leverage check (see {@link completeLiveCycle}). */
  private async completeCycle(
    cycle: number,
    status: CycleStatus,
    reason: string | undefined,
    orders: Order[],
    fills: Fill[],
    report?: CycleReport,
    skippedOrders: readonly SkippedOrder[] = [],
  ): Promise<CycleReport> {
    return completeLiveCycle(
      {
        broker: this.deps.broker,
        calls: this.calls,
        journal: this.journal,
        maxLeverage: this.config.max_leverage,
        runId: this.runId,
        raiseAlert: (alert) => this.raiseAlert(alert),
        saveState: () => this.saveState(),
        record: (record) => this.record(record),
        expect: (positions) => {
          this.expectedPositions = positions;
        },
      },
      { cycle, status, reason, orders, fills, report, skippedOrders },
    );
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
