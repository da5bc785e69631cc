/**
 * @packageDocumentation
 * The trading engine (rebalance, order transitions, buying power, reconciliation), the
 * simulated broker, clock and journal, and alerts. Backtests and live trading run this same code.
 */
export { TradingEngine, RISK_ACKNOWLEDGEMENT_STATE_KEY } from './trading-engine';
export type { EngineDeps, CycleRecorder, CycleRecord } from './trading-engine';
export {
  DEFAULT_ENGINE_CONFIG,
  resolveEngineConfig,
  engineConfigSchema,
  engineConfigKeys,
  engineUniverseKeys,
  engineTradingKeys,
  engineLiveKeys,
  engineConfigIssues,
  engineConfigKeysOf,
} from './engine-config';
export type {
  EngineConfig,
  EngineConfigInput,
  EngineConfigKey,
  LossBreachAction,
} from './engine-config';
export { simulationKeys } from './simulation-keys';
export type {
  CycleReport,
  CycleStatus,
  DecisionReport,
  HedgeReport,
  PlannedOrder,
  StartReport,
} from './cycle-report';
export type { RiskVerdict } from '@quantpipe/risk';
export type {
  Strategy,
  StrategyInput,
  StrategyOutput,
  StrategyDecision,
  BarView,
} from '@quantpipe/core';
export { TargetWeightsStrategy } from './target-weights-strategy';
export { SimBroker } from './sim-broker';
export type { SimBrokerOptions, SimQuote } from './sim-broker';
export { SimVenue } from './sim-venue';
export type { SimSlippage, SimVenueOptions, VenueExecution } from './sim-venue';
export { SimClock } from './sim-clock';
export { MemoryJournal } from './memory-journal';
export type { MemoryJournalOptions } from './memory-journal';
export { AlertManager, WebhookAlertSink, MemoryAlertSink } from './alert-manager';
export type { AlertManagerOptions, WebhookAlertSinkOptions } from './alert-manager';
export { clientOrderIdFor, clientOrderIdPrefix } from './client-order-id';
export type { OrderLeg } from './client-order-id';
export { planOrders } from './order-planner';
export { fillFromOrder } from './order-fill';
export type { OrderPlan, OrderPlanInput, PlannedLeg } from './order-planner';
export { BarStore } from './bar-store';
export { UniverseBars } from './universe-bars';
export type { UniverseBarsConfig, UniverseRefresh } from './universe-bars';
export { lastCompleteDailyDate, lastCompleteHourlyStart } from './session-time';
