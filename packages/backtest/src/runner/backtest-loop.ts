import {
  DataError,
  type Account,
  type Alert,
  type AlertSink,
  type BarColumns,
  type Logger,
  type StrategyOutput,
} from '@quantpipe/core';
import {
  DecisionCore,
  finalCycleReason,
  finalCycleStatus,
  SimVenue,
  engineAlerts,
  sessionOrdinal,
  type CycleStatus,
  type EngineAlert,
  type EngineConfig,
  type HedgeReport,
  type SimAccount,
  type SimSlippage,
  type VenueExecution,
} from '@quantpipe/execution';
import { marketStatsInto, type RiskMetrics } from '@quantpipe/risk';
import type { ColumnarMarket } from '../data/columnar-market';
import type { LoadedMarket } from '../data/loaded-market';
import type { DecisionRecords } from '../result/decision-records';
import type { SignalStateRecord } from '../result/backtest-result';
import { TradeLog } from '../result/trade-log';
import { AccountingAudit } from './accounting-audit';
import { DecisionRecorder } from './decision-recorder';
import type { BacktestSchedule } from './decision-schedule';
import { EquityLog } from './equity-log';
import { EventLog } from './event-log';
import { decideFromTable, decideIncremental, type LoopStrategy } from './loop-strategy';
import { PendingFills } from './pending-fills';
import { SimLegs } from './sim-legs';
import { StreamingFeed } from './streaming-feed';
import type { SessionTimeline } from './timeline';

/** What {@link runBacktestLoop} needs. */
export interface BacktestLoopInput {
  readonly runId: string;
  readonly engineConfig: EngineConfig;
  readonly initialCapitalUsd: number;
  readonly slippage: SimSlippage;
  /** The simulated account: margin or cash, financing rates, commission model. */
  readonly account: SimAccount;
  readonly market: LoadedMarket;
  readonly columns: ColumnarMarket;
  readonly timeline: SessionTimeline;
  readonly schedule: BacktestSchedule;
  readonly strategy: LoopStrategy;
  readonly logger: Logger;
  readonly onProgress?: (done: number, total: number) => void;
}

/** What a loop produced (the run's facts, as columns). */
export interface BacktestLoopOutput {
  readonly equity: EquityLog;
  readonly trades: TradeLog;
  readonly decisions: DecisionRecords;
  readonly signalStates: SignalStateRecord[];
  readonly events: EventLog;
  readonly alerts: Alert[];
  readonly audit: AccountingAudit;
  readonly cycles: number;
  readonly hybridCycles: number;
  readonly killSwitchResets: number;
  readonly hedgeActiveSessions: number;
}

/** Alerts as the engine's alert sink receives them (the risk monitor's and the engine's). */
class AlertList implements AlertSink {
  readonly alerts: Alert[] = [];
  alert(alert: Alert): void {
    this.alerts.push(alert);
  }
}

/**
 * A backtest driven synchronously through the engine's decision core — the parts the live
 * engine runs (risk gate, tail hedge, sizing, cycle plan, order flow) — over a simulated venue
 * that fills in place: no promise, no date and no JSON per bar or per order. Each daily step
 * marks the book at the session's closes, audits it, and runs one cycle whose orders fill at
 * the next session's open with the slippage model. The journal the live engine would write is
 * kept as columns ({@link EventLog}); a test runs the same backtest through the live engine
 * (the async driver over the same venue) and compares orders, fills, journal and equity.
 */
export function runBacktestLoop(input: BacktestLoopInput): BacktestLoopOutput {
  return new BacktestLoop(input).run();
}

class BacktestLoop {
  private readonly core: DecisionCore;
  private readonly venue: SimVenue;
  private readonly sink = new AlertList();
  private readonly events: EventLog;
  private readonly audit: AccountingAudit;
  private readonly trades: TradeLog;
  private readonly recorder: DecisionRecorder;
  private readonly equity: EquityLog;
  private readonly fills = new PendingFills();
  private readonly legs: SimLegs;
  /** Execution scratch of delisting settlements. */
  private readonly exec: VenueExecution = { priceUsd: 0, commissionUsd: 0, slippageUsd: 0 };
  private readonly n: number;
  private readonly byName: Int32Array;
  private readonly feed: StreamingFeed | undefined;
  private nowMs = 0;
  private nowIso = '';
  private cycle = 0;
  private cycles = 0;
  private hybridCycles = 0;
  private killSwitchResets = 0;
  private hedgeActiveSessions = 0;
  private hedgeActive = false;

