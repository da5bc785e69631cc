import {
  ConfigError,
  DataError,
  type Account,
  type Alert,
  type AlertSink,
  type BarColumns,
  type DecisionRow,
  type DecisionTable,
  type IncrementalStrategy,
  type Logger,
  type Strategy,
  type StrategyOutput,
} from '@quantpipe/core';
import {
  DecisionCore,
  finalCycleReason,
  finalCycleStatus,
  FLOW_AWAIT,
  FLOW_DONE,
  FLOW_NEED_SNAPSHOT,
  FLOW_SEND,
  FLOW_SKIP,
  FLOW_VERDICT,
  SimVenue,
  TARGET_SHARES,
  TARGET_SIZED,
  TARGET_WEIGHT,
  clientOrderIdFor,
  engineAlerts,
  legName,
  sessionOrdinal,
  type CycleStatus,
  type EngineAlert,
  type EngineConfig,
  type HedgeReport,
  type SimAccount,
  type SimSlippage,
  type VenueExecution,
} from '@quantpipe/execution';
import {
  marketStatsInto,
  type MutableMarketStats,
  type RiskMetrics,
  type RiskVerdict,
} from '@quantpipe/risk';
import type { ColumnarMarket } from '../data/columnar-market';
import type { LoadedMarket } from '../data/loaded-market';
import { DecisionLog } from '../result/decision-log';
import type { DecisionRecords } from '../result/decision-records';
import { TableDecisionLog } from '../result/table-decision-log';
import type { SignalStateRecord } from '../result/backtest-result';
import { TradeLog } from '../result/trade-log';
import { AccountingAudit } from './accounting-audit';
import type { BacktestSchedule } from './decision-schedule';
import { EquityLog } from './equity-log';
import { EventLog } from './event-log';
import { ScheduledBarView } from './scheduled-bar-view';
import type { SessionTimeline } from './timeline';

/** The decisions a loop trades: a precomputed table, or a strategy asked every cycle. */
export type LoopStrategy =
  | { readonly kind: 'table'; readonly table: DecisionTable }
  | IncrementalLoopStrategy
  | { readonly kind: 'streaming'; readonly strategy: Strategy };

/** An incremental strategy with the row it writes and the point it reads (reused each decision). */
export interface IncrementalLoopStrategy {
  readonly kind: 'incremental';
  readonly strategy: IncrementalStrategy;
  readonly row: DecisionRow;
  readonly point: { decision: number; equityUsd: number; positions: Float64Array };
}

/** `strategy` ready for the loop over `n` symbols. */
export function incrementalLoopStrategy(
  strategy: IncrementalStrategy,
  n: number,
): IncrementalLoopStrategy {
  return {
    kind: 'incremental',
    strategy,
    row: {
      composite: new Float64Array(n),
      confidence: new Float64Array(n),
      targetShares: new Float64Array(n),
      targetWeights: new Float64Array(n),
    },
    point: { decision: 0, equityUsd: 0, positions: new Float64Array(n) },
  };
}

