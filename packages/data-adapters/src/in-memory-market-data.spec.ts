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

  it('returns the latest bar and refuses unknown symbols with a typed error', async () => {
    expect((await data.getLatestBar('SYNB')).timestamp).toBe(market.dates[29]);
    await expect(data.getLatestBar('NOPE')).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      data.getBars({ symbol: 'NOPE', timeframe: '1Day', start: '2015-01-01' }),
    ).rejects.toThrow(/unknown symbol NOPE/);
  });
});
