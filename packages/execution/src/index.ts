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
export { simulationKeys, simAccountOf } from './simulation-keys';
export type { SimulationConfig, SimAccount } from './simulation-keys';
export { commissionOf, calendarDaysBetween, financingOf } from './sim-account';
export type { CommissionModel } from './sim-account';
export type {
  CycleReport,
  CycleStatus,
  DecisionReport,
  HedgeReport,
  PlannedOrder,
  SkippedOrder,
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
export type { SimSlippage, SimVenueOptions, VenueExecution, VenueQuote } from './sim-venue';
export { SimClock } from './sim-clock';
export { MemoryJournal } from './memory-journal';
export type { MemoryJournalOptions } from './memory-journal';
export { AlertManager, WebhookAlertSink, MemoryAlertSink } from './alert-manager';
export type { AlertManagerOptions, WebhookAlertSinkOptions } from './alert-manager';
export { clientOrderIdFor, clientOrderIdPrefix } from './client-order-id';
export type { OrderLeg } from './client-order-id';
export { planOrders } from './order-planner';
export { fillFromOrder } from './order-fill';
export { fillJson, jsonNumber, orderJson } from './journal-payloads';
export { toJson } from './to-json';
export type { OrderPlan, OrderPlanInput, PlannedLeg } from './order-planner';
export { BarStore } from './bar-store';
export { UniverseBars } from './universe-bars';
export type { UniverseBarsConfig, UniverseRefresh } from './universe-bars';
export { lastCompleteDailyDate, lastCompleteHourlyStart, sessionOrdinal } from './session-time';

// The decision core: the synchronous parts both drivers run (see DecisionCore).
export { DecisionCore, legName } from './core/decision-core';
export type { BandedTrade } from './core/decision-core';
export {
  BAND_NONE,
  BAND_NOTIONAL,
  BAND_COST_BENEFIT,
  SKIP_BAND_NOTIONAL,
  SKIP_BAND_COST_BENEFIT,
  bandKindOf,
  bandReason,
  expectedEdgeUsd,
  signalStrength,
} from './core/no-trade-band';
export { newTradeCost, tradeCostInto } from './core/trade-cost';
export type { TradeCost } from './core/trade-cost';
export { engineAlerts } from './core/engine-alerts';
export type { EngineAlert } from './core/engine-alerts';
export { SymbolTable } from './core/symbol-table';
export { RiskGate } from './core/risk-gate';
export type { RiskGateConfig, RiskGateOptions, ReleasedHalt } from './core/risk-gate';
export { HedgeStep } from './core/hedge-step';
export { SizingStep } from './core/sizing-step';
export type { SizingStepConfig } from './core/sizing-step';
export { MarketFigures } from './core/market-figures';
export { CycleDecisions, TARGET_SIZED, TARGET_SHARES, TARGET_WEIGHT } from './core/cycle-decisions';
export { CyclePlan } from './core/cycle-plan';
export type { CyclePlanConfig, CostLineSink } from './core/cycle-plan';
export {
  OrderFlow,
  FLOW_DONE,
  FLOW_SEND,
  FLOW_SKIP,
  FLOW_NEED_SNAPSHOT,
  FLOW_VERDICT,
  FLOW_AWAIT,
  SKIP_CLOSE_NOT_FILLED,
  SKIP_RISK_BLOCKS,
  SKIP_KILL_SWITCH,
  SKIP_MARKET_CLOSED_FLIP,
  closedMarketSkip,
} from './core/order-flow';
export { finalCycleReason, finalCycleStatus } from './core/cycle-outcome';
export { positionMismatches } from './core/position-check';
export type { PositionMismatch } from './core/position-check';
export type { FlowLegs } from './core/order-flow';
export {
  planOrdersInto,
  newPlanBuffers,
  LEG_ADJUST,
  LEG_CLOSE,
  LEG_OPEN,
} from './core/plan-orders-into';
export type { PlanBuffers, PlanColumns, BuyingPowerMode } from './core/plan-orders-into';
export type { LegPayload } from './core/leg-payload';
