import {
  ConfigError,
  DataError,
  type Strategy,
  type Alert,
  type AlertSink,
  type Fill,
  type JournalEntryInput,
  type Order,
} from '@quantpipe/core';
import { InMemoryMarketData } from '@quantpipe/data-adapters';
import {
  MemoryJournal,
  SimBroker,
  SimClock,
  TradingEngine,
  simAccountOf,
  type SimQuote,
} from '@quantpipe/execution';
import { marketStatsFromBars, type SymbolMarketStats } from '@quantpipe/risk';
import { ClockBoundedMarketData } from '../data/clock-bounded-market-data';
import type { OpenedMarket } from '../data/open-market';
import type { EquityPoint, SignalStateRecord } from '../result/backtest-result';
import { DecisionLog } from '../result/decision-log';
import { TradeLog } from '../result/trade-log';
import { AccountingAudit } from './accounting-audit';
import type { DriverInput, DriverOutput } from './driver';
import { slippageFor } from './driver';
import { buildTimeline, type Step } from './timeline';

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

/** The strategy the live engine can ask every cycle (a precomputed-only one cannot run here). */
function decidingStrategy(strategy: DriverInput['strategy']): Strategy {
  if (typeof (strategy as Partial<Strategy>).decide !== 'function')
    throw new ConfigError(
      'strategy',
      `${strategy.name} has no decide(): the async driver asks the strategy every cycle`,
    );
  return strategy as Strategy;
}

/**
 * A backtest driven by the live engine (`TradingEngine`, the async driver) over the simulated
 * venue behind the async broker port, as live venues are driven: at each step the clock moves
 * to a bar's close, the broker marks positions at that close, and the engine runs one cycle;
 * its orders fill at the next bar's open (with the slippage model). The engine and the strategy
 * read bars through a {@link ClockBoundedMarketData}, so no bar after the clock can reach a
 * decision. The books are audited at every step ({@link AccountingAudit}). It runs hourly
 * rebalancing, and checks that the synchronous loop decides as the live engine does.
 */
export async function runAsyncDriver(run: DriverInput): Promise<DriverOutput> {
  const { config, opened, engineConfig, logger, runId } = run;
  const { market } = opened;
  const steps = buildTimeline(market, opened, config.rebalance);
  const first = steps[0];
  if (!first) throw new DataError('no sessions to trade');

  const journal = run.keepJournal ? new MemoryJournal() : new MemoryJournal({ keepCycles: 2 });
  const clock = new SimClock(first.decisionMs);
  const source =
    opened.source ?? new InMemoryMarketData({ daily: market.daily, hourly: market.hourly });
  const view = new ClockBoundedMarketData(source, clock);
  let quotes: QuoteBook | undefined;
  const account = simAccountOf(config);
  const broker = new SimBroker({
    initialCashUsd: config.initial_capital,
    clock,
    slippage: slippageFor(config),
    ...account,
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
    // Bounded memory (a backtest never resumes from its journal), unless the journal is asked for.
    journal,
    clock,
    alerts,
    logger,
    runId,
    strategy: decidingStrategy(run.strategy),
    // The estimate and the cost-benefit band charge what the simulated venue charges.
    commission: account.commission,
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

  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as Step;
    clock.set(Math.max(step.decisionMs, clock.now()));
    broker.markToMarket(step.closeUsd, step.timestamp);
    if (broker.book.lastInterestUsd !== 0 || broker.book.lastBorrowFeeUsd !== 0)
      audit.recordFinancing(broker.book.lastInterestUsd, broker.book.lastBorrowFeeUsd);
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

    if (step.next) {
      const book = new QuoteBook(step, opened, (symbol) => engine.marketStatsOf(symbol));
      quotes = book;
      const report = await engine.runCycle();
      cycles++;
      for (const order of report.orders) orders.push(order);
      if (report.riskVerdict?.resumed === true) killSwitchResets++;
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
    run.onProgress?.(i + 1, steps.length);
  }

  return {
    equity,
    trades,
    decisions,
    signalStates,
    alerts: alerts.alerts,
    audit: audit.summary(),
    orderLog: { orders },
    cycles,
    hybridCycles,
    killSwitchResets,
    hedgeActiveSessions,
    steps: steps.length,
    // The live engine's steps need every symbol at every session (see buildTimeline).
    universeChanges: [],
    ...(run.keepJournal ? { journal: await journalEntries(journal, runId) } : {}),
  };
}

/** The run's journal without its sequence numbers (as a loop's event log reads). */
async function journalEntries(journal: MemoryJournal, runId: string): Promise<JournalEntryInput[]> {
  return (await journal.entries({ runId })).map(({ seq: _seq, ...entry }) => entry);
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
