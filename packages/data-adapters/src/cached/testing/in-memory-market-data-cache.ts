import type { Bar, BarsRequest, MarketDataCache, Timeframe } from '@quantpipe/core';

function inRange(timestamp: string, request: BarsRequest): boolean {
  if (timestamp < request.start) return false;
  if (request.end === undefined) return true;
  const end = request.end.length === 10 ? `${request.end}T\uffff` : request.end;
  return timestamp <= end;
}

/** A {@link MarketDataCache} in a Map, for tests (the storage package provides the real one). */
export class InMemoryMarketDataCache implements MarketDataCache {
  private readonly rows = new Map<string, Map<string, Bar>>();
  /** Calls made, by method, for assertions. */
  readonly calls: string[] = [];

  async upsertBars(timeframe: Timeframe, bars: readonly Bar[]): Promise<number> {
    this.calls.push(`upsert ${timeframe} ${bars.length}`);
    for (const bar of bars) {
      const key = `${bar.symbol}|${timeframe}`;
      let series = this.rows.get(key);
      if (!series) this.rows.set(key, (series = new Map()));
      series.set(bar.timestamp, bar);
    }
    return bars.length;
  }

  private series(symbol: string, timeframe: Timeframe): Bar[] {
    const series = this.rows.get(`${symbol}|${timeframe}`);
    return series ? [...series.values()].sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1)) : [];
  }

  async getBars(request: BarsRequest): Promise<Bar[]> {
    return this.series(request.symbol, request.timeframe).filter((b) =>
      inRange(b.timestamp, request),
    );
  }

  async getCoverage(
    symbol: string,
    timeframe: Timeframe,
  ): Promise<{ first: string; last: string } | undefined> {
    const list = this.series(symbol, timeframe);
    const first = list[0];
    const last = list[list.length - 1];
    return first && last ? { first: first.timestamp, last: last.timestamp } : undefined;
  }
}
