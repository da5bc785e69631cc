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
  DEFAULT_SYNTHETIC_SYMBOLS,
} from './synthetic/generate-market';
export type {
  SyntheticMarket,
  SyntheticMarketOptions,
  SyntheticSymbolSpec,
} from './synthetic/generate-market';
export { Prng } from './synthetic/prng';