  constructor(private readonly input: BacktestLoopInput) {
    const c = input.engineConfig;
    this.n = input.columns.symbols.length;
    this.core = new DecisionCore(c, {
      alertSink: this.sink,
      logger: input.logger,
      now: () => this.nowMs,
      // The estimate and the cost-benefit band charge what the simulated venue charges.
      commission: input.account.commission,
    });
    this.venue = new SimVenue({
      initialCashUsd: input.initialCapitalUsd,
      slippage: input.slippage,
      ...input.account,
      symbols: this.core.symbols,
    });
    this.byName = this.core.symbols.byName();
    const decisions = input.schedule.decisions;
    this.recorder = new DecisionRecorder({
      strategy: input.strategy,
      core: this.core,
      columns: input.columns,
      timeline: input.timeline,
      decisions,
      quantityOf: this.currentOf,
    });
    this.equity = new EquityLog(input.timeline.steps);
    this.trades = new TradeLog();
    this.events = new EventLog(input.runId, (i) => this.core.symbols.name(i), {
      targets: decisions * this.n,
    });
    this.audit = new AccountingAudit({
      initialCashUsd: input.initialCapitalUsd,
      symbols: this.core.symbols,
    });
    this.legs = new SimLegs({
      runId: input.runId,
      core: this.core,
      venue: this.venue,
      events: this.events,
      trades: this.trades,
      fills: this.fills,
      columns: input.columns,
      timeline: input.timeline,
      raise: (alert) => this.raise(alert),
    });
    if (input.strategy.kind === 'streaming')
      this.feed = new StreamingFeed({
        strategy: input.strategy.strategy,
        symbols: c.symbols,
        benchmarkSymbol: c.benchmark_symbol,
        market: input.market,
        columns: input.columns,
        schedule: input.schedule,
        logger: input.logger,
      });
  }

  private raise(alert: EngineAlert): void {
    const full: Alert = {
      level: alert.level,
      title: alert.title,
      message: alert.message,
      timestamp: this.nowIso,
      ...(alert.context ? { context: alert.context } : {}),
    };
    this.events.object('alert', this.cycle, full);
    this.sink.alert(full);
  }

  run(): BacktestLoopOutput {
    const { timeline } = this.input;
    const steps = timeline.steps;
    if (steps === 0) throw new DataError('no sessions to trade');
    this.setClock(timeline.decisionMs[0] as number, timeline.timestamps[0] as string);
    // What the live engine journals when it starts a fresh run.
    this.events.object('reconciliation', 0, { positions: {}, openOrders: [], mismatches: [] });
    this.events.object('run_started', 0, {
      lastCompletedCycle: 0,
      resumedCycle: null,
      mismatches: [],
    });
    let decision = 0;
    for (let k = 0; k < steps; k++) {
      const ms = timeline.decisionMs[k] as number;
      if (ms > this.nowMs) this.setClock(ms, timeline.timestamps[k] as string);
      this.markAndAudit(k);
      if (timeline.nextTimestamp[k] !== undefined) {
        this.runCycle(k, decision);
        decision++;
      }
      this.input.onProgress?.(k + 1, steps);
    }
    return {
      equity: this.equity,
      trades: this.trades,
      decisions: this.recorder.records,
      signalStates: this.recorder.signalStates,
      events: this.events,
      alerts: this.sink.alerts,
      audit: this.audit,
      cycles: this.cycles,
      hybridCycles: this.hybridCycles,
      killSwitchResets: this.killSwitchResets,
      hedgeActiveSessions: this.hedgeActiveSessions,
    };
  }

  private setClock(ms: number, isoString: string): void {
    this.nowMs = ms;
    this.nowIso = isoString;
    this.events.at(isoString);
  }

  private close(symbol: number, bar: number): number {
    return (this.input.columns.daily[symbol] as BarColumns).close[bar] as number;
  }

