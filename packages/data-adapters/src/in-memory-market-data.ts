import {
  NotFoundError,
  validateBars,
  ValidationError,
  type Bar,
  type BarsRequest,
  type MarketData,
  type Timeframe,
} from '@quantpipe/core';

/** Bars by symbol for one timeframe. */
export type BarsBySymbol = Readonly<Record<string, readonly Bar[]>>;

/** Upper bound of an ISO range: a date end includes every intraday bar of that day. */
function rangeEnd(end: string | undefined): string {
  if (end === undefined) return '\uffff';
  return end.length === 10 ? `${end}T\uffff` : end;
}

/** Index of the first bar with timestamp >= key (bars ascending). */
function lowerBound(bars: readonly Bar[], key: string): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bars[mid] as Bar).timestamp < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index one past the last bar with timestamp <= key. */
function upperBound(bars: readonly Bar[], key: string): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bars[mid] as Bar).timestamp <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A {@link MarketData} over bars held in memory (a generated market, a loaded CSV folder).
 * Bars are validated once on construction; range queries are binary searches.
 */
export class InMemoryMarketData implements MarketData {
  private readonly byTimeframe: Map<Timeframe, BarsBySymbol>;

  constructor(bars: { readonly daily: BarsBySymbol; readonly hourly?: BarsBySymbol | undefined }) {
    this.byTimeframe = new Map<Timeframe, BarsBySymbol>([['1Day', bars.daily]]);
    if (bars.hourly) this.byTimeframe.set('1Hour', bars.hourly);
    for (const series of this.byTimeframe.values()) {
      for (const [symbol, list] of Object.entries(series)) validateBars(list, symbol);
    }
  }

  /** Symbols with bars of the timeframe. */
  symbols(timeframe: Timeframe = '1Day'): string[] {
    return Object.keys(this.byTimeframe.get(timeframe) ?? {});
  }

  private series(symbol: string, timeframe: Timeframe): readonly Bar[] {
    const series = this.byTimeframe.get(timeframe)?.[symbol];
    if (!series)
      throw new NotFoundError(`unknown symbol ${symbol} (${timeframe} bars)`, {
        context: { symbol, timeframe },
      });
    return series;
  }

  async getBars(request: BarsRequest): Promise<Bar[]> {
    return this.range(request);
  }

  /** Every request answered in one call (no promise per symbol). */
  async getBarsBatch(requests: readonly BarsRequest[]): Promise<Bar[][]> {
    const out = new Array<Bar[]>(requests.length);
    for (let i = 0; i < requests.length; i++) out[i] = this.range(requests[i] as BarsRequest);
    return out;
  }

  private range(request: BarsRequest): Bar[] {
    const bars = this.series(request.symbol, request.timeframe);
    if (request.end !== undefined && request.end < request.start) {
      throw new ValidationError('end', `end ${request.end} is before start ${request.start}`);
    }
    return bars.slice(lowerBound(bars, request.start), upperBound(bars, rangeEnd(request.end)));
  }

  async getLatestBar(symbol: string, timeframe: Timeframe = '1Day'): Promise<Bar> {
    const bars = this.series(symbol, timeframe);
    const last = bars[bars.length - 1];
    if (!last)
      throw new NotFoundError(`no bars for ${symbol} (${timeframe})`, {
        context: { symbol, timeframe },
      });
    return last;
  }
}
