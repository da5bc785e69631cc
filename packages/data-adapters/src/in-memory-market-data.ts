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

/** Whether `bar` sorts before `key`: strictly (`<`) or not (`<=`). */
function sortsBefore(bar: Bar, key: string, strict: boolean): boolean {
  return strict ? bar.timestamp < key : bar.timestamp <= key;
}

/**
 * The number of leading bars that sort before `key` (bars ascending): with `strict`, the index
 * of the first bar at or after `key`; without, one past the last bar at or before it. The
 * search starts at `hint` and gallops outwards, so a caller walking forward through history
 * (a backtest asks for the next bar every cycle) reads a few neighbouring bars instead of
 * O(log n) scattered ones. Any hint gives the answer of a plain binary search.
 */
function countBefore(bars: readonly Bar[], key: string, strict: boolean, hint: number): number {
  const n = bars.length;
  const h = hint < 0 ? 0 : hint > n ? n : hint;
  // Invariant for the final bisection: bars[lo] sorts before (or lo = -1), bars[hi] does not
  // (or hi = n).
  let lo: number;
  let hi: number;
  let step = 1;
  if (h === n || !sortsBefore(bars[h] as Bar, key, strict)) {
    hi = h;
    lo = h - 1;
    while (lo >= 0 && !sortsBefore(bars[lo] as Bar, key, strict)) {
      hi = lo;
      lo -= step;
      step *= 2;
    }
    if (lo < -1) lo = -1;
  } else {
    lo = h;
    hi = h + 1;
    while (hi < n && sortsBefore(bars[hi] as Bar, key, strict)) {
      lo = hi;
      hi += step;
      step *= 2;
    }
    if (hi > n) hi = n;
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (sortsBefore(bars[mid] as Bar, key, strict)) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * A {@link MarketData} over bars held in memory (a generated market, a loaded CSV folder).
 * Bars are validated once on construction; range queries are binary searches.
 */
export class InMemoryMarketData implements MarketData {
  private readonly byTimeframe: Map<Timeframe, BarsBySymbol>;
  /** Where the last range of each series ended: the next request usually starts there. */
  private readonly lastEnd = new Map<readonly Bar[], number>();

  /**
   * Validates every series (see `validateBars`) unless `options.validated` says a copy of
   * bars validated already is given (bars of another InMemoryMarketData handed to a worker).
   */
  constructor(
    bars: { readonly daily: BarsBySymbol; readonly hourly?: BarsBySymbol | undefined },
    options: { readonly validated?: boolean } = {},
  ) {
    this.byTimeframe = new Map<Timeframe, BarsBySymbol>([['1Day', bars.daily]]);
    if (bars.hourly) this.byTimeframe.set('1Hour', bars.hourly);
    if (options.validated === true) return;
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
    const hint = this.lastEnd.get(bars) ?? 0;
    const from = countBefore(bars, request.start, true, hint - 1);
    const to = countBefore(bars, rangeEnd(request.end), false, hint);
    this.lastEnd.set(bars, to);
    return bars.slice(from, to < from ? from : to);
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
