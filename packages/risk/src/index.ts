/**
 * @packageDocumentation
 * Risk monitor, kill switch, stateful tail hedge, slippage model, performance metrics and retry
 * policy for any trading bot. Plain data in, decisions out: it depends on `@quantpipe/core`
 * types only and does no I/O.
 */
export { RiskMonitor } from './risk-monitor';
export type {
  RiskLimitName,
  BreachSeverity,
  RiskBreach,
  DailyPnlSource,
  RiskMetrics,
  RiskAction,
  RiskVerdict,
  OrderDecision,
  RiskMonitorState,
  AlertedLimit,
  AlertRepeats,
  RiskMonitorOptions,
  RiskCheckOptions,
  AllowsOrderOptions,
  PositionSnapshot,
  RiskSnapshot,
} from './risk-monitor';
export {
  riskLimitKeys,
  riskLimitsSchema,
  resolveRiskLimits,
  DEFAULT_RISK_LIMITS,
} from './risk-limits';
export type { LossBreachAction, RiskLimitsInput, RiskLimits } from './risk-limits';
export { isExposureIncreasing, heldQuantity } from './order-exposure';
export type { ProposedOrder, Holdings } from './order-exposure';
export { KillSwitch } from './kill-switch';
export type {
  KillSwitchSource,
  KillSwitchState,
  KillSwitchOptions,
  KillSwitchTripOptions,
} from './kill-switch';
export { StatefulTailHedge } from './tail-hedge';
export type {
  TailHedgeState,
  TailHedgeSnapshot,
  TailHedgeStep,
  TailHedgeResult,
} from './tail-hedge';
export {
  tailHedgeKeys,
  tailHedgeConfigSchema,
  tailHedgeConfigIssues,
  resolveTailHedgeConfig,
  DEFAULT_TAIL_HEDGE_CONFIG,
} from './tail-hedge-config';
export type { TailHedgeConfigInput, TailHedgeConfig } from './tail-hedge-config';
export {
  estimateSlippageBps,
  slippageBps,
  HALF_SPREAD_BPS,
  MAX_SLIPPAGE_BPS,
  IMPACT_COEFFICIENT_BPS,
  REFERENCE_VOLATILITY,
} from './slippage';
export type { SlippageInput } from './slippage';
export { marketStatsFromBars, marketStatsInto } from './market-stats';
export type { SymbolMarketStats, MarketStatsOptions, MutableMarketStats } from './market-stats';
export { preTradeCostReport, formatPreTradeCostReport, tradeCostUsd } from './pre-trade-cost';
export type { PreTradeCostLine, PreTradeCostReport, PreTradeCostOptions } from './pre-trade-cost';
export { computePerformance } from './performance-metrics';
export type {
  PerformanceOptions,
  PerformanceReport,
  BenchmarkMetrics,
} from './performance-metrics';
export { analyzeDrawdowns } from './drawdown';
export type { DrawdownAnalysis } from './drawdown';
export { valueAtRisk, conditionalValueAtRisk } from './tail-risk';
export {
  sharpeMoments,
  probabilisticSharpeRatio,
  expectedMaxSharpe,
  deflatedSharpeRatio,
} from './deflated-sharpe';
export type {
  SharpeMoments,
  ProbabilisticSharpeInput,
  DeflatedSharpeInput,
  DeflatedSharpe,
} from './deflated-sharpe';
export { probabilityOfBacktestOverfitting } from './backtest-overfitting';
export type { BacktestOverfitting, BacktestOverfittingOptions } from './backtest-overfitting';
export { standardNormalCdf, standardNormalQuantile } from './normal-distribution';
export { retry, isRetryableError, RateLimiter } from './retry-policy';
export type { RetryOptions, RateLimiterOptions } from './retry-policy';