  /** Marks the book at the step's closes, audits it, and records the equity point. */
  private markAndAudit(k: number): void {
    const { timeline } = this.input;
    const venue = this.venue;
    const n = this.n;
    venue.beginMarks(timeline.dates[k] as string);
    if (venue.lastInterestUsd !== 0 || venue.lastBorrowFeeUsd !== 0)
      this.audit.recordFinancing(venue.lastInterestUsd, venue.lastBorrowFeeUsd);
    for (let s = 0; s < n; s++)
      if (timeline.listed[k * n + s] === 1)
        venue.markAt(s, this.close(s, timeline.barIndex[k * n + s] as number));
    this.audit.checkBook(timeline.timestamps[k] as string, venue, this.byName, (s) =>
      s < n && timeline.listed[k * n + s] === 1
        ? this.close(s, timeline.barIndex[k * n + s] as number)
        : Number.NaN,
    );
    if (timeline.universeChanges.length > 0) this.settleDelisted(k);
    let gross = 0;
    let net = 0;
    for (let j = 0; j < this.byName.length; j++) {
      const s = this.byName[j] as number;
      if (!venue.holds(s)) continue;
      const value = venue.quantityOf(s) * venue.valuationPriceOf(s);
      gross += Math.abs(value);
      net += value;
    }
    const equityUsd = venue.equityUsd();
    this.equity.push(
      k,
      venue.cashUsd,
      net,
      equityUsd,
      gross,
      equityUsd > 0 ? gross / equityUsd : 0,
      venue.feesUsd,
      venue.slippageUsd,
      this.hedgeActive,
      venue.adjustmentsUsd,
    );
  }

  /**
   * Closes the positions in the symbols whose last bar is step `k`'s at that bar's close (no
   * slippage, no commission: the shares are paid out), records the trade, and raises a WARNING.
   */
  private settleDelisted(k: number): void {
    const { timeline, runId } = this.input;
    const n = this.n;
    for (let s = 0; s < n; s++) {
      if (timeline.delistStep[s] !== k || !this.venue.holds(s)) continue;
      const priceUsd = this.close(s, timeline.barIndex[k * n + s] as number);
      const held = this.venue.settle(this.exec, s, priceUsd);
      const side = held > 0 ? -1 : 1;
      const quantity = Math.abs(held);
      const symbol = this.core.symbols.name(s);
      const date = timeline.dates[k] as string;
      this.audit.recordExecution(s, side, quantity, priceUsd, priceUsd, 0);
      this.trades.append({
        timestamp: timeline.timestamps[k] as string,
        cycle: this.cycle,
        symbol,
        side: side === 1 ? 'buy' : 'sell',
        quantity,
        priceUsd,
        referencePriceUsd: priceUsd,
        commissionUsd: 0,
        slippageUsd: 0,
        clientOrderId: `${runId}-delisted-${symbol}-${date}`,
      });
      this.raise({
        level: 'WARNING',
        title: 'POSITION CLOSED AT DELISTING',
        message: `${symbol} has no bar after ${date}: ${held} shares closed at its last close ${priceUsd} USD`,
        context: { symbol, date, shares: held, priceUsd },
      });
    }
  }

  /** The account as the venue reports it, for the cycle's risk check. */
  private account(grossSortedUsd: number): Account {
    const venue = this.venue;
    const equityUsd = venue.equityUsd();
    return {
      accountId: 'sim',
      cashUsd: venue.cashUsd,
      equityUsd,
      lastEquityUsd: venue.sessionStartEquityUsd,
      buyingPowerUsd: venue.buyingPowerUsd(),
      portfolioValueUsd: equityUsd,
      grossExposureUsd: grossSortedUsd,
      dailyPnlUsd: equityUsd - venue.sessionStartEquityUsd,
      timestamp: this.nowIso,
    };
  }

  /** Σ |quantity × mark| over the holdings in name order (as positions are listed). */
  private grossByName(): number {
    let gross = 0;
    for (let j = 0; j < this.byName.length; j++) {
      const s = this.byName[j] as number;
      if (this.venue.holds(s))
        gross += Math.abs(this.venue.quantityOf(s) * this.venue.valuationPriceOf(s));
    }
    return gross;
  }

  /** The decision being sized (read by {@link BacktestLoop.hasBars}). */
  private sizingDecision = 0;
  /**
   * Whether universe symbol `s` has visible daily bars at the decision being sized, or is yet
   * to list: a decision on it is then left out, as one on a symbol with too little history.
   */
  private readonly hasBars = (s: number): boolean => {
    const { schedule, timeline } = this.input;
    const n = this.n;
    const d = this.sizingDecision;
    if (s >= n) return false;
    if ((schedule.dailyEnd[d * n + s] as number) > (schedule.dailyFirst[s] as number)) return true;
    return timeline.barIndex[d * n + s] === -1 && timeline.universeChanges.length > 0;
  };
  private readonly currentOf = (s: number): number => this.venue.quantityOf(s);

