/**
 * @packageDocumentation
 * Market data and broker adapters: Alpaca, IBKR (TWS), dual broker, CSV history, cached history and a synthetic market.
 */
export {};
