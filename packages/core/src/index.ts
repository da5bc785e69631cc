/**
 * @packageDocumentation
 * Domain types, ports and typed errors shared by every quantpipe package.
 * No runtime dependencies.
 */
export type { Bar, Timeframe } from './bar';
export type { Account, Position, MarketClock } from './account';
export type {
  OrderSide,
  OrderType,
  TimeInForce,
  OrderStatus,
  OrderRequest,
  Order,
  Fill,
} from './order';
export { FINAL_ORDER_STATUSES, isOrderOpen } from './order';
export {
  assertOrderRequest,
  MAX_CLIENT_ORDER_ID_LENGTH,
  MAX_ORDER_SYMBOL_LENGTH,
} from './order-request';
export type { Alert, AlertLevel, AlertSink } from './alert';
export type { Logger } from './logger';
export { silentLogger } from './logger';
export type { JsonValue, JsonObject } from './json';
export type {
  BarsRequest,
  MarketData,
  MarketDataCache,
  Broker,
  Clock,
  Journal,
  JournalEntry,
  JournalEntryInput,
  JournalEntryKind,
  JournalQuery,
} from './ports';
export { JOURNAL_ENTRY_KINDS } from './ports';
export {
  QuantpipeError,
  ValidationError,
  DataError,
  ConfigError,
  NotFoundError,
  BrokerError,
  OrderRejectedError,
  RiskBreachError,
  StorageError,
  TimeoutError,
  StateError,
  isQuantpipeError,
  isOrderRefusal,
} from './errors';
export type {
  ErrorCode,
  ErrorContext,
  QuantpipeErrorOptions,
  BrokerErrorKind,
  BrokerErrorOptions,
} from './errors';
export { isMissingPackage, loadOptionalDependency } from './optional-dependency';
export {
  isIsoDate,
  isIsoUtcTimestamp,
  isBarTimestamp,
  assertBarTimestamp,
  sessionDateOf,
  dayOfYear,
  EXCHANGE_TIME_ZONE,
} from './time';
export {
  assertFinite,
  assertPositive,
  assertInteger,
  assertSameLength,
  assertArrayLike,
} from './guards';
export { validateBars, checkBarPlausibility, DEFAULT_MAX_JUMP_RATIO } from './validate-bars';
export type { BarPlausibilityOptions } from './validate-bars';
export type { DataWarning, DataWarningKind } from './data-warning';
export { configErrorFromIssues, configKeyOf, describeConfigIssues } from './config-issues';
export type { ConfigIssue } from './config-issues';
export { systemClock } from './clock';
export { retry, isRetryableError, RateLimiter } from './retry';
export type { RetryOptions, RateLimiterOptions } from './retry';
export { newYorkOffsetMinutes, newYorkLocalToUtcMs, newYorkParts } from './exchange-time';
export type { NewYorkParts } from './exchange-time';
export type {
  BarColumns,
  BarView,
  DecisionRow,
  IncrementalPoint,
  IncrementalStrategy,
  PrecomputeInput,
  PrecomputedStrategy,
  Strategy,
  StrategyDecision,
  StrategyInput,
  StrategyOutput,
} from './strategy';
export { isIncrementalStrategy, isPrecomputedStrategy } from './strategy';
export type { DecisionTable, DecisionSchedule } from './decision-table';
export {
  US_EQUITY_CALENDAR_YEARS,
  usEquityHolidays,
  usEquityEarlyCloses,
  isTradingDay,
  sessionOn,
  nextSession,
  previousSession,
  sessionsBetween,
  marketStateAt,
  exchangeSessionOrdinal,
} from './exchange-calendar';
export type { ExchangeSession, MarketState } from './exchange-calendar';
