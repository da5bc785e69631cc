/**
 * @packageDocumentation
 * The spec's composite strategy (sections 3–4): per symbol the five daily signals, their
 * walk-forward validation and health, correlation-aware weights with risk budgets, and the
 * 70/30 daily/hourly hybrid — as a streaming {@link CompositeStrategy} for live trading, and as
 * {@link precomputeComposite}, the same numbers for every decision of a backtest in one batch
 * pass.
 */
export { CompositeStrategy } from './composite-strategy';
export {
  compositeStrategyKeys,
  compositeStrategyConfigSchema,
  compositeStrategyConfigIssues,
  compositeStrategyConfigOf,
  resolveCompositeStrategyConfig,
  DEFAULT_COMPOSITE_STRATEGY_CONFIG,
} from './composite-strategy-config';
export type { CompositeStrategyConfig, CompositeStrategyKey } from './composite-strategy-config';
export type { CompositeMarket, DailyCloseSeries, HourlyBarSeries } from './composite-market';
export {
  precomputeComposite,
  precomputeCompositeSymbol,
  createCompositeSymbolColumns,
  createCompositeDecisionTable,
  writeCompositeColumns,
  summariseCompositeDecisions,
  assertCompositeMarket,
} from './precompute-composite';
export type {
  CompositeDecisionTable,
  CompositeSymbolColumns,
  CompositeSymbolFigures,
  CompositeSymbolPass,
} from './precompute-composite';
export { assertDecisionSchedule, decisionScheduleFromCutoffs } from './decision-schedule';
export type { ScheduleCutoffs } from './decision-schedule';