const NO_SIGNALS: Readonly<Record<string, number>> = Object.freeze({});

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
  /** Decisions of a strategy asked every cycle (as records). */
  private readonly decisionLog: DecisionLog | undefined;
  /** Decisions of a precomputed strategy (rows over its table). */
  private readonly tableLog: TableDecisionLog | undefined;
  private readonly equity: EquityLog;
  private readonly signalStates: SignalStateRecord[] = [];
  private readonly exec: VenueExecution = { priceUsd: 0, commissionUsd: 0, slippageUsd: 0 };
  private readonly stats: MutableMarketStats = { priceUsd: 0, adv: 0, volatility: 0 };
  private readonly n: number;
  private readonly byName: Int32Array;
  private readonly view: ScheduledBarView | undefined;
  private readonly hourlyView: ScheduledBarView | undefined;
  private nowMs = 0;
  private nowIso = '';
  private cycle = 0;
  private nextVenueOrder = 1;
  private cycles = 0;
  private hybridCycles = 0;
  private killSwitchResets = 0;
  private hedgeActiveSessions = 0;
  private hedgeActive = false;
  /** Per symbol: the order row of this cycle's leg, for the await stage. */
  private legOrder = new Int32Array(0);
  private legRows = new Int32Array(0);
  private lastNotes = '';

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
    // Room for the whole run up front: growing columns copies them, and fresh memory is dear.
    const decisions = input.schedule.decisions;
    if (input.strategy.kind === 'table') {
      const table = input.strategy.table;
      const { timeline, columns } = input;
      const n = this.n;
      this.tableLog = new TableDecisionLog(
        {
          symbols: table.symbols,
          signalNames: table.signalNames,
          composite: table.composite,
          confidence: table.confidence,
          signals: table.signals,
          ...(table.contributions ? { contributions: table.contributions } : {}),
          // Decision d is taken at step d, sized at that step's close.
          priceUsd: (d, s) =>
            (columns.daily[s] as BarColumns).close[
              timeline.barIndex[d * n + s] as number
            ] as number,
        },
        decisions * n,
      );
    } else this.decisionLog = new DecisionLog(decisions * this.n);
    this.equity = new EquityLog(input.timeline.steps);
    const legs = decisions * Math.min(this.n, 8);
    this.trades = new TradeLog(legs);
    this.events = new EventLog(input.runId, (i) => this.core.symbols.name(i), {
      entries: 2 * legs + 4 * decisions + 16,
      legs,
      targets: decisions * this.n,
    });
    this.audit = new AccountingAudit({
      initialCashUsd: input.initialCapitalUsd,
      symbols: this.core.symbols,
    });
    if (input.strategy.kind === 'streaming') {
      const view = new ScheduledBarView();
      const { market, schedule, columns } = input;
      market.symbols.forEach((s, i) =>
        view.track(s, market.daily[s] ?? [], schedule.dailyFirst[i] as number, columns.daily[i]),
      );
      const bench = market.daily[market.benchmarkSymbol];
      if (bench && !market.symbols.includes(market.benchmarkSymbol))
        view.track(market.benchmarkSymbol, bench, schedule.benchmarkFirst, columns.benchmark);
      this.view = view;
      if (market.hourly) {
        const hourly = new ScheduledBarView();
        market.symbols.forEach((s, i) =>
          hourly.track(
            s,
            market.hourly?.[s] ?? [],
            schedule.hourlyFirst[i] as number,
            columns.hourly?.[i],
          ),
        );
        this.hourlyView = hourly;
      }
    }
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
      decisions: (this.tableLog ?? this.decisionLog) as DecisionRecords,
      signalStates: this.signalStates,
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
      venue.markAt(s, this.close(s, timeline.barIndex[k * n + s] as number));
    this.audit.checkBook(timeline.timestamps[k] as string, venue, this.byName, (s) =>
      s < n ? this.close(s, timeline.barIndex[k * n + s] as number) : Number.NaN,
    );
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
  /** Whether universe symbol `s` has visible daily bars at the decision being sized. */
  private readonly hasBars = (s: number): boolean => {
    const { schedule } = this.input;
    const n = this.n;
    return (
      s < n &&
      (schedule.dailyEnd[this.sizingDecision * n + s] as number) >
        (schedule.dailyFirst[s] as number)
    );
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
        this.recordDecisions(cycle, d, output, false);
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
    this.recordDecisions(cycle, d, output, true);
    const targetsFrom = events.targetsMark;
    for (let i = 0; i < plan.count; i++)
      events.target(plan.symbol[i] as number, plan.scaledTarget(i));
    if (this.legRows.length < plan.keptCount) this.legRows = new Int32Array(2 * plan.keptCount);
    let firstLeg = -1;
    for (let j = 0; j < plan.keptCount; j++) {
      const row = events.leg(
        cycle,
        plan.legSymbol(j),
        plan.kindAt(j),
        plan.sideAt(j),
        plan.quantityAt(j),
        plan.increasesAt(j),
        false,
      );
      if (j === 0) firstLeg = row;
      this.legRows[j] = row;
    }
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
    const { orders, filled, skipped, haltedMidCycle } = this.executeLegs(k, cycle);
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
    const n = this.n;
    if (strategy.kind === 'incremental') {
      const { row, point } = strategy;
      row.composite.fill(Number.NaN);
      row.confidence.fill(1);
      row.targetShares.fill(Number.NaN);
      row.targetWeights.fill(Number.NaN);
      point.decision = d;
      point.equityUsd = equityUsd;
      for (let s = 0; s < n; s++) point.positions[s] = this.venue.quantityOf(s);
      strategy.strategy.step(point, row);
      core.decisions.reset(n);
      for (let s = 0; s < n; s++) {
        const composite = row.composite[s] as number;
        const shares = row.targetShares[s] as number;
        const weight = row.targetWeights[s] as number;
        const kind =
          shares === shares ? TARGET_SHARES : weight === weight ? TARGET_WEIGHT : TARGET_SIZED;
        if (kind === TARGET_SIZED && composite !== composite) continue;
        core.decisions.push(
          s,
          composite,
          row.confidence[s] as number,
          kind,
          kind === TARGET_SHARES ? shares : weight,
        );
      }
      return undefined;
    }
    if (strategy.kind === 'table') {
      const t = strategy.table;
      core.decisions.reset(n);
      for (let s = 0; s < n; s++) {
        const at = d * n + s;
        if (t.decided[at] !== 1) continue;
        const shares = t.targetShares?.[at] ?? Number.NaN;
        const weight = t.targetWeights?.[at] ?? Number.NaN;
        const kind =
          shares === shares ? TARGET_SHARES : weight === weight ? TARGET_WEIGHT : TARGET_SIZED;
        core.decisions.push(
          s,
          t.composite[at] as number,
          t.confidence[at] as number,
          kind,
          kind === TARGET_SHARES ? shares : weight,
        );
      }
      return undefined;
    }
    const schedule = input.schedule;
    const view = this.view as ScheduledBarView;
    const symbols = input.market.symbols;
    for (let i = 0; i < n; i++)
      view.advance(symbols[i] as string, schedule.dailyEnd[d * n + i] as number);
    if (input.columns.benchmark && !symbols.includes(input.market.benchmarkSymbol))
      view.advance(input.market.benchmarkSymbol, schedule.benchmarkEnd[d] as number);
    const hybrid = schedule.hourlyUsed[d] === 1 && this.hourlyView !== undefined;
    if (this.hourlyView) {
      const hourly = this.hourlyView;
      for (let i = 0; i < n; i++)
        hourly.advance(symbols[i] as string, schedule.hourlyEnd[d * n + i] as number);
    }
    const positions: Record<string, number> = {};
    for (let j = 0; j < this.byName.length; j++) {
      const s = this.byName[j] as number;
      if (this.venue.holds(s)) positions[core.symbols.name(s)] = this.venue.quantityOf(s);
    }
    const result = strategy.strategy.decide({
      cycle,
      timestamp: this.nowIso,
      symbols: input.engineConfig.symbols,
      benchmarkSymbol: input.engineConfig.benchmark_symbol,
      daily: view,
      ...(hybrid ? { hourly: this.hourlyView as ScheduledBarView } : {}),
      equityUsd,
      positions,
    });
    if (result instanceof Promise || typeof (result as { then?: unknown }).then === 'function')
      throw new ConfigError(
        'strategy',
        `${strategy.strategy.name}.decide() returned a promise: a backtest decides synchronously (precompute the strategy, or make decide() synchronous)`,
      );
    const notes = result.notes?.join(' | ') ?? '';
    if (notes !== this.lastNotes) {
      if (notes !== '') input.logger.info({ cycle, notes: result.notes }, 'strategy notes');
      this.lastNotes = notes;
    }
    core.decisions.fill(result, core.symbols);
    this.lastHybrid = result.hybrid;
    return result;
  }

  /** The market figures of the symbols with visible bars: the last 20 daily bars. */
  private figures(d: number): void {
    const { core, input } = this;
    const { columns, schedule } = input;
    const n = this.n;
    const unusable: string[] = [];
    for (let s = 0; s < n; s++) {
      const first = schedule.dailyFirst[s] as number;
      const end = schedule.dailyEnd[d * n + s] as number;
      if (end <= first) continue;
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

  /** The cycle's decision lines into the decision log (with the plan's scaled targets). */
  private recordDecisions(
    cycle: number,
    d: number,
    output: StrategyOutput | undefined,
    scaled: boolean,
  ): void {
    const { core } = this;
    const decisions = core.decisions;
    if (scaled) this.indexPlan();
    const table = this.tableLog;
    const log = this.decisionLog;
    if (table) table.beginCycle(this.nowIso, cycle, d);
    else log?.beginCycle(this.nowIso, cycle);
    for (let i = 0; i < decisions.count; i++) {
      if (core.sizing.usable[i] !== 1) continue;
      const s = decisions.symbol[i] as number;
      let target = core.sizing.targets[i] as number;
      if (scaled) {
        const e = this.planEntry[s] as number;
        if (e >= 0) target = core.plan.scaledTarget(e);
      }
      const current = this.venue.quantityOf(s);
      if (table) {
        table.append(s, target, current);
        continue;
      }
      const strategy = this.input.strategy;
      if (strategy.kind === 'incremental') {
        log?.appendRecord(
          core.symbols.name(s),
          strategy.row.composite[s] as number,
          strategy.row.confidence[s] as number,
          target,
          current,
          core.priceOf(s),
          NO_SIGNALS,
        );
        continue;
      }
      const dec = output?.decisions[i];
      log?.appendRecord(
        core.symbols.name(s),
        dec?.composite ?? Number.NaN,
        dec?.confidence ?? 1,
        target,
        current,
        core.priceOf(s),
        dec?.signals ?? {},
      );
    }
    this.signalStates.push(this.signalState(cycle, d, output));
  }

  /** Per symbol: its plan entry this cycle, or -1. */
  private planEntry = new Int32Array(0);

  private indexPlan(): void {
    const plan = this.core.plan;
    if (this.planEntry.length < this.core.symbols.capacity)
      this.planEntry = new Int32Array(this.core.symbols.capacity);
    this.planEntry.fill(-1);
    for (let e = 0; e < plan.count; e++) this.planEntry[plan.symbol[e] as number] = e;
  }

  private signalState(
    cycle: number,
    d: number,
    output: StrategyOutput | undefined,
  ): SignalStateRecord {
    if (output)
      return {
        timestamp: this.nowIso,
        cycle,
        weights: output.weights,
        health: output.health,
        ic: output.ic,
      };
    const strategy = this.input.strategy;
    // An incremental strategy reports no signal weights, health or IC.
    if (strategy.kind !== 'table')
      return {
        timestamp: this.nowIso,
        cycle,
        weights: NO_SIGNALS,
        health: NO_SIGNALS,
        ic: NO_SIGNALS,
      };
    const t = strategy.table;
    const k = t.signalNames.length;
    const weights: Record<string, number> = {};
    const health: Record<string, number> = {};
    const ic: Record<string, number> = {};
    t.signalNames.forEach((name, i) => {
      weights[name] = t.weights[d * k + i] as number;
      const h = t.health[d * k + i] as number;
      if (h === h) health[name] = h;
      const c = t.ic[d * k + i] as number;
      if (c === c) ic[name] = c;
    });
    return { timestamp: this.nowIso, cycle, weights, health, ic };
  }

  /** Runs the order flow over the cycle's kept legs against the simulated venue. */
  private executeLegs(
    k: number,
    cycle: number,
  ): { orders: number; filled: number; skipped: number; haltedMidCycle: boolean } {
    const { core, venue, events } = this;
    const plan = core.plan;
    const flow = core.flow;
    const timeline = this.input.timeline;
    const n = this.n;
    const fillAt = timeline.nextTimestamp[k] as string;
    if (this.legOrder.length < plan.keptCount) this.legOrder = new Int32Array(2 * plan.keptCount);
    let orders = 0;
    let filled = 0;
    let skipped = 0;
    flow.begin(plan, core.gate, false, core.symbols.capacity);
    for (let action = flow.next(); action !== FLOW_DONE; action = flow.next()) {
      const j = flow.leg;
      const row = this.legRows[j] as number;
      if (action === FLOW_SKIP) {
        events.skipped(row, flow.skipReason);
        skipped++;
      } else if (action === FLOW_NEED_SNAPSHOT) {
        const snap = flow.snapshot;
        const equityUsd = venue.equityUsd();
        snap.portfolioValueUsd = equityUsd;
        snap.equityUsd = equityUsd;
        snap.grossExposureUsd = venue.grossExposureUsd();
        snap.dailyPnlUsd = equityUsd - venue.sessionStartEquityUsd;
        snap.lastEquityUsd = venue.sessionStartEquityUsd;
        flow.checkExposure(this.nowIso);
      } else if (action === FLOW_VERDICT) {
        events.object('risk_verdict', cycle, core.gate.lastVerdict as RiskVerdict);
      } else if (action === FLOW_SEND) {
        const s = plan.legSymbol(j);
        const side = plan.sideAt(j);
        const shares = plan.quantityAt(j);
        const venueNumber = this.nextVenueOrder++;
        const bar = timeline.barIndex[k * n + s] as number;
        const next = timeline.nextIndex[k * n + s] as number;
        const series = this.input.columns.daily[s] as BarColumns;
        const reference = series.open[next] as number;
        const refused = venue.rejectionReason(
          s,
          side,
          shares,
          venue.addsExposure(s, side, shares) ? reference : Number.NaN,
        );
        if (refused !== undefined) {
          const clientOrderId = clientOrderIdFor(
            this.input.runId,
            cycle,
            core.symbols.name(s),
            legName(plan.kindAt(j)),
          );
          const message = `order ${clientOrderId} rejected: ${refused}`;
          events.intent(row);
          events.object(
            'order_update',
            cycle,
            { status: 'rejected', reason: message },
            clientOrderId,
          );
          this.raise(
            engineAlerts.orderRejected(
              side === 1 ? 'buy' : 'sell',
              shares,
              core.symbols.name(s),
              message,
              clientOrderId,
            ),
          );
          flow.refused();
          continue;
        }
        this.quote(s, bar);
        venue.execute(this.exec, s, side, shares, reference, this.stats.adv, this.stats.volatility);
        const order = events.order(
          row,
          venueNumber,
          'filled',
          shares,
          this.exec.priceUsd,
          this.exec.commissionUsd,
          fillAt,
        );
        events.intentAndSent(order);
        this.legOrder[j] = order;
        this.pendingFill(s, side, shares, this.exec.priceUsd, reference, this.exec.commissionUsd);
        this.trades.appendFill(
          fillAt,
          cycle,
          core.symbols.name(s),
          side,
          shares,
          this.exec.priceUsd,
          reference,
          this.exec.commissionUsd,
          this.exec.slippageUsd,
          this.input.runId,
          legName(plan.kindAt(j)),
        );
        flow.sent();
      } else if (action === FLOW_AWAIT) {
        const order = this.legOrder[j] as number;
        events.finalAndFill(order);
        orders++;
        filled++;
        flow.final(true);
      }
    }
    return { orders, filled, skipped, haltedMidCycle: flow.haltedMidCycle };
  }

  /**
   * The slippage inputs of a fill of symbol `s` (step bar `bar`): the figures the cycle sized
   * with, else the 20 daily bars ending at the step's bar.
   */
  private quote(s: number, bar: number): void {
    const f = this.core.figures;
    const series = this.input.columns.daily[s] as BarColumns;
    if (f.has[s] === 1 && f.priceUsd[s] === series.close[bar]) {
      this.stats.adv = f.adv[s] as number;
      this.stats.volatility = f.volatility[s] as number;
      return;
    }
    marketStatsInto(this.stats, series.close, series.volume, 0, bar + 1, 20, 252, series.symbol);
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

  /** The cycle's fills, audited after the hedge is booked (as a backtest records a cycle's report). */
  private fillCount = 0;
  private fillSymbol = new Int32Array(0);
  private fillNumbers = new Float64Array(0);

  private pendingFill(
    symbol: number,
    side: number,
    quantity: number,
    priceUsd: number,
    referenceUsd: number,
    commissionUsd: number,
  ): void {
    const i = this.fillCount++;
    if (i >= this.fillSymbol.length) {
      const size = Math.max(16, 2 * i);
      const sym = new Int32Array(size);
      sym.set(this.fillSymbol);
      this.fillSymbol = sym;
      const num = new Float64Array(size * 5);
      num.set(this.fillNumbers);
      this.fillNumbers = num;
    }
    this.fillSymbol[i] = symbol;
    const x = this.fillNumbers;
    x[i * 5] = side;
    x[i * 5 + 1] = quantity;
    x[i * 5 + 2] = priceUsd;
    x[i * 5 + 3] = referenceUsd;
    x[i * 5 + 4] = commissionUsd;
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
    const x = this.fillNumbers;
    for (let i = 0; i < this.fillCount; i++)
      this.audit.recordExecution(
        this.fillSymbol[i] as number,
        x[i * 5] as number,
        x[i * 5 + 1] as number,
        x[i * 5 + 2] as number,
        x[i * 5 + 3] as number,
        x[i * 5 + 4] as number,
      );
    this.fillCount = 0;
    const strategy = this.input.strategy;
    const hybrid = strategy.kind === 'table' ? strategy.table.hybrid[d] === 1 : this.lastHybrid;
    if (hybrid) this.hybridCycles++;
  }

  private lastHybrid = false;
}
