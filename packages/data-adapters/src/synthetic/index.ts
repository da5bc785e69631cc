/**
 * @packageDocumentation
 * `@quantpipe/data-adapters/synthetic`: a deterministic synthetic market (planted factors and
 * signals, US exchange or weekday calendar) for tests, examples and benchmarks.
 */
export {
  generateSyntheticMarket,
  syntheticUniverse,
  weekdaySessions,
  exchangeSessions,
  DEFAULT_SYNTHETIC_SYMBOLS,
} from './generate-market';
export type {
  SyntheticMarket,
  SyntheticMarketOptions,
  SyntheticSymbolSpec,
  PlantedFactor,
  PlantedSignal,
  SyntheticCalendar,
} from './generate-market';
export { Prng } from './prng';
