import {
  BrokerError,
  DataError,
  OrderRejectedError,
  StateError,
  isOrderOpen,
  retry,
  sessionDateOf,
  silentLogger,
  type Account,
  type AlertLevel,
  type AlertSink,
  type Bar,
  type Broker,
  type Clock,
  type Fill,
  type Journal,
  type JournalEntry,
  type JsonValue,
  type Logger,
  type MarketData,
  type Order,
  type Position,
  type TimeInForce,
} from '@quantpipe/core';
import {
  KillSwitch,
  RiskMonitor,
  StatefulTailHedge,
  marketStatsFromBars,
  preTradeCostReport,
  type RiskVerdict,
  type SymbolMarketStats,
} from '@quantpipe/risk';
import {
  AdaptiveDecay,
  computeTargetShares,
  type AdaptiveDecayState,
  type SizingEntry,
} from '@quantpipe/sizing';
import { BarStore } from './bar-store';
import { clientOrderIdFor, clientOrderIdPrefix, type OrderLeg } from './client-order-id';
import type {
  CycleReport,
  CycleStatus,
  DecisionReport,
  HedgeReport,
  PlannedOrder,
  StartReport,
} from './cycle-report';
import { resolveEngineConfig, type EngineConfig, type EngineConfigInput } from './engine-config';
import { planOrders } from './order-planner';
import { fillJson, jsonNumber, orderJson } from './journal-payloads';
import { fillFromOrder } from './order-fill';
import { toJson } from './to-json';
import { weekdaysBetween } from './session-time';
import { UniverseBars } from './universe-bars';
import type { Strategy, StrategyOutput } from '@quantpipe/core';

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

// A type alias (not an interface) so a leg is a JsonObject as it is: it is journaled as such.
type LegPayload = {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly leg: OrderLeg;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly timeInForce: TimeInForce;
  readonly increasesExposure: boolean;
};

/** The engine's own state. Fields are replaced, never changed in place (see saveState). */
interface EngineState {
  /** Signed shares the journal expects the broker to hold after the last completed cycle. */
  expectedPositions: Record<string, number> | null;
  /** Equity and benchmark session at the last tail-hedge step. */
  hedgeEquityUsd?: number | null;
  hedgeSession?: string | null;
  /** `requestedAt` of the last loss acknowledgement applied to the risk monitor. */
  lossesAcknowledgedAt?: string | null;
}

const STATE_ENGINE = 'engine';
const STATE_RISK = 'risk_monitor';
const STATE_KILL = 'kill_switch';
const STATE_STRATEGY = 'strategy';
const STATE_DECAY = 'position_decay';
const STATE_HEDGE = 'tail_hedge';
/**
 * A request to accept the losses behind a tripped kill switch (`{ requestedAt }`), written by
 * {@link TradingEngine.resume} or by another process (`trader resume`). The engine applies it
 * at its next risk check: the monitor's peaks restart from the equity then, so the reset holds.
 */
export const RISK_ACKNOWLEDGEMENT_STATE_KEY = 'risk_acknowledgement';

const iso = (ms: number): string => new Date(ms).toISOString();

function signedFilled(order: Pick<Order, 'side' | 'filledQuantity'>): number {
  return order.side === 'buy' ? order.filledQuantity : -order.filledQuantity;
}

function positionsMap(positions: readonly Position[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of positions) if (p.quantity !== 0) out[p.symbol] = p.quantity;
  return out;
}

