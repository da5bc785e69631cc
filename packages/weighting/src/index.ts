/**
 * @packageDocumentation
 * Correlation-aware signal weights, risk budgets and the hybrid daily/hourly composite.
 */
export type { SignalFrame } from './signal-frame';
export { signalIcs } from './signal-ics';
export { signalCorrelation } from './signal-correlation';
export { signalWeightObjective } from './signal-objective';
export {
  optimizeSignalWeights,
  prepareSignalWeightProblem,
  solvePreparedSignalWeights,
  MAX_OPTIMISED_SIGNALS,
} from './optimize-signal-weights';
export type {
  CorrelationInput,
  SignalWeightProblem,
  SignalWeights,
  PreparedSignalWeightProblem,
} from './optimize-signal-weights';
export { dynamicCorrelationWeights } from './dynamic-correlation-weights';
export type { DynamicWeightOptions, DynamicWeights } from './dynamic-correlation-weights';
export { CorrelationWeightsWorkspace, correlationWeightsInto } from './correlation-weights';
export type { CorrelationWeightsOptions } from './correlation-weights';
export {
  applyRiskBudgets,
  applyPreparedRiskBudgets,
  prepareRiskBudgets,
  DEFAULT_RISK_BUDGETS,
} from './risk-budgets';
export type { PreparedRiskBudgets, RiskBudgetOptions } from './risk-budgets';
export { combineHybrid } from './combine-hybrid';
export type { HybridInput, HybridComposite } from './combine-hybrid';
export { computeCompositeSignal } from './composite-pipeline';
export type {
  CompositeSignalInput,
  CompositePipelineConfig,
  CompositeRiskBudgets,
  CompositeSignal,
  HourlyBarsInput,
} from './composite-pipeline';
export {
  SIGNAL_NORMALIZATIONS,
  crossSectionalNormalizeInto,
  crossSectionalRanksInto,
  crossSectionalZScoresInto,
  isCrossSectional,
  rollingZScoreAt,
} from './signal-normalization';
export type { SignalNormalization } from './signal-normalization';
