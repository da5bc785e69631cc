import {
  DataError,
  silentLogger,
  type Alert,
  type AlertSink,
  type Fill,
  type Logger,
  type Order,
} from '@quantpipe/core';
import { InMemoryMarketData } from '@quantpipe/data-adapters';
import {
  MemoryJournal,
  SimBroker,
  compositeStrategyConfigOf,
  resolveEngineConfig,
  SimClock,
  TradingEngine,
  type EngineConfigInput,
  type SimQuote,
  type SimSlippage,
  type Strategy,
} from '@quantpipe/execution';
import { marketStatsFromBars, type SymbolMarketStats } from '@quantpipe/risk';
import type { BacktestConfig } from '../config/backtest-config';
import { ClockBoundedMarketData } from '../data/clock-bounded-market-data';
import { openMarket, type OpenedMarket } from '../data/open-market';
import type { BacktestResult, EquityPoint, SignalStateRecord } from '../result/backtest-result';
import { DecisionLog } from '../result/decision-log';
import { TradeLog } from '../result/trade-log';
import { AccountingAudit, type AuditSummary } from './accounting-audit';
import { PipelinedStrategy, type StrategyWorker } from './pipelined-strategy';
import { buildTimeline, type Step } from './timeline';

/** Sessions between re-estimations of signal weights and health, by `reweight`. */
export const REWEIGHT_INTERVAL_BARS: Readonly<Record<BacktestConfig['reweight'], number>> = {
  every: 1,
  weekly: 5,
  monthly: 21,
};

/** Options of {@link runBacktest}. */
export interface RunBacktestOptions {
  readonly config: BacktestConfig;
  /** A market already opened (tests reuse one); default: opened from `config`. */
  readonly market?: OpenedMarket;
  /**
   * The decision rule; default: the engine's own (the spec's full pipeline: five signals,
   * walk-forward weights and health, the 70/30 hybrid), as in live runs.
   */
  readonly strategy?: Strategy;
  readonly logger?: Logger;
  /** Called after every step with (steps done, steps in all). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Run id (default from the config, else a timestamped one). */
  readonly runId?: string;
  /**
   * A started strategy worker: with it (and no `strategy`), the engine's default strategy runs
   * on a second core, ahead of the engine ({@link PipelinedStrategy}); same decisions, checked
   * against the engine's bars every cycle. The run stops it when done; a caller that starts
   * one must stop it too if the run fails before it gets there.
   */
  readonly strategyWorker?: StrategyWorker;
}

/**
 * Every order the engine placed, in order (for the database). Each order's fill is
 * `fillFromOrder(order)` when it filled: the engine records exactly that fill.
 */
export interface BacktestOrderLog {
  readonly orders: readonly Order[];
}

/**
 * A finished backtest: the result for the outputs, the audit, and the order log. The engine's
 * cycle reports are not kept (a long run would hold every plan and verdict in memory); what
 * the outputs need of them is in the result and the order log.
 */
export interface BacktestOutcome {
  readonly result: BacktestResult;
  readonly audit: AuditSummary;
  readonly orderLog: BacktestOrderLog;
}

/** The engine configuration of a backtest: the pipeline keys, passed on unchanged. */
export function engineConfigFor(config: BacktestConfig, opened: OpenedMarket): EngineConfigInput {
  return {
    ...config.pipeline,
    symbols: opened.market.symbols,
    benchmark_symbol: opened.market.benchmarkSymbol,
    reweight_interval_bars: REWEIGHT_INTERVAL_BARS[config.reweight],
    use_hourly: opened.market.hourly !== undefined,
  };
}

function slippageFor(config: BacktestConfig): SimSlippage {
  if (config.slippage === 'none') return { kind: 'none' };
  if (config.slippage === 'fixed') return { kind: 'fixed', bps: config.costs_bps };
  return { kind: 'model' };
}

