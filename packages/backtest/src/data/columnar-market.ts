import type { Bar, BarColumns } from '@quantpipe/core';
import type { LoadedMarket } from './loaded-market';

/** A run's bars as columns: the universe's daily (and hourly) series and the benchmark's. */
export interface ColumnarMarket {
  /** The universe, in the engine's order. */
  readonly symbols: readonly string[];
  readonly benchmarkSymbol: string;
  /** Daily series per universe symbol (index as in `symbols`). */
  readonly daily: readonly BarColumns[];
  /** The benchmark's daily series (undefined when it could not be loaded). */
  readonly benchmark: BarColumns | undefined;
  /** Hourly series per universe symbol, when every symbol has hourly bars. */
  readonly hourly: readonly BarColumns[] | undefined;
}

/** Bars as columns (their timestamps are the bars' own strings). */
export function barColumns(symbol: string, bars: readonly Bar[]): BarColumns {
  const n = bars.length;
  const timestamps = new Array<string>(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = bars[i] as Bar;
    timestamps[i] = b.timestamp;
    open[i] = b.open;
    high[i] = b.high;
    low[i] = b.low;
    close[i] = b.close;
    volume[i] = b.volume;
  }
  return { symbol, length: n, timestamps, open, high, low, close, volume };
}

/** Columns already built, by market (runs over one market — a sweep, a benchmark — share them). */
const built = new WeakMap<LoadedMarket, ColumnarMarket>();

/**
 * The market of a run as columns, built once per market before the simulation (the columns are
 * never changed, so runs over the same market share them).
 */
export function columnarMarket(market: LoadedMarket): ColumnarMarket {
  let columns = built.get(market);
  if (columns === undefined) {
    columns = buildColumns(market);
    built.set(market, columns);
  }
  return columns;
}

function buildColumns(market: LoadedMarket): ColumnarMarket {
  const daily = market.symbols.map((s) => barColumns(s, market.daily[s] ?? []));
  const bench = market.daily[market.benchmarkSymbol];
  const hourly = market.hourly;
  return {
    symbols: market.symbols,
    benchmarkSymbol: market.benchmarkSymbol,
    daily,
    benchmark: bench ? barColumns(market.benchmarkSymbol, bench) : undefined,
    hourly: hourly ? market.symbols.map((s) => barColumns(s, hourly[s] ?? [])) : undefined,
  };
}

/** Entries of sorted `timestamps` that sort before `key` (strictly, or `<=` when `inclusive`). */
export function countBefore(
  timestamps: readonly string[],
  key: string,
  inclusive: boolean,
): number {
  let lo = 0;
  let hi = timestamps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = timestamps[mid] as string;
    if (inclusive ? t <= key : t < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
