import { NotFoundError } from '@quantpipe/core';
import { InMemoryMarketData } from './in-memory-market-data';
import { generateSyntheticMarket } from './synthetic/generate-market';

describe('InMemoryMarketData', () => {
  const market = generateSyntheticMarket({ sessions: 30 });
  const data = new InMemoryMarketData(market);

  it('returns inclusive date ranges, and a date end covers the whole intraday session', async () => {
    const daily = await data.getBars({
      symbol: 'SYNA',
      timeframe: '1Day',
      start: market.dates[2] as string,
      end: market.dates[5] as string,
    });
    expect(daily.map((b) => b.timestamp)).toEqual(market.dates.slice(2, 6));
    const hourly = await data.getBars({
      symbol: 'SYNA',
      timeframe: '1Hour',
      start: market.dates[2] as string,
      end: market.dates[2] as string,
    });
    expect(hourly).toHaveLength(7);
    expect(hourly.every((b) => b.timestamp.startsWith(market.dates[2] as string))).toBe(true);
  });

  it('answers a batch exactly as one getBars per request, and fails it on an unknown symbol', async () => {
    const requests = [
      { symbol: 'SYNA', timeframe: '1Day' as const, start: market.dates[3] as string },
      {
        symbol: 'SYNB',
        timeframe: '1Hour' as const,
        start: market.dates[1] as string,
        end: market.dates[2] as string,
      },
      { symbol: 'SYNMKT', timeframe: '1Day' as const, start: '2000-01-01', end: '2000-01-02' },
    ];
    const batch = await data.getBarsBatch(requests);
    expect(batch).toEqual(await Promise.all(requests.map((r) => data.getBars(r))));
    expect(batch[0]).toHaveLength(27);
    await expect(
      data.getBarsBatch([...requests, { symbol: 'NOPE', timeframe: '1Day', start: '2015-01-01' }]),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('returns the latest bar and refuses unknown symbols with a typed error', async () => {
    expect((await data.getLatestBar('SYNB')).timestamp).toBe(market.dates[29]);
    await expect(data.getLatestBar('NOPE')).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      data.getBars({ symbol: 'NOPE', timeframe: '1Day', start: '2015-01-01' }),
    ).rejects.toThrow(/unknown symbol NOPE/);
  });
});
