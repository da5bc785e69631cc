import {
  BrokerError,
  NotFoundError,
  ValidationError,
  type BarsRequest,
  type MarketData,
  type Timeframe,
} from '@quantpipe/core';
import { InMemoryMarketData } from '../in-memory-market-data';
import { generateSyntheticMarket } from '../synthetic/generate-market';
import { CachedMarketData } from './cached-market-data';
import { InMemoryMarketDataCache } from './testing/in-memory-market-data-cache';

const market = generateSyntheticMarket({ sessions: 40 });
const dates = market.dates;
const d = (i: number): string => dates[i] as string;

/** Wraps a source and records what it was asked. */
class RecordingSource implements MarketData {
  readonly requests: BarsRequest[] = [];
  failWith: Error | undefined;
  constructor(private readonly inner: MarketData) {}
  getBars(request: BarsRequest) {
    this.requests.push(request);
    if (this.failWith) return Promise.reject(this.failWith);
    return this.inner.getBars(request);
  }
  getLatestBar(symbol: string, timeframe?: Timeframe) {
    return this.inner.getLatestBar(symbol, timeframe);
  }
}

function setup() {
  const source = new RecordingSource(
    new InMemoryMarketData({ daily: market.daily, hourly: market.hourly ?? {} }),
  );
  const cache = new InMemoryMarketDataCache();
  return { source, cache, cached: new CachedMarketData(source, cache) };
}

describe('CachedMarketData', () => {
  it('fetches a cold range once, then serves it from the cache', async () => {
    const { source, cached } = setup();
    const want = market.daily['SYNA']?.slice(5, 15);
    expect(
      await cached.getBars({ symbol: 'SYNA', timeframe: '1Day', start: d(5), end: d(14) }),
    ).toEqual(want);
    expect(source.requests).toHaveLength(1);
    // Inside the cached range: the source is not asked again.
    expect(
      await cached.getBars({ symbol: 'SYNA', timeframe: '1Day', start: d(7), end: d(10) }),
    ).toEqual(market.daily['SYNA']?.slice(7, 11));
    expect(source.requests).toHaveLength(1);
  });

  it('fetches only the missing head and tail ranges', async () => {
    const { source, cached } = setup();
    await cached.getBars({ symbol: 'SYNB', timeframe: '1Day', start: d(10), end: d(19) });
    const all = await cached.getBars({
      symbol: 'SYNB',
      timeframe: '1Day',
      start: d(0),
      end: d(29),
    });
    expect(all).toEqual(market.daily['SYNB']?.slice(0, 30));
    expect(source.requests.slice(1)).toEqual([
      {
        symbol: 'SYNB',
        timeframe: '1Day',
        start: d(0),
        end: new Date(Date.parse(`${d(10)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10),
      },
      { symbol: 'SYNB', timeframe: '1Day', start: d(19), end: d(29) },
    ]);
  });

  it('works for hourly bars with instants', async () => {
    const { source, cached } = setup();
    const hourly = market.hourly?.['SYNC'] ?? [];
    await cached.getBars({ symbol: 'SYNC', timeframe: '1Hour', start: d(3), end: d(5) });
    const got = await cached.getBars({
      symbol: 'SYNC',
      timeframe: '1Hour',
      start: d(2),
      end: d(6),
    });
    expect(got).toEqual(
      hourly.filter((b) => b.timestamp >= d(2) && b.timestamp.slice(0, 10) <= d(6)),
    );
    expect(source.requests).toHaveLength(3);
  });

  it('propagates unknown symbols and source failures as typed errors, never an empty result', async () => {
    const { source, cached } = setup();
    await expect(
      cached.getBars({ symbol: 'NOPE', timeframe: '1Day', start: d(0) }),
    ).rejects.toBeInstanceOf(NotFoundError);
    source.failWith = new BrokerError('rate_limit', 'too many requests', {
      venue: 'alpaca',
      status: 429,
    });
    await expect(
      cached.getBars({ symbol: 'SYND', timeframe: '1Day', start: d(0) }),
    ).rejects.toMatchObject({ kind: 'rate_limit' });
    await expect(
      cached.getBars({ symbol: 'SYND', timeframe: '1Day', start: d(5), end: d(1) }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('treats a missing range the source has no bars for as empty once the symbol is cached', async () => {
    const { cached } = setup();
    await cached.getBars({ symbol: 'SYNE', timeframe: '1Day', start: d(0), end: d(39) });
    // Before the first bar of the data: nothing to add, the cached bars are returned.
    const got = await cached.getBars({
      symbol: 'SYNE',
      timeframe: '1Day',
      start: '2014-01-01',
      end: d(2),
    });
    expect(got).toEqual(market.daily['SYNE']?.slice(0, 3));
  });

  it('passes the latest bar through without caching it (no gap can appear)', async () => {
    const { cache, cached } = setup();
    const bar = await cached.getLatestBar('SYNF');
    expect(bar).toEqual(market.daily['SYNF']?.[39]);
    expect(await cache.getCoverage('SYNF', '1Day')).toBeUndefined();
  });
});
