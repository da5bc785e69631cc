/**
 * @packageDocumentation
 * Historical backtests through the trading engine (simulated clock and broker), with a terminal
 * summary, CSV/JSON outputs, the run stored in the trading database and an offline HTML report.
 */
export {
  parseBacktestConfig,
  backtestConfigSchema,
  pipelineKeysSchema,
  PIPELINE_KEYS,
} from './config/backtest-config';
export type {
  BacktestConfig,
  BacktestConfigInput,
  PipelineKeys,
  SourceKind,
} from './config/backtest-config';
export { ClockBoundedMarketData } from './data/clock-bounded-market-data';
export {
  barCompleteMs,
  lastVisibleTimestamp,
  DAILY_BAR_COMPLETE_HOUR_UTC,
} from './data/bar-visibility';
export { loadMarketFrom } from './data/loaded-market';
export type { LoadedMarket, LoadMarketOptions } from './data/loaded-market';
export { openMarket } from './data/open-market';
export type { OpenedMarket } from './data/open-market';
export { ReadThroughCache } from './data/read-through-cache';
export { buildTimeline } from './runner/timeline';
export type { Step } from './runner/timeline';
export { AccountingAudit } from './runner/accounting-audit';
export type { AuditSummary, AccountingAuditOptions } from './runner/accounting-audit';
export {
  runBacktest,
  engineConfigFor,
  defaultRunId,
  REWEIGHT_INTERVAL_BARS,
} from './runner/run-backtest';
export type { RunBacktestOptions, BacktestOutcome, BacktestOrderLog } from './runner/run-backtest';
export { PipelinedStrategy, StrategyWorker } from './runner/pipelined-strategy';
export type { PipelinedStrategyOptions } from './runner/pipelined-strategy';
export { DecisionLog } from './result/decision-log';
export type { DecisionInput } from './result/decision-log';
export type {
  BacktestResult,
  EquityPoint,
  TradeRecord,
  DecisionRecord,
  SignalStateRecord,
  CompositeMode,
} from './result/backtest-result';
export { equityCsv, tradesCsv, EQUITY_CSV_HEADER, TRADES_CSV_HEADER } from './output/csv-files';
export { computeBacktestMetrics, metricLines, summaryTable } from './output/performance';
export type { BacktestMetrics } from './output/performance';
export { storeRun } from './output/store-run';
export { writeOutputs } from './output/write-outputs';
export type { RunOutputs } from './output/write-outputs';
export { buildHtmlReport, escapeHtml } from './report/html-report';
export type { MetricLine } from './report/html-report';
export { reportCharts, drawdowns, lastPerDate, thin } from './report/chart-specs';
export type { ReportChart } from './report/chart-specs';
export { monthlyReturns } from './report/monthly-returns';
export type { YearReturns } from './report/monthly-returns';
export { renderChartSvg } from './report/render-svg';
export type { ChartSpec } from './report/render-svg';
export { buildProgram, configFromFlags, readConfigFile } from './cli';
export { executeRun } from './run-command';
export type { CommandOutput, ExecuteRunOptions } from './run-command';
export { runMain } from './run-main';