  private runCycle(k: number, d: number): void {
    const { core, events, input } = this;
    const gate = core.gate;
    const config = input.engineConfig;
    const cycle = ++this.cycle;
    core.figures.clear();
    const timestamp = this.nowIso;
    const released = gate.releaseDailyLossHalt(timestamp);
    if (released)
      this.raise(engineAlerts.dailyHaltReleased(released.trippedSession, released.reason));

    const account = this.account(this.grossByName());
    const verdict = gate.monitor.check(account, undefined, {
      asOf: timestamp,
      sessionDate: input.timeline.dates[k] as string,
    });
    events.object('risk_verdict', cycle, verdict);
    const hedge = this.stepHedge(d, account.equityUsd, verdict.metrics);

    const output = this.decide(d, cycle, account.equityUsd);
    this.figures(d);
    const decisions = core.decisions;
    this.sizingDecision = d;
    core.sizing.size(
      decisions,
      core.figures,
      this.hasBars,
      account.equityUsd,
      sessionOrdinal(input.timeline.dates[k] as string),
    );
    core.scaleIn(verdict.exposureScale);
    if (verdict.resumed) this.killSwitchResets++;

    const plan = core.plan;
    plan.reset(core.symbols.capacity);
    let status: CycleStatus = config.dry_run ? 'dry_run' : 'traded';
    let reason: string | undefined;
    const currentOf = this.currentOf;
    if (gate.tripped) {
      if (!verdict.requiresReduction) {
        events.object('decision', cycle, {
          status: 'halted',
          targets: core.sizedTargets(),
          legs: [],
        });
        this.recorder.record(timestamp, cycle, d, output, false);
        events.completed(cycle, 'halted', core.haltedReason(), Number.NaN, 0, 0);
        this.afterCycle(d, hedge, account.equityUsd);
        return;
      }
      const held = this.heldByName();
      plan.reductionOf(held, held.length, currentOf, core.figures);
      reason = core.liquidationReason();
      if (!config.dry_run) status = 'halted';
    } else core.planSized(currentOf);
    const banded = plan.bandCount;

    const costUsd = plan.estimateCost(core.figures);
    const blockAdding = core.blocksAdding(verdict);
    plan.planOrders(account.buyingPowerUsd, blockAdding);
    if (blockAdding && !plan.liquidation && status === 'traded')
      reason = DecisionCore.blockedReason(verdict);
    this.recorder.record(timestamp, cycle, d, output, true);
    const targetsFrom = events.targetsMark;
    for (let i = 0; i < plan.count; i++)
      events.target(plan.symbol[i] as number, plan.scaledTarget(i));
    const firstLeg = this.legs.journal(cycle);
    const scale = core.scaleFactor();
    events.decision(
      cycle,
      status,
      plan.liquidation,
      scale ?? Number.NaN,
      costUsd,
      targetsFrom,
      firstLeg,
      plan.keptCount,
      config.dry_run,
    );
    // Trades inside the no-trade band, journaled after the decision as the live engine does.
    if (banded > 0 && !config.dry_run)
      for (const b of core.bandedTrades(input.runId, cycle)) {
        const { clientOrderId, ...skip } = b;
        events.object('order_update', cycle, { status: 'skipped', ...skip }, clientOrderId);
      }
    if (config.dry_run) {
      this.complete(cycle, 'dry_run', reason, 0, 0);
      this.afterCycle(d, hedge, account.equityUsd);
      return;
    }
    const { orders, filled, skipped, haltedMidCycle } = this.legs.execute(k, cycle, this.nowIso);
    const finalStatus = finalCycleStatus(status, gate.tripped, orders);
    const finalReason = haltedMidCycle
      ? `kill switch tripped mid-cycle: ${gate.killSwitch.reason ?? ''}`
      : finalCycleReason(finalStatus, reason, plan.keptCount, skipped, banded);
    this.complete(cycle, finalStatus, finalReason, orders, filled);
    this.afterCycle(d, hedge, account.equityUsd);
  }

  /** Held symbol indices in name order (the order positions are listed in). */
  private heldByName(): Int32Array {
    const out: number[] = [];
    for (let j = 0; j < this.byName.length; j++) {
      const s = this.byName[j] as number;
      if (this.venue.holds(s)) out.push(s);
    }
    return Int32Array.from(out);
  }

