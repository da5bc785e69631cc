import { computePerformance, type PerformanceReport } from '@quantpipe/risk';
import { lastPerDate } from '../report/chart-specs';
import type { MetricLine } from '../report/html-report';
import type { AuditSummary } from '../runner/accounting-audit';
import type { BacktestResult, UniverseChange } from '../result/backtest-result';
import { runPnlAttribution, type PnlAttribution } from './pnl-attribution';

/** What `metrics.json` holds. */
export interface BacktestMetrics {
  readonly runId: string;
  readonly source: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly symbols: readonly string[];
  /** Symbols that listed or delisted during the run (see {@link UniverseChange}). */
  readonly universeChanges: readonly UniverseChange[];
  readonly benchmarkSymbol: string;
  readonly rebalance: string;
  readonly compositeMode: string;
  readonly compositeReason: string;
  readonly initialCapitalUsd: number;
  readonly finalEquityUsd: number;
  /** Daily-return performance of the strategy, benchmark-relative figures included. */
  readonly performance: PerformanceReport;
  /** The benchmark's own performance over the same days (null without a benchmark). */
  readonly benchmarkPerformance: PerformanceReport | null;
  /** Why there is no benchmark comparison, if there is none. */
  readonly benchmarkNote?: string;
  readonly costs: {
    readonly feesUsd: number;
    readonly slippageUsd: number;
    /** Margin interest charged on the simulated account's cash debit. */
    readonly interestUsd: number;
    /** Short-borrow fees charged on its short positions. */
    readonly borrowFeesUsd: number;
    /** Synthetic tail-hedge P&L booked, net of the hedge's cost (included in both P&Ls). */
    readonly hedgePnlUsd: number;
    /** Equity change had every fill been at its reference price with no commission or financing. */
    readonly grossPnlUsd: number;
    readonly netPnlUsd: number;
  };
  readonly activity: {
    readonly cycles: number;
    readonly trades: number;
    readonly sharesTraded: number;
    readonly notionalTradedUsd: number;
    readonly barsProcessed: number;
    readonly alerts: number;
    /** Kill-switch trips (risk breaches and manual kills), from the run's alerts. */
    readonly killSwitchTrips: number;
    /** Drawdown halts that ended by their cooldown (`kill_switch_reset: cooldown`). */
    readonly killSwitchResets: number;
    readonly hedgeActiveSessions: number;
  };
  readonly audit: AuditSummary;
  /**
   * Per-signal contributions to the composite and to P&L (null when the strategy does not
   * report contributions); `residualUsd` is the gross P&L the holding P&L does not explain
   * (fills at the open rather than the close, the tail hedge).
   */
  readonly pnlAttribution:
    (Omit<PnlAttribution, 'series'> & { readonly residualUsd: number }) | null;
  readonly wallTimeMs: number;
}

/**
 * Metrics from a result: daily returns from the last mark of each session (the first measured
 * from the initial capital), the benchmark's daily returns, and daily turnover (traded notional
 * over the previous day's equity).
 */
export function computeBacktestMetrics(
  result: BacktestResult,
  audit: AuditSummary,
): BacktestMetrics {
  const daily = lastPerDate(result.equity);
  const returns: number[] = [];
  const bench: number[] = [];
  const dates: string[] = [];
  const tradedByDate = new Map<string, number>();
  let sharesTraded = 0;
  let notional = 0;
  for (const t of result.trades) {
    const value = t.quantity * t.priceUsd;
    sharesTraded += t.quantity;
    notional += value;
    // A fill at the open of session d belongs to day d's return.
    const d = t.timestamp.slice(0, 10);
    tradedByDate.set(d, (tradedByDate.get(d) ?? 0) + value);
  }
  const turnover: number[] = [];
  let prevEquity = result.initialCapitalUsd;
  const hasBenchmark = daily.length > 0 && daily.every((p) => p.benchmarkClose !== null);
  let prevBench = daily[0]?.benchmarkClose ?? 1;
  for (const p of daily) {
    returns.push(p.equityUsd / prevEquity - 1);
    if (p.benchmarkClose !== null) bench.push(p.benchmarkClose / prevBench - 1);
    turnover.push((tradedByDate.get(p.date) ?? 0) / prevEquity);
    dates.push(p.date);
    prevEquity = p.equityUsd;
    prevBench = p.benchmarkClose ?? prevBench;
  }
  const finalEquity = daily[daily.length - 1]?.equityUsd ?? result.initialCapitalUsd;
  return {
    runId: result.runId,
    source: result.sourceLabel,
    startDate: result.startDate,
    endDate: result.endDate,
    symbols: result.symbols,
    universeChanges: result.universeChanges,
    benchmarkSymbol: result.benchmarkSymbol,
    ...(result.benchmarkNote === undefined ? {} : { benchmarkNote: result.benchmarkNote }),
    rebalance: result.rebalance,
    compositeMode: result.compositeMode,
    compositeReason: result.compositeReason,
    initialCapitalUsd: result.initialCapitalUsd,
    finalEquityUsd: finalEquity,
    performance: computePerformance(returns, {
      ...(hasBenchmark ? { benchmarkReturns: bench } : {}),
      turnover,
      dates,
    }),
    benchmarkPerformance: hasBenchmark ? computePerformance(bench, { dates }) : null,
    costs: {
      feesUsd: audit.feesUsd,
      slippageUsd: audit.slippageUsd,
      interestUsd: audit.interestUsd,
      borrowFeesUsd: audit.borrowFeesUsd,
      hedgePnlUsd: audit.adjustmentsUsd,
      grossPnlUsd: audit.grossEquityUsd - result.initialCapitalUsd,
      netPnlUsd: finalEquity - result.initialCapitalUsd,
    },
    activity: {
      cycles: result.cycles,
      trades: result.trades.length,
      sharesTraded,
      notionalTradedUsd: notional,
      barsProcessed: result.barsProcessed,
      alerts: result.alerts.length,
      killSwitchTrips: result.alerts.filter((a) => a.message.startsWith('KILL SWITCH TRIPPED'))
        .length,
      killSwitchResets: result.killSwitchResets,
      hedgeActiveSessions: result.hedgeActiveSessions,
    },
    audit,
    pnlAttribution: attributionSummary(result, audit.grossEquityUsd - result.initialCapitalUsd),
    wallTimeMs: result.wallTimeMs,
  };
}

