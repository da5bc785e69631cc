import {
  NotFoundError,
  silentLogger,
  ValidationError,
  type Bar,
  type BarsRequest,
  type Logger,
  type MarketData,
  type MarketDataCache,
  type Timeframe,
} from '@quantpipe/core';

/** Options of {@link CachedMarketData}. */
export interface CachedMarketDataOptions {
  readonly logger?: Logger;
}

/** A request bound as a key comparable with the cache's timestamps of this timeframe. */
function boundKey(value: string, timeframe: Timeframe, edge: 'start' | 'end'): string {
  if (timeframe === '1Day') return value.slice(0, 10);
  if (value.length === 10) return `${value}T${edge === 'start' ? '00:00:00' : '23:59:59'}Z`;
  return value;
}

/** The timestamp just before a cached one: the previous day, or one second earlier. */
function justBefore(timestamp: string): string {
  if (timestamp.length === 10) {
    return new Date(Date.parse(`${timestamp}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  }
  return new Date(Date.parse(timestamp) - 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * A {@link MarketData} that reads through a {@link MarketDataCache} (the storage package's
 * market-data tables): it asks the cache what it covers (`getCoverage`), fetches from the
 * source only the ranges before the first and after the last cached bar, stores them, and
 * answers from the cache. The tail is fetched from the last cached bar on (inclusive), so a
 * bar that was still forming when cached is refreshed.
 *
 * The cache is assumed to be contiguous between its first and last bar, which holds when it is
 * only filled through this class. A source that has no bars in a missing range (NotFoundError)
 * is not an error once the symbol has cached bars; for a symbol with no cached bars it is.
 */
export class CachedMarketData implements MarketData {
  private readonly logger: Logger;

  constructor(
    private readonly source: MarketData,
    private readonly cache: MarketDataCache,
    options: CachedMarketDataOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  private async fill(request: BarsRequest, allowEmpty: boolean): Promise<number> {
    let bars: Bar[];
    try {
      bars = await this.source.getBars(request);
    } catch (error) {
      if (allowEmpty && error instanceof NotFoundError) return 0;
      throw error;
    }
    if (bars.length === 0) return 0;
    const written = await this.cache.upsertBars(request.timeframe, bars);
    this.logger.debug(
      {
        symbol: request.symbol,
        timeframe: request.timeframe,
        start: request.start,
        end: request.end,
        bars: bars.length,
      },
      'market-data cache filled',
    );
    return written;
  }

  async getBars(request: BarsRequest): Promise<Bar[]> {
    const { symbol, timeframe, start, end } = request;
    if (
      end !== undefined &&
      boundKey(end, timeframe, 'end') < boundKey(start, timeframe, 'start')
    ) {
      throw new ValidationError('end', `end ${end} is before start ${start}`);
    }
    const coverage = await this.cache.getCoverage(symbol, timeframe);
    if (!coverage) {
      await this.fill(request, false);
    } else {
      if (boundKey(start, timeframe, 'start') < coverage.first) {
        await this.fill({ symbol, timeframe, start, end: justBefore(coverage.first) }, true);
      }
      if (end === undefined || boundKey(end, timeframe, 'end') >= coverage.last) {
        await this.fill(
          { symbol, timeframe, start: coverage.last, ...(end !== undefined ? { end } : {}) },
          true,
        );
      }
    }
    return this.cache.getBars(request);
  }

  /**
   * Always asks the source: the latest bar is what a cache cannot know. It is not cached, as
   * that could leave a gap between the cached range and it.
   */
  getLatestBar(symbol: string, timeframe: Timeframe = '1Day'): Promise<Bar> {
    return this.source.getLatestBar(symbol, timeframe);
  }
}