  /** The tail hedge's step on the benchmark's last two visible daily bars. */
  private stepHedge(d: number, equityUsd: number, risk: RiskMetrics): HedgeReport {
    const { grossExposureUsd, drawdown } = risk;
    const { columns, schedule } = this.input;
    const bench = columns.benchmark;
    const end = schedule.benchmarkEnd[d] as number;
    const first = schedule.benchmarkFirst;
    if (!bench || end - first < 2)
      return this.core.hedge.step(
        equityUsd,
        grossExposureUsd,
        drawdown,
        undefined,
        Number.NaN,
        Number.NaN,
      );
    return this.core.hedge.step(
      equityUsd,
      grossExposureUsd,
      drawdown,
      bench.timestamps[end - 1] as string,
      bench.close[end - 1] as number,
      bench.close[end - 2] as number,
    );
  }

  /** The strategy's decisions at decision `d` into the core's decision columns. */
  private decide(d: number, cycle: number, equityUsd: number): StrategyOutput | undefined {
    const { core, input } = this;
    const strategy = input.strategy;
    if (strategy.kind === 'incremental') {
      decideIncremental(strategy, d, this.n, equityUsd, this.currentOf, core.decisions);
      return undefined;
    }
    if (strategy.kind === 'table') {
      decideFromTable(strategy.table, d, this.n, core.decisions);
      return undefined;
    }
    const positions: Record<string, number> = {};
    for (let j = 0; j < this.byName.length; j++) {
      const s = this.byName[j] as number;
      if (this.venue.holds(s)) positions[core.symbols.name(s)] = this.venue.quantityOf(s);
    }
    const result = (this.feed as StreamingFeed).decide(d, cycle, this.nowIso, equityUsd, positions);
    core.decisions.fill(result, core.symbols);
    return result;
  }

  /** The market figures of the symbols with visible bars: the last 20 daily bars. */
  private figures(d: number): void {
    const { core, input } = this;
    const { columns, schedule } = input;
    const n = this.n;
    const unusable: string[] = [];
    const { timeline } = input;
    for (let s = 0; s < n; s++) {
      const first = schedule.dailyFirst[s] as number;
      const end = schedule.dailyEnd[d * n + s] as number;
      // Tradable: listed now and at the next session, where the orders fill.
      if (end <= first || (timeline.nextIndex[d * n + s] as number) < 0) continue;
      const series = columns.daily[s] as BarColumns;
      try {
        marketStatsInto(
          core.figures.scratch,
          series.close,
          series.volume,
          first,
          end,
          20,
          252,
          series.symbol,
        );
        core.figures.setFrom(s);
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
        unusable.push(`${series.symbol}: ${error.message}`);
      }
    }
    if (unusable.length > 0) this.raise(engineAlerts.insufficientData(unusable));
  }

  /** The post-trade leverage check, the completion alerts and the `cycle_completed` entry. */
  private complete(
    cycle: number,
    status: string,
    reason: string | undefined,
    orders: number,
    filled: number,
  ): void {
    const config = this.input.engineConfig;
    const equityUsd = this.venue.equityUsd();
    const gross = this.grossByName();
    const leverageAfter = equityUsd > 0 ? gross / equityUsd : 0;
    if (leverageAfter > config.max_leverage)
      this.raise(engineAlerts.leverageAfterRebalance(leverageAfter, config.max_leverage, cycle));
    if (orders > 0)
      this.raise(
        engineAlerts.rebalanceCompleted(cycle, filled, orders, equityUsd, leverageAfter, status),
      );
    this.events.completed(cycle, status, reason, equityUsd, leverageAfter, orders);
  }

  /** What the backtest does after each cycle: books the synthetic hedge, audits the fills, counts. */
  private afterCycle(d: number, hedge: HedgeReport, equityAtDecisionUsd: number): void {
    this.cycles++;
    this.hedgeActive = hedge.state === 'ACTIVE';
    if (hedge.stepped) {
      // The hedge is synthetic (spec 6.1): its P&L and cost, fractions of the equity at the
      // decision, are booked as cash, as the spec's hedged returns are.
      const amountUsd = (hedge.hedgePnl - hedge.hedgeCost) * equityAtDecisionUsd;
      if (amountUsd !== 0) {
        this.venue.adjustCash(amountUsd);
        this.audit.recordAdjustment(amountUsd);
      }
      if (this.hedgeActive) this.hedgeActiveSessions++;
    }
    this.fills.flushTo(this.audit);
    const strategy = this.input.strategy;
    const hybrid =
      strategy.kind === 'table' ? strategy.table.hybrid[d] === 1 : this.feed?.lastHybrid === true;
    if (hybrid) this.hybridCycles++;
  }
}