function attributionSummary(
  result: BacktestResult,
  grossPnlUsd: number,
): BacktestMetrics['pnlAttribution'] {
  const a = runPnlAttribution(result);
  if (a === undefined) return null;
  return {
    method: a.method,
    signals: a.signals,
    hourlyPnlUsd: a.hourlyPnlUsd,
    unattributedPnlUsd: a.unattributedPnlUsd,
    holdingPnlUsd: a.holdingPnlUsd,
    residualUsd: grossPnlUsd - a.holdingPnlUsd,
  };
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const ratio = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2));
const usd = (x: number): string =>
  `${x < 0 ? '-' : ''}$${Math.abs(x).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The metrics as labelled lines, for the terminal summary and the report's table. */
export function metricLines(m: BacktestMetrics): MetricLine[] {
  const p = m.performance;
  const b = p.benchmark;
  return [
    { label: 'Period', text: `${m.startDate} → ${m.endDate} (${p.periods} sessions)` },
    { label: 'Initial capital', text: usd(m.initialCapitalUsd) },
    { label: 'Final equity', text: usd(m.finalEquityUsd) },
    { label: 'Total return', text: pct(p.totalReturn) },
    {
      label: `Benchmark (${m.benchmarkSymbol}) return`,
      text: pct(m.benchmarkPerformance?.totalReturn ?? null),
    },
    { label: 'CAGR', text: pct(p.cagr) },
    { label: 'Volatility (ann.)', text: pct(p.annualizedVolatility) },
    { label: 'Sharpe', text: ratio(p.sharpeRatio) },
    { label: 'Sortino', text: ratio(p.sortinoRatio) },
    { label: 'Max drawdown', text: pct(p.maxDrawdown) },
    { label: 'Max drawdown duration', text: `${p.longestDrawdownPeriods} sessions` },
    { label: 'Calmar', text: ratio(p.calmarRatio) },
    { label: 'Hit rate', text: pct(p.hitRate) },
    { label: 'Turnover (ann.)', text: ratio(p.annualizedTurnover) },
    { label: 'Beta', text: ratio(b?.beta ?? null) },
    { label: 'Alpha (ann.)', text: pct(b?.alphaAnnual ?? null) },
    { label: 'Information ratio', text: ratio(b?.informationRatio ?? null) },
    { label: 'Tracking error (ann.)', text: pct(b?.trackingErrorAnnual ?? null) },
    { label: `VaR ${Math.round(p.confidenceLevel * 100)}% (1 day)`, text: pct(p.valueAtRisk) },
    {
      label: `CVaR ${Math.round(p.confidenceLevel * 100)}% (1 day)`,
      text: pct(p.conditionalValueAtRisk),
    },
    { label: 'Fees', text: usd(m.costs.feesUsd) },
    { label: 'Slippage', text: usd(m.costs.slippageUsd) },
    { label: 'Margin interest', text: usd(m.costs.interestUsd) },
    { label: 'Short borrow fees', text: usd(m.costs.borrowFeesUsd) },
    {
      label: 'Tail hedge (net P&L, active sessions)',
      text: `${usd(m.costs.hedgePnlUsd)}, ${m.activity.hedgeActiveSessions}`,
    },
    { label: 'Gross P&L', text: usd(m.costs.grossPnlUsd) },
    { label: 'Net P&L', text: usd(m.costs.netPnlUsd) },
    { label: 'Trades', text: `${m.activity.trades} fills in ${m.activity.cycles} cycles` },
    {
      label: 'Kill-switch trips, halts resumed',
      text: `${m.activity.killSwitchTrips}, ${m.activity.killSwitchResets}`,
    },
    ...(m.universeChanges.length === 0
      ? []
      : [
          {
            label: 'Universe changes (listed, delisted)',
            text: `${m.universeChanges.filter((c) => c.change === 'listed').length}, ${m.universeChanges.filter((c) => c.change === 'delisted').length}`,
          },
        ]),
    {
      label: 'Composite',
      text: m.compositeMode === 'hybrid' ? 'hybrid 70/30 daily/hourly' : 'daily only',
    },
  ];
}

/** A two-column text table of the metric lines for the terminal. */
export function summaryTable(lines: readonly MetricLine[]): string {
  const width = Math.max(...lines.map((l) => l.label.length));
  const valueWidth = Math.max(...lines.map((l) => l.text.length));
  const rule = `+${'-'.repeat(width + 2)}+${'-'.repeat(valueWidth + 2)}+`;
  return [
    rule,
    ...lines.map((l) => `| ${l.label.padEnd(width)} | ${l.text.padStart(valueWidth)} |`),
    rule,
  ].join('\n');
}
