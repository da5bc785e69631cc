import fc from 'fast-check';
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

  it('answers any sequence of requests as a plain filter of the bars would', async () => {
    const fresh = new InMemoryMarketData(market);
    const hourly = market.hourly?.['SYNA'] ?? [];
    const stamps = [...market.dates, ...hourly.map((b) => b.timestamp), '2000-01-01', '2099-01-01'];
    const stamp = fc.constantFrom(...stamps);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            timeframe: fc.constantFrom('1Day' as const, '1Hour' as const),
            start: stamp,
            end: fc.option(stamp, { nil: undefined }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        async (requests) => {
          for (const r of requests) {
            if (r.end !== undefined && r.end < r.start) continue;
            const all = r.timeframe === '1Day' ? (market.daily['SYNA'] ?? []) : hourly;
            const end =
              r.end === undefined ? undefined : r.end.length === 10 ? `${r.end}T\uffff` : r.end;
            const expected = all.filter(
              (b) => b.timestamp >= r.start && (end === undefined || b.timestamp <= end),
            );
            const got = await fresh.getBars({
              symbol: 'SYNA',
              timeframe: r.timeframe,
              start: r.start,
              ...(r.end === undefined ? {} : { end: r.end }),
            });
            expect(got).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns the latest bar and refuses unknown symbols with a typed error', async () => {
    expect((await data.getLatestBar('SYNB')).timestamp).toBe(market.dates[29]);
    await expect(data.getLatestBar('NOPE')).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      data.getBars({ symbol: 'NOPE', timeframe: '1Day', start: '2015-01-01' }),
    ).rejects.toThrow(/unknown symbol NOPE/);
  });
});
