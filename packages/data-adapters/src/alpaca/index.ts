/**
 * @packageDocumentation
 * `@quantpipe/data-adapters/alpaca`: Alpaca market data and broker over the official client
 * (`@alpacahq/alpaca-trade-api`, an optional peer dependency: install it beside this package).
 */
export { AlpacaMarketData } from './alpaca-market-data';
export type { AlpacaMarketDataOptions, AlpacaAdjustment, AlpacaFeed } from './alpaca-market-data';
export { AlpacaBroker } from './alpaca-broker';
export type { AlpacaBrokerOptions } from './alpaca-broker';
export { createAlpacaClient, ALPACA_PAPER_URL, ALPACA_DATA_URL } from './alpaca-client';
export type { AlpacaConnectionOptions, AlpacaRestClient } from './alpaca-client';
export { AlpacaCallPolicy } from './call-policy';
export type { AlpacaCallPolicyOptions } from './call-policy';
export { toAlpacaError, parseRetryAfterMs } from './alpaca-errors';
export { fetchMarketReturns, MARKET_RETURNS_FALLBACK_FACTOR } from './market-returns';
export type { MarketReturns, MarketReturnsRequest } from './market-returns';
