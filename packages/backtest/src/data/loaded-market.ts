import { NotFoundError, isQuantpipeError, type Bar, type MarketData } from '@quantpipe/core';

/** A backtest's whole history, in memory: the runner needs the future bars to price fills. */
export interface LoadedMarket {
  /** Human-readable origin ("synthetic market (seed 1)", "CSV folder data/", …). */
  readonly label: string;
  /** The traded universe. */
  readonly symbols: readonly string[];
  readonly benchmarkSymbol: string;
  /**
   * Set when the benchmark could not be loaded: the strategy then uses the spec's fallback
   * (market returns = returns × 0.6) and the report has no benchmark line. Says why.
   */
  readonly benchmarkNote?: string;
  /** Daily bars by symbol (universe and benchmark), ascending. */
  readonly daily: Readonly<Record<string, readonly Bar[]>>;
  /** Hourly bars by symbol, only when every traded symbol has them. */
  readonly hourly: Readonly<Record<string, readonly Bar[]>> | undefined;
  /** Why hourly bars are (not) available. */
  readonly hourlyReason: string;
}

/** Options of {@link loadMarketFrom}. */
export interface LoadMarketOptions {
  readonly label: string;
  readonly symbols: readonly string[];
  readonly benchmarkSymbol: string;
  /** First date loaded (warm-up included). */
  readonly start: string;
  readonly end?: string;
  /** Try hourly bars too. */
  readonly hourly: boolean;
}

/**
 * Reads the universe and the benchmark from any {@link MarketData} (a CSV folder, the storage
 * cache, Alpaca through the cache) into memory. A symbol without daily bars is a
 * NotFoundError naming it; hourly bars are used only when every traded symbol has them.
 */
export async function loadMarketFrom(
  source: MarketData,
  options: LoadMarketOptions,
): Promise<LoadedMarket> {
  const daily: Record<string, readonly Bar[]> = {};
  const range = {
    start: options.start,
    ...(options.end === undefined ? {} : { end: options.end }),
  };
  for (const symbol of options.symbols) {
    if (daily[symbol]) continue;
    const bars = await source.getBars({ symbol, timeframe: '1Day', ...range });
    if (bars.length === 0) {
      throw new NotFoundError(
        `no daily bars of ${symbol} between ${options.start} and ${options.end ?? 'now'}`,
        {
          context: { symbol },
        },
      );
    }
    daily[symbol] = bars;
  }
  let benchmarkNote: string | undefined;
  if (!daily[options.benchmarkSymbol]) {
    let bars: Bar[] = [];
    try {
      bars = await source.getBars({ symbol: options.benchmarkSymbol, timeframe: '1Day', ...range });
    } catch (error) {
      if (!(isQuantpipeError(error) && (error.code === 'E_NOT_FOUND' || error.code === 'E_DATA')))
        throw error;
    }
    if (bars.length > 0) daily[options.benchmarkSymbol] = bars;
    else {
      benchmarkNote = `benchmark ${options.benchmarkSymbol} unavailable: the signals use the fallback market = returns × 0.6, and there is no benchmark comparison`;
    }
  }
  let hourly: Record<string, readonly Bar[]> | undefined;
  let hourlyReason = 'hourly bars disabled';
  if (options.hourly) {
    hourly = {};
    for (const symbol of options.symbols) {
      let bars: Bar[] = [];
      try {
        bars = await source.getBars({ symbol, timeframe: '1Hour', ...range });
      } catch (error) {
        if (!(isQuantpipeError(error) && (error.code === 'E_NOT_FOUND' || error.code === 'E_DATA')))
          throw error;
      }
      if (bars.length === 0) {
        hourly = undefined;
        hourlyReason = `no hourly bars of ${symbol} for the period`;
        break;
      }
      hourly[symbol] = bars;
    }
    if (hourly) hourlyReason = 'hourly bars available for every symbol';
  }
  return {
    label: options.label,
    symbols: [...options.symbols],
    benchmarkSymbol: options.benchmarkSymbol,
    ...(benchmarkNote === undefined ? {} : { benchmarkNote }),
    daily,
    hourly,
    hourlyReason,
  };
}

/** The symbol whose daily bars give the session calendar: the benchmark, else the first stock. */
export function calendarSymbol(market: LoadedMarket): string {
  return market.daily[market.benchmarkSymbol]
    ? market.benchmarkSymbol
    : (market.symbols[0] ?? market.benchmarkSymbol);
}
