import {
  generateSyntheticMarket,
  syntheticUniverse as universeSpecs,
} from '@quantpipe/data-adapters';

/**
 * The signals benchmark's input: the project's deterministic synthetic market (one-factor
 * model with volatility clustering and a stress episode), reduced to daily close series.
 */
export interface SyntheticUniverse {
  readonly dates: string[];
  readonly marketClose: Float64Array;
  readonly closes: Float64Array[];
}

const closesOf = (bars: readonly { close: number }[] | undefined): Float64Array =>
  Float64Array.from(bars ?? [], (b) => b.close);

/** `symbols` x `bars` daily closes and the market index; the same seed gives the same universe. */
export function syntheticUniverse(symbols: number, bars: number, seed: number): SyntheticUniverse {
  const market = generateSyntheticMarket({
    seed,
    sessions: bars,
    symbols: universeSpecs(symbols, seed),
    includeHourly: false,
  });
  return {
    dates: [...market.dates],
    marketClose: closesOf(market.daily[market.marketSymbol]),
    closes: market.symbols.map((s) => closesOf(market.daily[s])),
  };
}
