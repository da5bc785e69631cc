/**
 * @packageDocumentation
 * Market data and broker adapters: Alpaca, IBKR (TWS), a dual broker, CSV history, cached
 * history and a deterministic synthetic market.
 */
export { InMemoryMarketData } from './in-memory-market-data';
export type { BarsBySymbol } from './in-memory-market-data';
export {
  generateSyntheticMarket,
  syntheticUniverse,
  weekdaySessions,
  exchangeSessions,
  DEFAULT_SYNTHETIC_SYMBOLS,
} from './synthetic/generate-market';
export type {
  SyntheticMarket,
  SyntheticMarketOptions,
  SyntheticSymbolSpec,
  PlantedFactor,
  PlantedSignal,
  SyntheticCalendar,
} from './synthetic/generate-market';
export { Prng } from './synthetic/prng';
export { CsvHistory, readCsvFolder } from './csv/csv-history';
export type { CsvFolderBars } from './csv/csv-history';
export { parseCsvBars, CSV_BAR_HEADER } from './csv/parse-csv-bars';
export { benchmarkFilledDates, marketDataWarnings } from './quality/market-data-warnings';
export type { MarketDataWarningsInput } from './quality/market-data-warnings';
export type { CsvSource } from './csv/parse-csv-bars';
export { AlpacaMarketData } from './alpaca/alpaca-market-data';
export type {
  AlpacaMarketDataOptions,
  AlpacaAdjustment,
  AlpacaFeed,
} from './alpaca/alpaca-market-data';
export { AlpacaBroker } from './alpaca/alpaca-broker';
export type { AlpacaBrokerOptions } from './alpaca/alpaca-broker';
export { createAlpacaClient, ALPACA_PAPER_URL, ALPACA_DATA_URL } from './alpaca/alpaca-client';
export type { AlpacaConnectionOptions, AlpacaRestClient } from './alpaca/alpaca-client';
export { AlpacaCallPolicy } from './alpaca/call-policy';
export type { AlpacaCallPolicyOptions } from './alpaca/call-policy';
export { toAlpacaError, parseRetryAfterMs } from './alpaca/alpaca-errors';
export { fetchMarketReturns, MARKET_RETURNS_FALLBACK_FACTOR } from './alpaca/market-returns';
export type { MarketReturns, MarketReturnsRequest } from './alpaca/market-returns';
export { IbkrBroker, ACCOUNT_SUMMARY_TAGS } from './ibkr/ibkr-broker';
export { mapIbOrderStatus } from './ibkr/ibkr-order-status';
export type { IbkrBrokerOptions } from './ibkr/ibkr-broker';
export { IbkrMarketData } from './ibkr/ibkr-market-data';
export type { IbkrMarketDataOptions } from './ibkr/ibkr-market-data';
export { IbkrConnection } from './ibkr/ibkr-connection';
export { stockContract } from './ibkr/stock-contract';
export type { IbkrConnectionOptions } from './ibkr/ibkr-connection';
export { HistoricalPacer } from './ibkr/historical-pacer';
export type { HistoricalPacerOptions } from './ibkr/historical-pacer';
export { planHistoricalRequests, MAX_DAY_DURATION } from './ibkr/historical-plan';
export type { HistoricalChunk } from './ibkr/historical-plan';
export { ibkrError } from './ibkr/ibkr-errors';
export { usEquityMarketClock } from './ibkr/market-clock';
export { DualBrokerAdapter } from './dual/dual-broker-adapter';
export type { DualBrokerParts } from './dual/dual-broker-adapter';
export { CachedMarketData } from './cached/cached-market-data';
export type { CachedMarketDataOptions } from './cached/cached-market-data';
