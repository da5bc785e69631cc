/**
 * @packageDocumentation
 * The `trader` application's programmatic API: the config schema, the run loop, the admin
 * and history commands, and the operations parts (logs, metrics, dashboard server, schedule).
 * The command line is `src/main.ts`.
 */
export {
  tradingConfigSchema,
  parseTradingConfig,
  alpacaCredentials,
  publicConfig,
  SHARED_PIPELINE_KEYS,
} from './config-schema';
export type { TradingConfig, AlpacaCredentials } from './config-schema';
export { runTrader, loadTradingConfig, engineConfigOf, dryRunIdOf } from './run-trader';
export type { RunTraderOptions, RunTraderResult } from './run-trader';
export {
  killTrader,
  resumeTrader,
  traderStatus,
  initDatabase,
  KILL_SWITCH_STATE_KEY,
} from './admin-commands';
export type { TraderStatus, RunLiveness } from './admin-commands';
export { redactUrl, redactSecrets, REDACTED } from './redact';
export { assertBrokerUrl } from './broker-url';
export { PNL_BASELINE_STATE_KEY } from './run-record';
export { buildCli, runCli } from './cli';
export type { CliIo } from './cli';
export { createLogger, REDACTED_PATHS } from './logger';
export { BrokerClock, OffsetClock } from './broker-clock';
export { DatabaseRecorder } from './db-recorder';
export { connectVenue } from './venues';
export type { BrokerKind, Venue } from './venues';
export { TRADER_VERSION } from './version';
export { createTraderLogger, engineLoggerFor, logCycleSummary } from './log-format';
export type { LogFormat, TraderLoggerOptions } from './log-format';
export { summariseCycle } from './cycle-summary';
export type {
  CycleSummary,
  CycleSummaryFields,
  SummaryContext,
  SummaryLimits,
} from './cycle-summary';
export {
  scheduleOf,
  nextCycleAtMs,
  describeSchedule,
  parseDurationMs,
  scheduleConfigSchema,
} from './schedule';
export type { Schedule, ScheduleConfig } from './schedule';
export { orderHistory, fillHistory, formatOrders, formatFills } from './history';
export type { HistoryFilter, FillRecord } from './history';
export { saveScheduleState, scheduleStateOf, SCHEDULE_STATE_KEY } from './schedule-state';
export type { ScheduleState } from './schedule-state';
export { formatStatus } from './status-text';
export { TraderMetrics } from './metrics';
export { OpsState } from './ops-state';
export type { OpsSnapshot, EquityPoint, OrderRow } from './ops-state';
export { startOpsServer, parseHttpAddress, isLoopbackHost, tokenMatches } from './ops-server';
export type { OpsServer, OpsServerOptions } from './ops-server';
export { healthOf } from './health';
export type { HealthReport } from './health';
export { VenueMonitor, errorKindOf } from './venue-monitor';
export type { VenueMonitorOptions, RaiseAlert } from './venue-monitor';
export type { VenueHooks, RetryObserver } from './venues';
