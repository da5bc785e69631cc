import {
  generateSyntheticMarket,
  readCsvFolder,
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

/**
 * `symbols` daily close series from a folder of `<SYMBOL>_1d.csv` files (e.g. ../shared/data):
 * the market is `marketSymbol`; the symbols are the files whose dates are exactly the market's
 * (the market's own included), taken in turn until there are `symbols` series. The data stays
 * where it is: only timings are printed from it.
 */
export async function csvUniverse(
  directory: string,
  symbols: number,
  marketSymbol = 'SPY',
): Promise<SyntheticUniverse & { readonly sources: readonly string[] }> {
  const { daily } = await readCsvFolder(directory);
  const market = daily[marketSymbol];
  if (market === undefined) throw new Error(`${directory}: no ${marketSymbol}_1d.csv`);
  const dates = market.map((b) => b.timestamp);
  const key = dates.join();
  const sources = Object.keys(daily).filter(
    (s) => (daily[s] ?? []).map((b) => b.timestamp).join() === key,
  );
  return {
    dates,
    marketClose: closesOf(market),
    closes: Array.from({ length: symbols }, (_, i) =>
      closesOf(daily[sources[i % sources.length] as string]),
    ),
    sources,
  };
}