/** Default run id: `bt-YYYYMMDD-HHMMSS` (wall clock). */
export function defaultRunId(nowMs = Date.now()): string {
  const iso = new Date(nowMs).toISOString();
  return `bt-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

class CollectingAlertSink implements AlertSink {
  readonly alerts: Alert[] = [];
  alert(alert: Alert): void {
    this.alerts.push(alert);
  }
}

/**
 * Quotes for the fills of one step: the next bar's open as the reference price, stamped at the
 * next bar's start, with ADV and volatility from the daily bars complete at the decision.
 * Computed on demand (only symbols that trade need one) and kept for the step.
 */
class QuoteBook {
  private readonly quotes = new Map<string, SimQuote>();

  constructor(
    private readonly step: Step,
    private readonly opened: OpenedMarket,
    /** The engine's figures for this decision, when it has them (see marketStatsOf). */
    private readonly sizedWith: (symbol: string) => SymbolMarketStats | undefined,
  ) {}

  /** The quote a fill of `symbol` gets at this step, or undefined if it cannot trade. */
  quote(symbol: string): SimQuote | undefined {
    const hit = this.quotes.get(symbol);
    if (hit) return hit;
    const next = this.step.next;
    const priceUsd = next?.openUsd[symbol];
    const index = this.step.dailyIndex[symbol];
    if (!next || priceUsd === undefined || index === undefined) return undefined;
    const bars = this.opened.market.daily[symbol] ?? [];
    // The engine sized this decision from the same 20 bars (ending at the step's bar, which
    // its price confirms); otherwise they are computed here.
    const sized = this.sizedWith(symbol);
    const stats =
      sized !== undefined && sized.priceUsd === bars[index]?.close
        ? sized
        : marketStatsFromBars(bars.slice(Math.max(0, index - 19), index + 1), {
            windowBars: 20,
          });
    const q: SimQuote = {
      priceUsd,
      timestamp: next.timestamp,
      advShares: stats.adv,
      volatility: stats.volatility,
    };
    this.quotes.set(symbol, q);
    return q;
  }
}

/**
 * Runs a backtest through the trading engine — the same code as live trading — with a
 * simulated clock and broker. At each step the clock moves to a bar's close, the broker marks
 * positions at that close, and the engine runs one cycle; its orders fill at the next bar's
 * open (with the slippage model). The engine and the strategy read bars through a
 * {@link ClockBoundedMarketData}, so no bar after the clock can reach a decision. The books are
 * audited at every step ({@link AccountingAudit}).
 */
export async function runBacktest(options: RunBacktestOptions): Promise<BacktestOutcome> {
  const started = Date.now();
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const opened = options.market ?? (await openMarket(config));
  const { market } = opened;
  const engineConfig = resolveEngineConfig(engineConfigFor(config, opened));
  const pipelined =
    options.strategy === undefined && options.strategyWorker !== undefined
      ? PipelinedStrategy.start(options.strategyWorker, {
          daily: market.daily,
          hourly: market.hourly,
          universe: engineConfig,
          strategy: compositeStrategyConfigOf(engineConfig),
        })
      : undefined;
  try {
    const steps = buildTimeline(market, opened, config.rebalance);
    const first = steps[0];
    if (!first) throw new DataError('no sessions to trade');
    pipelined?.plan(steps.filter((s) => s.next !== undefined).map((s) => s.decisionMs));
    const runId = options.runId ?? config.run_id ?? defaultRunId(started);

    const clock = new SimClock(first.decisionMs);
    const source =
      opened.source ?? new InMemoryMarketData({ daily: market.daily, hourly: market.hourly });
    const view = new ClockBoundedMarketData(source, clock);
    let quotes: QuoteBook | undefined;
    const broker = new SimBroker({
      initialCashUsd: config.initial_capital,
      clock,
      slippage: slippageFor(config),
      commissionPerShareUsd: config.commission_per_share_usd,
      quote: (symbol) => {
        const q = quotes?.quote(symbol);
        if (!q)
          throw new DataError(`no quote for ${symbol} at ${new Date(clock.now()).toISOString()}`, {
            context: { symbol },
          });
        return q;
      },
    });
    const alerts = new CollectingAlertSink();
    const engine = new TradingEngine(engineConfig, {
      broker,
      marketData: view,
      // Bounded memory: a backtest never resumes from its journal.
      journal: new MemoryJournal({ keepCycles: 2 }),
      clock,
      alerts,
      logger,
      runId,
      ...(pipelined
        ? { strategy: pipelined }
        : options.strategy
          ? { strategy: options.strategy }
          : {}),
    });
    await engine.start();

    const audit = new AccountingAudit({ initialCashUsd: config.initial_capital });
    const equity: EquityPoint[] = [];
    const trades = new TradeLog();
    const decisions = new DecisionLog();
    const signalStates: SignalStateRecord[] = [];
    const orders: Order[] = [];
    let cycles = 0;
    let hybridCycles = 0;
    let killSwitchResets = 0;
    let hedgeActive = false;
    let hedgeActiveSessions = 0;
    let trippedOn: string | undefined;
    let barsProcessed = 0;
    const barsPerStep = market.symbols.length + 1;

    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as Step;
      clock.set(Math.max(step.decisionMs, clock.now()));
      broker.markToMarket(step.closeUsd, step.timestamp);
      const account = await broker.getAccount();
      const positions = await broker.getPositions();
      audit.check(step.timestamp, account, positions, step.closeUsd, broker);
      let gross = 0;
      let net = 0;
      for (const p of positions) {
        gross += Math.abs(p.marketValueUsd);
        net += p.marketValueUsd;
      }
      equity.push({
        timestamp: step.timestamp,
        date: step.date,
        cashUsd: account.cashUsd,
        positionsValueUsd: net,
        equityUsd: account.equityUsd,
        grossExposureUsd: gross,
        netExposureUsd: net,
        leverage: account.equityUsd > 0 ? gross / account.equityUsd : 0,
        benchmarkClose: step.benchmarkClose,
        feesUsd: broker.feesUsd,
        slippageUsd: broker.slippageUsd,
        hedgeActive,
        hedgePnlUsd: broker.adjustmentsUsd,
      });
      barsProcessed += barsPerStep;

      if (step.next) {
        if (
          engine.halted &&
          trippedOn !== undefined &&
          step.date > trippedOn &&
          config.kill_switch_reset === 'next_session'
        ) {
          await engine.resume();
          killSwitchResets++;
          await alerts.alert({
            level: 'INFO',
            title: 'KILL SWITCH RESET',
            message: `reset by the backtest at session ${step.date} (kill_switch_reset: next_session)`,
            timestamp: step.timestamp,
          });
          trippedOn = undefined;
        }
        const book = new QuoteBook(step, opened, (symbol) => engine.marketStatsOf(symbol));
        quotes = book;
        const report = await engine.runCycle();
        cycles++;
        for (const order of report.orders) orders.push(order);
        if (engine.halted && trippedOn === undefined) trippedOn = step.date;
        const hedge = report.hedge;
        if (hedge) {
          hedgeActive = hedge.state === 'ACTIVE';
          if (hedge.stepped) {
            // The hedge is synthetic (spec 6.1): its P&L and cost, fractions of the equity at
            // the decision, are booked as cash, as the spec's hedged returns are.
            const amountUsd = (hedge.hedgePnl - hedge.hedgeCost) * report.equityUsd;
            if (amountUsd !== 0) {
              broker.adjustCash(amountUsd);
              audit.recordAdjustment(amountUsd);
            }
            if (hedgeActive) hedgeActiveSessions++;
          }
        }
        if (report.hybrid) hybridCycles++;
        for (const fill of report.fills) recordFill(fill, report.cycle, book, audit, trades);
        decisions.append(report.timestamp, report.cycle, report.decisions);
        signalStates.push({
          timestamp: report.timestamp,
          cycle: report.cycle,
          weights: report.weights,
          health: report.health,
          ic: report.ic,
        });
      }
      options.onProgress?.(i + 1, steps.length);
    }

    const compositeMode = hybridCycles > 0 ? 'hybrid' : 'daily';
    const compositeReason =
      hybridCycles === 0
        ? `daily composite alone: ${market.hourly ? 'the engine found no usable hourly bars' : market.hourlyReason}`
        : hybridCycles === cycles
          ? `hybrid on every cycle: ${market.hourlyReason}`
          : `hybrid on ${hybridCycles} of ${cycles} cycles (daily alone where hourly bars were missing)`;
    const result: BacktestResult = {
      runId,
      sourceLabel: market.label,
      symbols: market.symbols,
      benchmarkSymbol: market.benchmarkSymbol,
      ...(market.benchmarkNote === undefined ? {} : { benchmarkNote: market.benchmarkNote }),
      dataWarnings: opened.dataWarnings ?? [],
      rebalance: config.rebalance,
      compositeMode,
      compositeReason,
      initialCapitalUsd: config.initial_capital,
      startDate: opened.startDate,
      endDate: opened.endDate,
      equity,
      trades,
      decisions,
      signalStates,
      cycles,
      killSwitchResets,
      hedgeActiveSessions,
      barsProcessed,
      alerts: alerts.alerts.map((a) => ({
        timestamp: a.timestamp,
        level: a.level,
        message: `${a.title}: ${a.message}`,
      })),
      wallTimeMs: Date.now() - started,
      config,
    };
    return { result, audit: audit.summary(), orderLog: { orders } };
  } finally {
    await pipelined?.close();
  }
}

function recordFill(
  fill: Fill,
  cycle: number,
  quotes: QuoteBook,
  audit: AccountingAudit,
  trades: TradeLog,
): void {
  const quote = quotes.quote(fill.symbol);
  if (!quote)
    throw new DataError(`fill of ${fill.symbol} without a quote`, {
      context: { fill: fill.fillId },
    });
  audit.recordFill(fill, quote.priceUsd);
  trades.append({
    timestamp: fill.timestamp,
    cycle,
    symbol: fill.symbol,
    side: fill.side,
    quantity: fill.quantity,
    priceUsd: fill.priceUsd,
    referencePriceUsd: quote.priceUsd,
    commissionUsd: fill.commissionUsd,
    slippageUsd: Math.abs(fill.priceUsd - quote.priceUsd) * fill.quantity,
    clientOrderId: fill.clientOrderId,
  });
}
