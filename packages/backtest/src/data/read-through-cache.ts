import type { Bar, BarsRequest, MarketData, MarketDataCache, Timeframe } from '@quantpipe/core';

/**
 * Bars from a cache, downloading from `upstream` only what the cache does not cover yet
 * (download once, reuse on every later run). Coverage is tracked per symbol and timeframe as
 * the first..last cached timestamp; a request outside it downloads the whole requested range
 * and stores it.
 */
export class ReadThroughCache implements MarketData {
  constructor(
    private readonly upstream: MarketData,
    private readonly cache: MarketDataCache,
  ) {}

  async getBars(request: BarsRequest): Promise<Bar[]> {
    const coverage = await this.cache.getCoverage(request.symbol, request.timeframe);
    const end = request.end;
    const covered =
      coverage !== undefined &&
      coverage.first.slice(0, 10) <= request.start.slice(0, 10) &&
      end !== undefined &&
      coverage.last.slice(0, 10) >= end.slice(0, 10);
    if (!covered) {
      const bars = await this.upstream.getBars(request);
      if (bars.length > 0) await this.cache.upsertBars(request.timeframe, bars);
      return bars;
    }
    return this.cache.getBars(request);
  }

  async getLatestBar(symbol: string, timeframe: Timeframe = '1Day'): Promise<Bar> {
    return this.upstream.getLatestBar(symbol, timeframe);
  }
}
