/**
 * @packageDocumentation
 * `@quantpipe/data-adapters/ibkr`: Interactive Brokers (TWS / IB Gateway) broker and market data
 * over `@stoqey/ib` (an optional peer dependency: install it beside this package).
 */
export { IbkrBroker, ACCOUNT_SUMMARY_TAGS } from './ibkr-broker';
export type { IbkrBrokerOptions } from './ibkr-broker';
export { mapIbOrderStatus } from './ibkr-order-status';
export { IbkrMarketData } from './ibkr-market-data';
export type { IbkrMarketDataOptions } from './ibkr-market-data';
export { IbkrConnection } from './ibkr-connection';
export type { IbkrConnectionOptions } from './ibkr-connection';
export type {
  RawExecution,
  RawHistoricalBar,
  RawOpenOrder,
  RawPosition,
  OrderEvent,
} from './ibkr-raw-records';
export { stockContract } from './stock-contract';
export { HistoricalPacer } from './historical-pacer';
export type { HistoricalPacerOptions } from './historical-pacer';
export { planHistoricalRequests, MAX_DAY_DURATION } from './historical-plan';
export type { HistoricalChunk } from './historical-plan';
export { ibkrError } from './ibkr-errors';
export { usEquityMarketClock } from './market-clock';
