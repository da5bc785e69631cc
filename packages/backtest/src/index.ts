/**
 * @packageDocumentation
 * Backtests through the trading engine — the same code as live trading — with a simulated
 * clock and venue: the timeline, the clock-bounded market view, fill quotes, the accounting
 * audit, results as columns, performance metrics, CSV/JSON outputs, an offline HTML report and
 * the run stored in the trading database.
 */
export {
  parseBacktestConfig,
  backtestConfigSchema,
  pipelineKeysSchema,
  PIPELINE_KEYS,
  REWEIGHT_INTERVAL_BARS,
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
export { buildTimeline, sessionGaps } from './runner/timeline';
export type { SessionGap, Step } from './runner/timeline';
export { AccountingAudit } from './runner/accounting-audit';
export type {
  AuditSummary,
  AccountingAuditOptions,
  AuditedBook,
  BrokerTotals,
} from './runner/accounting-audit';
export type { PnlAttribution, AttributionPoint, SignalAttribution } from './output/pnl-attribution';
export { runBacktest, engineConfigFor, defaultRunId } from './runner/run-backtest';
export type { RunBacktestOptions, BacktestOutcome, BacktestOrderLog } from './runner/run-backtest';
export { DecisionLog } from './result/decision-log';
export { TableDecisionLog } from './result/table-decision-log';
export type { DecisionRowSource } from './result/table-decision-log';
export type { DecisionRecords } from './result/decision-records';
export type { DecisionColumns } from './result/decision-columns';
export type { DecisionInput } from './result/decision-log';
export { TradeLog } from './result/trade-log';
export type { FillFigures } from './result/fill-figures';
export type {
  BacktestResult,
  EquityPoint,
  TradeRecord,
  DecisionRecord,
  SignalStateRecord,
  CompositeMode,
  UniverseChange,
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
export { SimBroker, SimClock } from '@quantpipe/execution';
export type { SimBrokerOptions, SimQuote, SimSlippage } from '@quantpipe/execution';
export { loadMarket, settleMarket } from './data/open-market';
export type { MarketSources } from './data/open-market';
export {
  parseSweepSpec,
  sweepSpecSchema,
  sweepIdOf,
  sweepSpecSha256,
  MAX_SWEEP_JOBS,
} from './sweep/sweep-spec';
export type { SweepSpec, SweepSpecInput, WalkForwardSpec } from './sweep/sweep-spec';
export { parameterPath, canonicalParameterKey, withParameters } from './sweep/parameter-keys';
export { OBJECTIVES, OBJECTIVE_NAMES, objectiveValue } from './sweep/objectives';
export type { ObjectiveName } from './sweep/objectives';
export { walkForwardFolds } from './sweep/walk-forward-folds';
export type { WalkForwardFold, SessionWindow } from './sweep/walk-forward-folds';
export { parameterSets, sweepJobs } from './sweep/sweep-jobs';
export type { ParameterSet, SweepJob } from './sweep/sweep-jobs';
export { planSweep, startPlannedSweep } from './sweep/prepare-sweep';
export type { SweepPlan } from './sweep/prepare-sweep';
export { runSweepJob, workerName } from './sweep/run-sweep-job';
export type { SweepJobMetrics } from './sweep/run-sweep-job';
export { MarketCache } from './sweep/market-cache';
export { summarizeSweep } from './sweep/sweep-summary';
export type {
  SweepSummary,
  ConfigurationResult,
  DeflatedSharpeSummary,
  PboSummary,
  FoldResult,
  WalkForwardSummary,
  JobFailure,
} from './sweep/sweep-summary';
export { dailyReturns, joinReturns, compound } from './sweep/stitch-equity';
export type { DatedReturns } from './sweep/stitch-equity';
export { completeSweep } from './sweep/complete-sweep';
export { buildSweepReport } from './sweep/sweep-report';
export { writeSweepOutputs, sweepCsv } from './sweep/sweep-outputs';
export type { SweepOutputs } from './sweep/sweep-outputs';
export { SweepPool, sweepWorkerModule } from './pool/sweep-pool';
export type { SweepPoolOptions } from './pool/sweep-pool';
export { runLocalSweep, runJobsOnPool } from './pool/run-local-sweep';
export type { LocalSweepOptions, LocalSweepResult, SweepProgress } from './pool/run-local-sweep';
