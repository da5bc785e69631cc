/**
 * @packageDocumentation
 * Market data and broker adapters. The root entry holds what needs no broker SDK: CSV history,
 * the synthetic market, in-memory and cached market data, data-quality warnings and the dual
 * broker. Each part also has its own entry point, and the brokers live only in theirs:
 *
 * - `@quantpipe/data-adapters/csv` — `CsvHistory`, `parseCsvBars`
 * - `@quantpipe/data-adapters/synthetic` — `generateSyntheticMarket`
 * - `@quantpipe/data-adapters/alpaca` — needs `@alpacahq/alpaca-trade-api` installed
 * - `@quantpipe/data-adapters/ibkr` — needs `@stoqey/ib` installed
 */
export { InMemoryMarketData } from './in-memory-market-data';
export type { BarsBySymbol } from './in-memory-market-data';
export * from './synthetic/index';
export * from './csv/index';
export { benchmarkFilledDates, marketDataWarnings } from './quality/market-data-warnings';
export type { MarketDataWarningsInput } from './quality/market-data-warnings';
export { DualBrokerAdapter } from './dual/dual-broker-adapter';
export type { DualBrokerParts } from './dual/dual-broker-adapter';
export { CachedMarketData } from './cached/cached-market-data';
export type { CachedMarketDataOptions } from './cached/cached-market-data';