/**
 * The rebalancing engine (spec 7, 6.3, 10). The same code runs backtests (SimBroker + SimClock
 * + MemoryJournal) and live trading (a real broker, the wall clock, the database journal).
 *
 * A cycle: fetch bars up to the clock → strategy (signals, weights, composite) → sizing →
 * risk verdict (RiskMonitor, kill switch) → pre-trade cost report → order plan (buying power,
 * min_trade_size, flips) → orders → wait for fills → persist → post-trade leverage check.
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
  /** The configured symbols, for membership tests. */
  private readonly universe: ReadonlySet<string>;
  private readonly daily: BarStore;
  private readonly hourly: BarStore;
  private killSwitch: KillSwitch;
  private riskMonitor: RiskMonitor;
  /** The spec's AdaptivePositionSizer state per symbol (position and age), journaled. */
  private readonly decay = new Map<string, AdaptiveDecay>();
  private tailHedge: StatefulTailHedge;
  private started = false;
  /** What the (only) start did; a second `start()` returns it. */
  private startReport: StartReport | undefined;
  private stopping = false;
  private lastCycle = 0;
  private state: EngineState = { expectedPositions: null };
  /** The engine state's fields as last saved (see saveState). */
  private savedEngineFields: EngineState | undefined;
  private needsReconcile = false;
  /** Symbols with open orders the engine did not place: not traded while those are open. */
  private foreignOrderSymbols = new Set<string>();
  /** The strategy's remarks as last logged (logged again only when they change). */
  private lastNotes = '';
  /** The ISO form of the last clock reading stamped on a journal entry. */
  private isoCache = { ms: Number.NaN, iso: '' };
  /** JSON of each state key as last written by this engine (unchanged values are not rewritten). */
  private readonly savedState = new Map<string, string>();
  /** The market figures of the current (or last) cycle's sizing, by symbol (reset per cycle). */
  private cycleStats: Record<string, SymbolMarketStats> = {};
  /** The kill switch state as last loaded from or saved to the journal. */
  private killSwitchJson: string | undefined;

  constructor(config: EngineConfigInput | EngineConfig, deps: EngineDeps) {
    this.config = resolveEngineConfig(config);
    clientOrderIdFor(deps.runId, 1, 'X', 'adjust'); // validates the run id early
    this.deps = deps;
    const c = this.config;
    this.strategy = deps.strategy;
    this.logger = deps.logger ?? silentLogger;
    this.bars = new UniverseBars(deps.marketData, c, this.logger);
    this.universe = new Set(c.symbols);
    this.daily = this.bars.daily;
    this.hourly = this.bars.hourly;
    this.killSwitch = new KillSwitch(this.killSwitchOptions());
    this.riskMonitor = new RiskMonitor(this.riskMonitorLimits(), this.riskMonitorOptions());
    this.tailHedge = this.newTailHedge();
  }

  private newTailHedge(): StatefulTailHedge {
    return new StatefulTailHedge(
      {
        hedge_threshold: this.config.hedge_threshold,
        hedge_size: this.config.hedge_size,
        cost_per_hedge: this.config.cost_per_hedge,
      },
      { logger: this.logger },
    );
  }

  private killSwitchOptions(): ConstructorParameters<typeof KillSwitch>[0] {
    return { now: () => this.deps.clock.now(), alertSink: this.deps.alerts, logger: this.logger };
  }

  private riskMonitorOptions(): ConstructorParameters<typeof RiskMonitor>[1] {
    return {
      alertSink: this.deps.alerts,
      killSwitch: this.killSwitch,
      logger: this.logger,
      now: () => this.deps.clock.now(),
    };
  }

  /** Whether the kill switch is tripped. */
  get halted(): boolean {
    return this.killSwitch.isTripped;
  }

  /** The last cycle number used (completed or skipped). */
  get cycle(): number {
    return this.lastCycle;
  }

  private get runId(): string {
    return this.deps.runId;
  }

  private nowIso(): string {
    const ms = this.deps.clock.now();
    // Every journal entry is stamped; many share one instant (a cycle's orders).
    if (this.isoCache.ms !== ms) this.isoCache = { ms, iso: iso(ms) };
    return this.isoCache.iso;
  }

  /** Journals `payload` as JSON (see {@link toJson}). */
  private journal(
    kind: JournalEntry['kind'],
    cycle: number,
    payload: unknown,
    clientOrderId?: string,
  ): Promise<unknown> {
    return this.journalJson(kind, cycle, toJson(payload), clientOrderId);
  }

  /**
   * Journals a payload that is JSON already (the per-order entries, built field by field).
   * Not `async`: it hands back the journal's own promise (several entries per order).
   */
  private journalJson(
    kind: JournalEntry['kind'],
    cycle: number,
    payload: JsonValue,
    clientOrderId?: string,
  ): Promise<unknown> {
    const timestamp = this.nowIso();
    return this.deps.journal.append(
      clientOrderId === undefined
        ? { runId: this.runId, cycle, kind, timestamp, payload }
        : { runId: this.runId, cycle, kind, timestamp, clientOrderId, payload },
    );
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
      timestamp: this.nowIso(),
      ...(context ? { context } : {}),
    };
    await this.journal('alert', this.lastCycle, alert);
    try {
      await this.deps.alerts.alert(alert);
    } catch (error) {
      this.logger.error({ err: String(error), title }, 'alert sink failed');
    }
  }

  /** Broker calls retried as the spec's `safe_api_call` (3 attempts, exponential backoff), on the engine's clock. */
  private call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    // The first attempt runs bare: nearly every call succeeds at once, and a backtest makes
    // several per order. A failure continues in `retry` exactly as if it had run the attempt.
    return firstAttempt(fn).catch((error: unknown) =>
      this.retryCall(what, afterFailedFirstAttempt(error, fn)),
    );
  }

  private retryCall<T>(what: string, fn: (attempt: number) => Promise<T>): Promise<T> {
    return retry(fn, {
      maxAttempts: 3,
      baseDelayMs: this.config.retry_base_delay_ms,
      sleep: (ms) => this.deps.clock.sleep(ms),
      onRetry: ({ error, attempt, delayMs }) => {
        this.noteConnectionTrouble(error);
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error), attempt, delayMs, what },
          'broker call failed, retrying',
        );
      },
    });
  }

  /** A lost connection means a reconnect: reconcile before the next cycle trades. */
  private noteConnectionTrouble(error: unknown): void {
    if (error instanceof BrokerError && (error.kind === 'connection' || error.kind === 'timeout'))
      this.needsReconcile = true;
  }

  /**
   * Asks for a reconciliation before the next cycle trades (call it from an adapter's
   * reconnect event; the engine also does so itself after any connection error it saw).
   */
  requestReconcile(): void {
    this.needsReconcile = true;
  }

  /**
   * Writes a state key only when its JSON text changed since this engine last wrote it. `raw`
   * is serialised once: its text decides, and is handed to the journal with the JSON copy
   * (`toJson(raw)`, unless `raw` is JSON already).
   */
  private async saveIfChanged(key: string, raw: unknown, rawIsJson = false): Promise<void> {
    const text = JSON.stringify(raw);
    if (this.savedState.get(key) === text) return;
    const value = rawIsJson ? (raw as JsonValue) : toJson(raw);
    await this.deps.journal.saveState(this.runId, key, value, text);
    this.savedState.set(key, text);
  }

  private async saveState(): Promise<void> {
    // The engine state's fields are replaced, never mutated: the same values by identity mean
    // the same JSON, and the positions map (one entry per symbol) need not be serialised again.
    const state = this.state;
    const saved = this.savedEngineFields;
    if (
      saved === undefined ||
      saved.expectedPositions !== state.expectedPositions ||
      saved.hedgeEquityUsd !== state.hedgeEquityUsd ||
      saved.hedgeSession !== state.hedgeSession ||
      saved.lossesAcknowledgedAt !== state.lossesAcknowledgedAt
    ) {
      await this.saveIfChanged(STATE_ENGINE, state);
      this.savedEngineFields = { ...state };
    }
    await this.saveIfChanged(STATE_RISK, this.riskMonitor.toJSON());
    await this.saveKillSwitch();
    await this.saveIfChanged(STATE_HEDGE, this.tailHedge.toJSON());
    if (this.strategy.snapshot)
      await this.saveIfChanged(STATE_STRATEGY, this.strategy.snapshot(), true);
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
    const j = this.deps.journal;
    const engineState = await j.loadState(this.runId, STATE_ENGINE);
    if (engineState && typeof engineState === 'object' && !Array.isArray(engineState)) {
      const expected = engineState['expectedPositions'];
      this.state.expectedPositions =
        expected && typeof expected === 'object' && !Array.isArray(expected)
          ? (expected as Record<string, number>)
          : null;
      const acknowledged = engineState['lossesAcknowledgedAt'];
      this.state.lossesAcknowledgedAt = typeof acknowledged === 'string' ? acknowledged : null;
    }
    await this.loadKillSwitch();
    const riskState = await j.loadState(this.runId, STATE_RISK);
    this.riskMonitor = new RiskMonitor(this.riskMonitorLimits(), this.riskMonitorOptions());
    if (riskState !== undefined) {
      try {
        this.riskMonitor = RiskMonitor.fromJSON(
          riskState,
          this.riskMonitorLimits(),
          this.riskMonitorOptions(),
        );
      } catch (error) {
        this.logger.warn({ err: String(error) }, 'risk monitor state unreadable; starting fresh');
      }
    }
    const hedgeState = await j.loadState(this.runId, STATE_HEDGE);
    if (hedgeState !== undefined) {
      try {
        this.tailHedge = StatefulTailHedge.fromJSON(hedgeState, { logger: this.logger });
      } catch (error) {
        this.logger.warn({ err: String(error) }, 'tail hedge state unreadable; starting INACTIVE');
      }
    }
    if (engineState && typeof engineState === 'object' && !Array.isArray(engineState)) {
      const e = engineState['hedgeEquityUsd'];
      const h = engineState['hedgeSession'];
      this.state.hedgeEquityUsd = typeof e === 'number' ? e : null;
      this.state.hedgeSession = typeof h === 'string' ? h : null;
    }
    const strategyState = await j.loadState(this.runId, STATE_STRATEGY);
    if (strategyState !== undefined && this.strategy.restore) this.strategy.restore(strategyState);
    this.restoreDecay(await j.loadState(this.runId, STATE_DECAY));

    const marks = await j.entries({ runId: this.runId, kinds: ['decision', 'cycle_completed'] });
    const completed = new Set<number>();
    let lastDecision: JournalEntry | undefined;
    for (const e of marks) {
      if (e.kind === 'cycle_completed') completed.add(e.cycle);
      else if (!lastDecision || e.cycle >= lastDecision.cycle) lastDecision = e;
      this.lastCycle = Math.max(this.lastCycle, e.cycle);
    }
    const lastCompletedCycle = completed.size === 0 ? 0 : Math.max(...completed);
    const interrupted =
      lastDecision && !completed.has(lastDecision.cycle) ? lastDecision : undefined;

    const mismatches = await this.reconcile(interrupted);
    let resumedCycle: number | null = null;
    const adopted: string[] = [];
    const resubmitted: string[] = [];
    if (interrupted) {
      resumedCycle = interrupted.cycle;
      if (mismatches.length === 0) {
        const legs = this.legsOf(interrupted);
        const payload = interrupted.payload as { liquidation?: unknown; status?: unknown } | null;
        // A reduction the kill switch asked for is finished as such (its reducing legs may go).
        const liquidation = payload?.liquidation === true;
        await this.journal('reconciliation', interrupted.cycle, {
          resumed: true,
          legs: legs.length,
        });
        const result = await this.executeLegs(interrupted.cycle, legs, true, liquidation);
        adopted.push(...result.adopted);
        resubmitted.push(...result.submitted);
        const planned = payload?.status;
        const status: CycleStatus =
          planned === 'dry_run' || planned === 'halted'
            ? planned
            : this.killSwitch.isTripped
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
        await this.journal('cycle_completed', interrupted.cycle, {
          status: 'skipped',
          reason: 'abandoned after reconciliation mismatch',
        });
        this.state.expectedPositions = positionsMap(
          await this.call('getPositions', () => this.deps.broker.getPositions()),
        );
        await this.saveState();
      }
    }
    await this.journal('run_started', 0, { lastCompletedCycle, resumedCycle, mismatches });
    this.started = true;
    this.startReport = {
      runId: this.runId,
      lastCompletedCycle,
      resumedCycle,
      adoptedOrders: adopted,
      resubmittedOrders: resubmitted,
      mismatches,
      killSwitchTripped: this.killSwitch.isTripped,
    };
    return this.startReport;
  }

  private riskMonitorLimits(): ConstructorParameters<typeof RiskMonitor>[0] {
    return {
      max_daily_loss: this.config.max_daily_loss,
      max_drawdown: this.config.max_drawdown,
      max_leverage: this.config.max_leverage,
      on_loss_breach: this.config.on_loss_breach,
    };
  }

  /**
   * Adopts the kill switch state stored in the journal when it differs from what this engine
   * last saw (e.g. `trader kill` / `trader resume` from another process).
   */
  private async loadKillSwitch(): Promise<void> {
    const raw = await this.deps.journal.loadState(this.runId, STATE_KILL);
    if (raw === undefined) return;
    const text = JSON.stringify(raw);
    if (text === this.killSwitchJson) return;
    try {
      this.killSwitch = KillSwitch.fromJSON(raw, this.killSwitchOptions());
    } catch (error) {
      // An unreadable switch is treated as tripped: the conservative reading.
      this.killSwitch = new KillSwitch(this.killSwitchOptions());
      this.killSwitch.trip(`kill switch state unreadable: ${String(error)}`);
    }
    this.killSwitchJson = text;
    this.riskMonitor = RiskMonitor.fromJSON(
      this.riskMonitor.toJSON(),
      this.riskMonitorLimits(),
      this.riskMonitorOptions(),
    );
  }

  private async saveKillSwitch(): Promise<void> {
    const raw = this.killSwitch.toJSON();
    const text = JSON.stringify(raw);
    if (text === this.killSwitchJson) return;
    await this.deps.journal.saveState(this.runId, STATE_KILL, toJson(raw), text);
    this.killSwitchJson = text;
  }

  /** A daily-loss trip ends with its session (`daily_loss_halt: 'session'`). */
  private async releaseDailyLossHalt(timestamp: string): Promise<void> {
    const ks = this.killSwitch;
    if (!ks.isTripped || this.config.daily_loss_halt !== 'session') return;
    if (
      ks.source !== 'risk_monitor' ||
      !(ks.reason ?? '').startsWith('DAILY LOSS') ||
      ks.trippedAt === null
    )
      return;
    if (sessionDateOf(ks.trippedAt) >= sessionDateOf(timestamp)) return;
    const reason = ks.reason ?? '';
    const trippedSession = sessionDateOf(ks.trippedAt);
    ks.reset();
    await this.saveKillSwitch();
    await this.raise(
      'WARNING',
      'KILL SWITCH RELEASED',
      `new session: the daily loss halt of ${trippedSession} ends (${reason})`,
    );
  }

  /** Trips the kill switch (journaled; survives restarts). */
  async kill(reason: string): Promise<void> {
    this.killSwitch.trip(reason, { source: 'manual' });
    await this.saveKillSwitch();
  }

  /**
   * Releases the kill switch and accepts the losses that tripped it: at the next risk check the
   * monitor's drawdown and daily peaks restart from the equity then (see
   * {@link RISK_ACKNOWLEDGEMENT_STATE_KEY}). Without that, the drawdown that tripped the switch
   * would trip it again at once and trading could never resume. The request is journaled
   * before the switch is released, so a crash in between cannot lose it.
   */
  async resume(): Promise<void> {
    await this.deps.journal.saveState(this.runId, RISK_ACKNOWLEDGEMENT_STATE_KEY, {
      requestedAt: this.nowIso(),
    });
    this.killSwitch.reset();
    await this.saveKillSwitch();
  }

  /** Applies a loss acknowledgement requested since the last one applied (see {@link resume}). */
  private async applyLossAcknowledgement(portfolioValueUsd: number): Promise<void> {
    const raw = await this.deps.journal.loadState(this.runId, RISK_ACKNOWLEDGEMENT_STATE_KEY);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return;
    const requestedAt = raw['requestedAt'];
    if (typeof requestedAt !== 'string' || requestedAt === this.state.lossesAcknowledgedAt) return;
    if (!(portfolioValueUsd > 0)) return; // nothing sensible to re-base on; keep the old peaks
    this.riskMonitor.acknowledgeLosses(portfolioValueUsd);
    this.state.lossesAcknowledgedAt = requestedAt;
    await this.raise(
      'WARNING',
      'LOSSES ACKNOWLEDGED',
      `risk peaks re-based at equity ${portfolioValueUsd.toFixed(2)} USD after a kill-switch reset requested at ${requestedAt}`,
      { requestedAt, portfolioValueUsd },
    );
  }

  private legsOf(decision: JournalEntry): LegPayload[] {
    const payload = decision.payload;
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return [];
    const legs = payload['legs'];
    return Array.isArray(legs) ? (legs as unknown as LegPayload[]) : [];
  }

  /**
   * Compares the broker's positions and open orders with the journal. Returns the differences
   * (empty when they agree); each difference raises a CRITICAL alert, and the broker's view is
   * adopted. Open orders of this run from earlier cycles are canceled; open orders the engine
   * did not place keep their symbols out of trading while they are open.
   */
  async reconcile(interrupted?: JournalEntry): Promise<string[]> {
    const broker = this.deps.broker;
    const positions = positionsMap(await this.call('getPositions', () => broker.getPositions()));
    const open = await this.call('listOpenOrders', () => broker.listOpenOrders());
    const mismatches: string[] = [];
    const prefix = clientOrderIdPrefix(this.runId);
    const interruptedIds = new Set(
      interrupted ? this.legsOf(interrupted).map((l) => l.clientOrderId) : [],
    );
    this.foreignOrderSymbols = new Set();
    for (const order of open) {
      if (interruptedIds.has(order.clientOrderId)) continue;
      if (order.clientOrderId.startsWith(prefix)) {
        await this.call('cancelOrder', () => broker.cancelOrder(order.id));
        await this.journal(
          'order_update',
          this.lastCycle,
          { status: 'canceled', reason: 'stale order of an earlier cycle', orderId: order.id },
          order.clientOrderId,
        );
      } else {
        this.foreignOrderSymbols.add(order.symbol);
        mismatches.push(
          `open order ${order.clientOrderId} (${order.side} ${order.quantity} ${order.symbol}) is not in the journal`,
        );
      }
    }
    if (this.state.expectedPositions !== null) {
      const expected: Record<string, number> = { ...this.state.expectedPositions };
      if (interrupted) {
        for (const leg of this.legsOf(interrupted)) {
          const order = await this.call('getOrderByClientId', () =>
            broker.getOrderByClientId(leg.clientOrderId),
          );
          if (order) expected[leg.symbol] = (expected[leg.symbol] ?? 0) + signedFilled(order);
        }
      }
      for (const symbol of new Set([...Object.keys(expected), ...Object.keys(positions)])) {
        const want = expected[symbol] ?? 0;
        const have = positions[symbol] ?? 0;
        if (want !== have)
          mismatches.push(`${symbol}: journal expects ${want} shares, broker holds ${have}`);
      }
    }
    this.state.expectedPositions = positions;
    await this.journal('reconciliation', this.lastCycle, {
      positions,
      openOrders: open.map((o) => o.clientOrderId),
      mismatches,
    });
    if (mismatches.length > 0) {
      await this.raise(
        'CRITICAL',
        'RECONCILIATION MISMATCH',
        `${mismatches.length} difference(s) between the journal and the broker; adopting the broker's view`,
        { mismatches },
      );
    }
    this.needsReconcile = false;
    return mismatches;
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
    await this.journal('run_stopped', 0, { reason, lastCycle: this.lastCycle });
  }

  /** Whether {@link TradingEngine.stop} was called. */
  get stopRequested(): boolean {
    return this.stopping;
  }

  private async refreshBars(
    nowMs: number,
  ): Promise<{ stale: string[]; missing: string[]; hybrid: boolean }> {
    const { dailyEnd, hybrid } = await this.bars.refresh(nowMs);
    const stale: string[] = [];
    const missing: string[] = [];
    const gapOf = new Map<string, number>(); // symbols usually share their last date
    for (const symbol of this.config.symbols) {
      const last = this.daily.last(symbol);
      if (!last) {
        missing.push(symbol);
        continue;
      }
      const lastDate = last.timestamp.slice(0, 10);
      let gap = gapOf.get(lastDate);
      if (gap === undefined) {
        gap = weekdaysBetween(lastDate, dailyEnd);
        gapOf.set(lastDate, gap);
      }
      if (gap > this.config.max_stale_sessions) stale.push(symbol);
    }
    return { stale, missing, hybrid };
  }

  private marketStats(symbol: string): SymbolMarketStats {
    return marketStatsFromBars(this.daily.bars(symbol), { windowBars: 20 });
  }

  /**
   * Runs one rebalance at `clock.now()`. Never sends an order on stale data, while the kill
   * switch is tripped (except the reduction a loss breach asks for) or when the risk verdict
   * forbids new exposure (reducing orders still go).
   */
  async runCycle(): Promise<CycleReport> {
    if (this.stopping) throw new StateError('the engine was stopped');
    if (!this.started) await this.start();
    if (this.needsReconcile) await this.reconcile();
    await this.loadKillSwitch();
    const cycle = this.lastCycle + 1;
    this.lastCycle = cycle;
    this.cycleStats = {};
    const nowMs = this.deps.clock.now();
    const timestamp = iso(nowMs);
    await this.releaseDailyLossHalt(timestamp);
    const base = this.emptyReport(cycle, timestamp);
    try {
      return await this.cycleBody(cycle, nowMs, base);
    } catch (error) {
      if (error instanceof BrokerError) this.needsReconcile = true;
      await this.raise(
        'CRITICAL',
        'CYCLE FAILED',
        error instanceof Error ? error.message : String(error),
        { cycle },
      );
      throw error;
    }
  }

  private emptyReport(cycle: number, timestamp: string): CycleReport {
    return {
      runId: this.runId,
      cycle,
      timestamp,
      status: 'skipped',
      decisions: [],
      weights: {},
      health: {},
      ic: {},
      hybrid: false,
      plannedOrders: [],
      orders: [],
      fills: [],
      riskVerdict: null,
      estimatedCostUsd: 0,
      buyingPowerScale: null,
      hedge: null,
      equityUsd: 0,
      equityAfterUsd: 0,
      leverageAfter: 0,
    };
  }

  private async finishWithout(
    report: CycleReport,
    status: CycleStatus,
    reason: string,
  ): Promise<CycleReport> {
    const out: CycleReport = { ...report, status, reason };
    await this.journal('cycle_completed', report.cycle, { status, reason });
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
    const broker = this.deps.broker;
    const strategy = this.strategy;

    // Data, with the stale-data watchdog.
    const data = await this.refreshBars(nowMs);
    if (data.missing.length > 0 || data.stale.length > 0) {
      const what = [
        ...data.missing.map((s) => `${s}: no bars`),
        ...data.stale.map((s) => `${s}: last bar ${this.daily.last(s)?.timestamp}`),
      ];
      await this.raise(
        'CRITICAL',
        'STALE MARKET DATA',
        `no trading on stale data (${what.join('; ')})`,
        { cycle, symbols: [...data.missing, ...data.stale] },
      );
      return this.finishWithout(base, 'skipped', `stale market data: ${what.join('; ')}`);
    }

    const marketClock = await this.call('getClock', () => broker.getClock());
    const timeInForce: TimeInForce = marketClock.isOpen ? 'day' : 'gtc';
    await this.cancelStaleOrders(cycle);

    const account = await this.call('getAccount', () => broker.getAccount());
    const positionList = await this.call('getPositions', () => broker.getPositions());
    const current = positionsMap(positionList);
    const timestamp = base.timestamp;
    await this.applyLossAcknowledgement(account.portfolioValueUsd);
    const verdict = this.riskMonitor.check(account, positionList, { asOf: timestamp });
    await this.journal('risk_verdict', cycle, verdict);
    const hedge = this.stepTailHedge(account.equityUsd, verdict.metrics.drawdown);
    await this.saveState();

    // Strategy and sizing (computed even when halted, so the report shows what was wanted).
    const output = await strategy.decide({
      cycle,
      timestamp,
      symbols: this.config.symbols,
      benchmarkSymbol: this.config.benchmark_symbol,
      daily: this.daily,
      ...(data.hybrid ? { hourly: this.hourly } : {}),
      equityUsd: account.equityUsd,
      positions: current,
    });
    const notes = output.notes?.join(' | ') ?? '';
    if (notes !== this.lastNotes) {
      if (notes !== '') this.logger.info({ cycle, notes: output.notes }, 'strategy notes');
      this.lastNotes = notes;
    }
    const { targets, decisions, stats } = await this.size(output, account, current);
    this.cycleStats = stats;

    let finalTargets: Record<string, number> = targets;
    let liquidation = false;
    let status: CycleStatus = this.config.dry_run ? 'dry_run' : 'traded';
    let reason: string | undefined;
    if (this.killSwitch.isTripped) {
      if (verdict.requiresReduction) {
        liquidation = true;
        finalTargets = this.reductionTargets(current);
        reason = `kill switch tripped (${this.killSwitch.reason ?? ''}): ${this.config.on_loss_breach}`;
      } else {
        await this.journal('decision', cycle, { status: 'halted', targets, legs: [] });
        const report = {
          ...base,
          ...this.strategyFields(output),
          hedge,
          decisions,
          riskVerdict: verdict,
          equityUsd: account.equityUsd,
        };
        return this.finishWithout(
          report,
          'halted',
          `kill switch tripped: ${this.killSwitch.reason ?? ''}`,
        );
      }
      if (!this.config.dry_run) status = 'halted';
    }
    for (const symbol of this.foreignOrderSymbols) delete finalTargets[symbol];

    // Pre-trade cost report (spec 6.3) and the order plan (spec 7.1).
    const cost = preTradeCostReport(finalTargets, current, stats);
    // One record per symbol and cycle: built only when the info level is logged.
    if (this.logger.isLevelEnabled?.('info') !== false) {
      for (const line of cost.lines) {
        this.logger.info(
          {
            symbol: line.symbol,
            deltaShares: line.deltaShares,
            priceUsd: line.priceUsd,
            participation: line.participation,
            slippageBps: line.slippageBps,
            costUsd: line.costUsd,
          },
          'estimated cost',
        );
      }
    }
    this.logger.info({ cycle, totalCostUsd: cost.totalCostUsd }, 'total estimated cost');
    const prices: Record<string, number> = {};
    for (const symbol in stats) prices[symbol] = (stats[symbol] as SymbolMarketStats).priceUsd;
    const plan = planOrders({
      targets: finalTargets,
      current,
      pricesUsd: prices,
      buyingPowerUsd: account.buyingPowerUsd,
      minTradeSize: this.config.min_trade_size,
      buyingPowerScale: this.config.buying_power_scale,
      buyingPowerMode: this.config.buying_power_mode,
    });
    if (plan.scaleFactor !== null)
      this.logger.warn(
        { scaleFactor: plan.scaleFactor },
        'insufficient buying power: scaling targets down',
      );
    let legs: LegPayload[] = plan.legs.map((l) => ({
      clientOrderId: clientOrderIdFor(this.runId, cycle, l.symbol, l.leg),
      symbol: l.symbol,
      leg: l.leg,
      side: l.side,
      quantity: l.quantity,
      timeInForce,
      increasesExposure: l.increasesExposure,
    }));
    if (verdict.blocksNewExposure || liquidation) {
      const blocked = legs.filter((l) => l.increasesExposure);
      if (blocked.length > 0)
        this.logger.warn(
          { blocked: blocked.length, breaches: verdict.breaches.map((b) => b.limit) },
          'risk verdict blocks new exposure',
        );
      legs = legs.filter((l) => !l.increasesExposure);
      if (!liquidation && status === 'traded')
        reason = `new exposure blocked: ${verdict.breaches.map((b) => b.limit).join(', ')}`;
    }
    // The decisions are this cycle's own objects: the scaled targets are written into them.
    const finalDecisions: DecisionReport[] = decisions.map((d) => {
      const scaled = plan.targets[d.symbol];
      if (scaled !== undefined && scaled !== d.targetShares)
        (d as { targetShares: number }).targetShares = scaled;
      return d;
    });
    // Journaled: the targets and the order plan (what a restart needs). Per-symbol signals and
    // composites are in the CycleReport and the database's signals table.
    // Legs are JSON as they are (see LegPayload); only the numbers from elsewhere are converted.
    await this.journalJson('decision', cycle, {
      status,
      targets: toJson(plan.targets),
      scaleFactor: plan.scaleFactor === null ? null : jsonNumber(plan.scaleFactor),
      estimatedCostUsd: jsonNumber(cost.totalCostUsd),
      liquidation,
      legs: this.config.dry_run ? [] : legs,
      wouldSend: this.config.dry_run ? legs : [],
    });

    this.logger.info(
      { cycle, legs: legs.length, scaleFactor: plan.scaleFactor, dryRun: this.config.dry_run },
      'decision journaled',
    );
    const plannedOrders: PlannedOrder[] = legs.map((l) => ({
      clientOrderId: l.clientOrderId,
      symbol: l.symbol,
      leg: l.leg,
      side: l.side,
      quantity: l.quantity,
      timeInForce: l.timeInForce,
      increasesExposure: l.increasesExposure,
    }));
    const report: CycleReport = {
      ...base,
      ...this.strategyFields(output),
      hedge,
      status,
      ...(reason !== undefined ? { reason } : {}),
      decisions: finalDecisions,
      plannedOrders,
      riskVerdict: verdict,
      estimatedCostUsd: cost.totalCostUsd,
      buyingPowerScale: plan.scaleFactor,
      equityUsd: account.equityUsd,
    };
    if (this.config.dry_run) {
      for (const l of legs) this.logger.info({ dryRun: true, ...l }, 'would send order');
      return this.completeCycle(cycle, 'dry_run', reason, [], [], report);
    }
    const result = await this.executeLegs(cycle, legs, false, liquidation);
    const finalStatus: CycleStatus = this.killSwitch.isTripped ? 'halted' : status;
    const finalReason = result.haltedMidCycle
      ? `kill switch tripped mid-cycle: ${this.killSwitch.reason ?? ''}`
      : reason;
    return this.completeCycle(cycle, finalStatus, finalReason, result.orders, result.fills, report);
  }

  /**
   * Advances the spec's stateful tail hedge (6.1) once per new benchmark session: portfolio
   * return since the last step, the benchmark's last daily return, and the monitor's drawdown.
   * The hedge is synthetic (it simulates options): its P&L is reported, not traded; a
   * simulation may book it with {@link SimBroker.adjustCash}.
   */
  private stepTailHedge(equityUsd: number, drawdown: number): HedgeReport {
    const bench = this.daily.bars(this.config.benchmark_symbol);
    const last = bench[bench.length - 1];
    const prev = bench[bench.length - 2];
    const snapshot = this.tailHedge.toJSON();
    const idle: HedgeReport = {
      state: snapshot.state,
      activationLevel: snapshot.activationLevel,
      transition: null,
      hedgePnl: 0,
      hedgeCost: 0,
      stepped: false,
    };
    if (!last || !prev || last.timestamp === this.state.hedgeSession || !Number.isFinite(drawdown))
      return idle;
    const previousEquity = this.state.hedgeEquityUsd;
    const portfolioReturn =
      previousEquity && previousEquity > 0 ? equityUsd / previousEquity - 1 : 0;
    const marketReturn = last.close / prev.close - 1;
    const step = this.tailHedge.step(portfolioReturn, marketReturn, drawdown);
    this.state.hedgeEquityUsd = equityUsd;
    this.state.hedgeSession = last.timestamp;
    return {
      state: step.state,
      activationLevel: this.tailHedge.activationLevel,
      transition: step.transition,
      hedgePnl: step.hedgePnl,
      hedgeCost: step.hedgeCost,
      stepped: true,
    };
  }

  private strategyFields(output: StrategyOutput): Pick<
    CycleReport,
    'weights' | 'health' | 'ic' | 'hybrid'
  > & {
    weightsBySymbol?: CycleReport['weightsBySymbol'];
  } {
    return {
      weights: output.weights,
      health: output.health,
      ic: output.ic,
      hybrid: output.hybrid,
      ...(output.weightsBySymbol ? { weightsBySymbol: output.weightsBySymbol } : {}),
    };
  }

  /**
   * The composite after the spec's AdaptivePositionSizer (5.2): one decay step per cycle and
   * symbol, so the sizing sees the buffered, decayed position in [-1, 1] instead of the raw
   * composite. A non-finite composite passes through unchanged (sizing rejects it) and leaves
   * the decay state as it was.
   */
  private decayedComposite(symbol: string, composite: number): number {
    if (!this.config.position_decay || !Number.isFinite(composite)) return composite;
    let decay = this.decay.get(symbol);
    if (!decay) {
      decay = new AdaptiveDecay({
        halfLifeDays: this.config.decay_halflife,
        bufferZone: this.config.buffer_zone,
      });
      this.decay.set(symbol, decay);
    }
    return decay.step(composite).position;
  }

  /**
   * The decay state as columns (`{ symbols, currentPosition, positionAge }`): it changes every
   * cycle, and arrays of numbers serialise several times faster than an object per symbol.
   */
  private decayState(): JsonValue {
    const symbols: string[] = [];
    const currentPosition: JsonValue[] = [];
    const positionAge: JsonValue[] = [];
    for (const [symbol, decay] of this.decay) {
      const state = decay.toJSON();
      symbols.push(symbol);
      currentPosition.push(jsonNumber(state.currentPosition));
      positionAge.push(jsonNumber(state.positionAge));
    }
    return { symbols, currentPosition, positionAge };
  }

  /** Restores {@link TradingEngine.decayState}, or the earlier form `{ [symbol]: state }`. */
  private restoreDecay(raw: JsonValue | undefined): void {
    this.decay.clear();
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return;
    const entries: [string, JsonValue | undefined][] = [];
    const { symbols, currentPosition, positionAge } = raw;
    if (Array.isArray(symbols) && Array.isArray(currentPosition) && Array.isArray(positionAge)) {
      symbols.forEach((symbol, i) =>
        entries.push([
          String(symbol),
          { currentPosition: currentPosition[i] ?? null, positionAge: positionAge[i] ?? null },
        ]),
      );
    } else entries.push(...Object.entries(raw));
    for (const [symbol, state] of entries) {
      try {
        this.decay.set(
          symbol,
          new AdaptiveDecay(
            { halfLifeDays: this.config.decay_halflife, bufferZone: this.config.buffer_zone },
            state as unknown as AdaptiveDecayState,
          ),
        );
      } catch (error) {
        this.logger.warn(
          { symbol, err: String(error) },
          'position decay state unreadable; starting flat',
        );
      }
    }
  }

  private async size(
    output: StrategyOutput,
    account: Account,
    current: Record<string, number>,
  ): Promise<{
    targets: Record<string, number>;
    decisions: DecisionReport[];
    stats: Record<string, SymbolMarketStats>;
  }> {
    const stats: Record<string, SymbolMarketStats> = {};
    const unusable: string[] = [];
    const held = Object.keys(current).filter((symbol) => !this.universe.has(symbol));
    for (const symbol of held.length === 0
      ? this.config.symbols
      : [...this.config.symbols, ...held]) {
      if (!this.daily.has(symbol)) continue;
      try {
        stats[symbol] = this.marketStats(symbol);
      } catch (error) {
        // Too little history (a new listing) or bad bars: that symbol is not traded this cycle.
        if (!(error instanceof DataError)) throw error;
        unusable.push(`${symbol}: ${error.message}`);
      }
    }
    if (unusable.length > 0) {
      await this.raise(
        'WARNING',
        'INSUFFICIENT MARKET DATA',
        `not traded this cycle: ${unusable.join('; ')}`,
      );
    }
    const entries: SizingEntry[] = [];
    const explicit: Record<string, number> = {};
    const usable = output.decisions.filter(
      (d) => stats[d.symbol] !== undefined || !this.daily.has(d.symbol),
    );
    for (const d of usable) {
      const s = stats[d.symbol];
      if (!s) throw new StateError(`strategy decided on ${d.symbol}, which has no bars`);
      if (d.targetShares !== undefined) explicit[d.symbol] = d.targetShares;
      else
        entries.push({
          symbol: d.symbol,
          compositeSignal: this.decayedComposite(d.symbol, d.composite),
          price: s.priceUsd,
          adv20: s.adv,
          confidence: d.confidence,
        });
    }
    const sized =
      entries.length > 0 && account.equityUsd > 0
        ? computeTargetShares(entries, account.equityUsd, {
            max_position_size: this.config.max_position_size,
            min_leverage: this.config.min_leverage,
            max_leverage: this.config.max_leverage,
            max_adv_pct: this.config.max_adv_pct,
          })
        : {};
    const targets: Record<string, number> = {};
    for (const d of usable) targets[d.symbol] = explicit[d.symbol] ?? sized[d.symbol] ?? 0;
    if (this.decay.size > 0) await this.saveIfChanged(STATE_DECAY, this.decayState(), true);
    const decisions: DecisionReport[] = usable.map((d) => ({
      symbol: d.symbol,
      composite: d.composite,
      confidence: d.confidence,
      signals: d.signals,
      targetShares: targets[d.symbol] ?? 0,
      currentShares: current[d.symbol] ?? 0,
      priceUsd: stats[d.symbol]?.priceUsd ?? NaN,
    }));
    return { targets, decisions, stats };
  }

  /** Targets of a loss-breach reduction: 'flatten' closes everything, 'reduce' halves every position. */
  private reductionTargets(current: Record<string, number>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [symbol, qty] of Object.entries(current)) {
      out[symbol] = this.config.on_loss_breach === 'reduce' ? Math.trunc(qty / 2) || 0 : 0;
    }
    return out;
  }

  private async cancelStaleOrders(cycle: number): Promise<void> {
    const open = await this.call('listOpenOrders', () => this.deps.broker.listOpenOrders());
    const prefix = clientOrderIdPrefix(this.runId);
    this.foreignOrderSymbols = new Set();
    for (const order of open) {
      if (order.clientOrderId.startsWith(prefix)) {
        await this.call('cancelOrder', () => this.deps.broker.cancelOrder(order.id));
        await this.journal(
          'order_update',
          cycle,
          { status: 'canceled', reason: 'open order of an earlier cycle', orderId: order.id },
          order.clientOrderId,
        );
      } else {
        this.foreignOrderSymbols.add(order.symbol);
      }
    }
  }

  /**
   * Sends legs in plan order and waits for their fills. Exposure-reducing legs go first and
   * are all awaited before any adding leg; an open leg goes only if its close leg filled
   * completely. With `resume`, a leg the broker already knows is adopted, not resent.
   */
  private async executeLegs(
    cycle: number,
    legs: readonly LegPayload[],
    resume: boolean,
    liquidation = false,
  ): Promise<{
    orders: Order[];
    fills: Fill[];
    adopted: string[];
    submitted: string[];
    haltedMidCycle: boolean;
  }> {
    const orders: Order[] = [];
    const fills: Fill[] = [];
    const adopted: string[] = [];
    const submitted: string[] = [];
    const closeFilled = new Map<string, boolean>();
    let haltedMidCycle = false;
    const reducing = legs.filter((l) => !l.increasesExposure);
    const adding = legs.filter((l) => l.increasesExposure);
    for (const phase of [reducing, adding]) {
      const inFlight: { leg: LegPayload; order: Order }[] = [];
      for (const leg of phase) {
        if (leg.increasesExposure) {
          if (leg.leg === 'open' && closeFilled.get(leg.symbol) !== true) {
            await this.journal(
              'order_update',
              cycle,
              { status: 'skipped', reason: 'close leg did not fill completely' },
              leg.clientOrderId,
            );
            continue;
          }
          if (!(await this.allowsExposure(cycle, liquidation))) {
            haltedMidCycle = this.killSwitch.isTripped;
            await this.journal(
              'order_update',
              cycle,
              { status: 'skipped', reason: 'risk verdict blocks new exposure' },
              leg.clientOrderId,
            );
            continue;
          }
        } else if (this.killSwitch.isTripped && !liquidation) {
          await this.journal(
            'order_update',
            cycle,
            { status: 'skipped', reason: 'kill switch tripped' },
            leg.clientOrderId,
          );
          continue;
        }
        const sent = await this.sendLeg(cycle, leg, resume);
        if (sent.adopted) adopted.push(leg.clientOrderId);
        else if (sent.order) submitted.push(leg.clientOrderId);
        if (sent.order) inFlight.push({ leg, order: sent.order });
        else if (leg.leg === 'close') closeFilled.set(leg.symbol, false);
      }
      for (const { leg, order } of inFlight) {
        let final = order;
        if (leg.timeInForce !== 'gtc') final = await this.awaitFill(cycle, leg, order, fills);
        else if (order.filledQuantity > 0) fills.push(fillFromOrder(order));
        orders.push(final);
        if (leg.leg === 'close') closeFilled.set(leg.symbol, final.status === 'filled');
      }
      if (phase === reducing && legs.some((l) => l.timeInForce === 'gtc')) {
        // Market closed: queued GTC orders cannot fill before the open, so the opening legs
        // of flips wait for a later cycle.
        break;
      }
    }
    return { orders, fills, adopted, submitted, haltedMidCycle };
  }

  /**
   * Re-checks the risk limits with a fresh account snapshot before an order that adds exposure
   * (positions are fetched too unless the account reports its gross exposure).
   */
  private async allowsExposure(cycle: number, liquidation: boolean): Promise<boolean> {
    if (liquidation || this.killSwitch.isTripped) return false;
    const broker = this.deps.broker;
    const account = await this.call('getAccount', () => broker.getAccount());
    const positions =
      account.grossExposureUsd === undefined
        ? await this.call('getPositions', () => broker.getPositions())
        : undefined;
    const verdict: RiskVerdict = this.riskMonitor.check(account, positions, {
      asOf: this.nowIso(),
    });
    if (!verdict.ok) {
      await this.journal('risk_verdict', cycle, verdict);
      await this.saveState();
    }
    return !verdict.blocksNewExposure;
  }

  private async sendLeg(
    cycle: number,
    leg: LegPayload,
    resume: boolean,
  ): Promise<{ order?: Order; adopted: boolean }> {
    const broker = this.deps.broker;
    if (resume) {
      const existing = await this.call('getOrderByClientId', () =>
        broker.getOrderByClientId(leg.clientOrderId),
      );
      if (existing) {
        await this.journalJson(
          'order_sent',
          cycle,
          { adopted: true, order: orderJson(existing) },
          leg.clientOrderId,
        );
        return { order: existing, adopted: true };
      }
    }
    await this.journalJson('order_intent', cycle, leg, leg.clientOrderId);
    const request = {
      clientOrderId: leg.clientOrderId,
      symbol: leg.symbol,
      side: leg.side,
      quantity: leg.quantity,
      type: 'market' as const,
      timeInForce: leg.timeInForce,
    };
    const submit = async (attempt: number): Promise<Order> => {
      if (attempt > 1) {
        // The failed attempt may have reached the venue: look before sending again.
        const known = await broker.getOrderByClientId(leg.clientOrderId);
        if (known) return known;
      }
      return broker.submitOrder(request);
    };
    try {
      const order = await firstAttempt(() => submit(1)).catch((error: unknown) =>
        retry(afterFailedFirstAttempt(error, submit), {
          maxAttempts: 3,
          baseDelayMs: this.config.retry_base_delay_ms,
          sleep: (ms) => this.deps.clock.sleep(ms),
          onRetry: ({ error: e }) => this.noteConnectionTrouble(e),
        }),
      );
      await this.journalJson('order_sent', cycle, { order: orderJson(order) }, leg.clientOrderId);
      if (this.logger.isLevelEnabled?.('info') !== false)
        this.logger.info(
          {
            cycle,
            clientOrderId: leg.clientOrderId,
            symbol: leg.symbol,
            side: leg.side,
            quantity: leg.quantity,
            status: order.status,
          },
          'order sent',
        );
      return { order, adopted: false };
    } catch (error) {
      // The venue refused this order (not a transport problem): record it and go on.
      const refused =
        error instanceof OrderRejectedError ||
        (error instanceof BrokerError &&
          ['insufficient_buying_power', 'market_closed', 'bad_request', 'permission'].includes(
            error.kind,
          ));
      if (refused) {
        const message = error instanceof Error ? error.message : String(error);
        await this.journal(
          'order_update',
          cycle,
          { status: 'rejected', reason: message },
          leg.clientOrderId,
        );
        await this.raise(
          'WARNING',
          'ORDER REJECTED',
          `${leg.side} ${leg.quantity} ${leg.symbol}: ${message}`,
          { clientOrderId: leg.clientOrderId },
        );
        return { adopted: false };
      }
      throw error;
    }
  }

  /** Polls the order until it is final or `fill_timeout_s` passes; then cancels what is left. */
  private async awaitFill(
    cycle: number,
    leg: LegPayload,
    submitted: Order,
    fills: Fill[],
  ): Promise<Order> {
    const broker = this.deps.broker;
    const deadline = this.deps.clock.now() + this.config.fill_timeout_s * 1000;
    let order = submitted;
    // A market order usually fills at once: look again right away, then poll.
    if (isOrderOpen(order.status))
      order =
        (await this.call('getOrderByClientId', () =>
          broker.getOrderByClientId(leg.clientOrderId),
        )) ?? order;
    while (isOrderOpen(order.status) && this.deps.clock.now() < deadline) {
      await this.deps.clock.sleep(this.config.fill_poll_interval_ms);
      order =
        (await this.call('getOrderByClientId', () =>
          broker.getOrderByClientId(leg.clientOrderId),
        )) ?? order;
    }
    if (isOrderOpen(order.status)) {
      await this.call('cancelOrder', () => broker.cancelOrder(order.id));
      order =
        (await this.call('getOrderByClientId', () =>
          broker.getOrderByClientId(leg.clientOrderId),
        )) ?? order;
      await this.raise(
        'WARNING',
        'FILL TIMEOUT',
        `${leg.clientOrderId}: ${order.filledQuantity}/${order.quantity} filled after ${this.config.fill_timeout_s}s; rest canceled`,
        { clientOrderId: leg.clientOrderId },
      );
    }
    await this.journalJson(
      'order_update',
      cycle,
      {
        status: order.status,
        filledQuantity: jsonNumber(order.filledQuantity),
        filledAvgPriceUsd:
          order.filledAvgPriceUsd === undefined ? null : jsonNumber(order.filledAvgPriceUsd),
        orderId: order.id,
      },
      leg.clientOrderId,
    );
    if (order.filledQuantity > 0) {
      const fill = fillFromOrder(order);
      await this.journalJson('fill', cycle, fillJson(fill), order.clientOrderId);
      fills.push(fill);
    }
    return order;
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
    if (leverageAfter > this.config.max_leverage) {
      await this.raise(
        'WARNING',
        'LEVERAGE EXCEEDED AFTER REBALANCE',
        `Leverage: ${leverageAfter.toFixed(2)}x (limit ${this.config.max_leverage.toFixed(2)}x); new exposure stays blocked until it is back under the limit`,
        { cycle },
      );
    }
    this.state.expectedPositions = positionsMap(positions);
    if (orders.length > 0) {
      const filled = orders.filter((o) => o.status === 'filled').length;
      await this.raise(
        'INFO',
        'REBALANCE COMPLETED',
        `cycle ${cycle}: ${filled}/${orders.length} orders filled; equity ${account.equityUsd.toFixed(2)} USD, leverage ${leverageAfter.toFixed(2)}x`,
        { cycle, status },
      );
    }
    await this.journal('cycle_completed', cycle, {
      status,
      reason: reason ?? null,
      equityUsd: account.equityUsd,
      leverage: leverageAfter,
      orders: orders.length,
    });
    await this.saveState();
    const baseReport = report ?? this.emptyReport(cycle, this.nowIso());
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
   * before the cycle reached its sizing. A
   * simulated venue pricing this cycle's fills can use them instead of computing them again.
   */
  marketStatsOf(symbol: string): SymbolMarketStats | undefined {
    return Object.prototype.hasOwnProperty.call(this.cycleStats, symbol)
      ? this.cycleStats[symbol]
      : undefined;
  }

  /** Bars held for a symbol (for reports and tests). */
  barsOf(symbol: string): readonly Bar[] {
    return this.daily.bars(symbol);
  }
}

/** `fn()` as a promise, also when `fn` throws instead of rejecting. */
function firstAttempt<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * For `retry` after a first attempt made outside it: attempt 1 fails again with the same
 * error (so `retry` decides, waits and logs as usual), later attempts call `fn`.
 */
function afterFailedFirstAttempt<T>(
  error: unknown,
  fn: (attempt: number) => Promise<T>,
): (attempt: number) => Promise<T> {
  return (attempt) => (attempt === 1 ? Promise.reject(error) : fn(attempt));
}
