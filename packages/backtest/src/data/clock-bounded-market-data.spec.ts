import fc from 'fast-check';
import type { BarsRequest, Clock, MarketData } from '@quantpipe/core';
import { InMemoryMarketData, generateSyntheticMarket } from '@quantpipe/data-adapters';
import { barCompleteMs } from './bar-visibility';
import { ClockBoundedMarketData } from './clock-bounded-market-data';

const market = generateSyntheticMarket({
  sessions: 40,
  symbols: [{ symbol: 'AAA', beta: 1, idioVolDaily: 0.01, startPriceUsd: 10 }],
});
const source = new InMemoryMarketData({ daily: market.daily, hourly: market.hourly });
const first = Date.parse(`${market.dates[0]}T00:00:00Z`);
const last = Date.parse(`${market.dates[market.dates.length - 1]}T23:59:59Z`);

function fixedClock(nowMs: number): Clock {
  return { now: () => nowMs, sleep: async () => undefined };
}

describe('ClockBoundedMarketData', () => {
  it('returns exactly the bars complete at the clock, whatever range is asked for', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: first, max: last }),
        fc.constantFrom('1Day' as const, '1Hour' as const),
        fc.option(fc.integer({ min: first, max: last + 30 * 86_400_000 }), { nil: undefined }),
        async (nowMs, timeframe, endMs) => {
          const view = new ClockBoundedMarketData(source, fixedClock(nowMs));
          const end = endMs === undefined ? undefined : new Date(endMs).toISOString().slice(0, 10);
          const got = await view.getBars({
            symbol: 'AAA',
            timeframe,
            start: market.dates[0] as string,
            ...(end ? { end } : {}),
          });
          const all = await source.getBars({
            symbol: 'AAA',
            timeframe,
            start: market.dates[0] as string,
            ...(end ? { end } : {}),
          });
          const expected = all.filter((b) => barCompleteMs(b.timestamp, timeframe) <= nowMs);
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('answers a batch as getBars answers each request, with or without a batch source', async () => {
    const perRequest: MarketData = {
      getBars: (r) => source.getBars(r),
      getLatestBar: (s, t) => source.getLatestBar(s, t),
    };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: first, max: last }),
        fc.array(
          fc.record({
            timeframe: fc.constantFrom('1Day' as const, '1Hour' as const),
            start: fc.integer({ min: 0, max: 39 }),
            length: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
          }),
          { maxLength: 5 },
        ),
        async (nowMs, specs) => {
          const requests: BarsRequest[] = specs.map((s) => ({
            symbol: 'AAA',
            timeframe: s.timeframe,
            start: market.dates[s.start] as string,
            ...(s.length === undefined
              ? {}
              : { end: market.dates[Math.min(39, s.start + s.length)] as string }),
          }));
          const clock = fixedClock(nowMs);
          const view = new ClockBoundedMarketData(source, clock);
          const expected = await Promise.all(requests.map((r) => view.getBars(r)));
          expect(await view.getBarsBatch(requests)).toEqual(expected);
          expect(
            await new ClockBoundedMarketData(perRequest, clock).getBarsBatch(requests),
          ).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('shows a daily bar only after its close and an hourly bar only after its hour', async () => {
    const day = market.dates[5] as string;
    const before = new ClockBoundedMarketData(source, fixedClock(Date.parse(`${day}T20:59:59Z`)));
    const after = new ClockBoundedMarketData(source, fixedClock(Date.parse(`${day}T21:00:00Z`)));
    expect((await before.getLatestBar('AAA', '1Day')).timestamp).toBe(market.dates[4]);
    expect((await after.getLatestBar('AAA', '1Day')).timestamp).toBe(day);
    const midday = new ClockBoundedMarketData(source, fixedClock(Date.parse(`${day}T16:30:00Z`)));
    expect((await midday.getLatestBar('AAA', '1Hour')).timestamp).toBe(`${day}T15:00:00Z`);
  });

  it('returns nothing for a range entirely after the clock and throws NotFoundError for no bar', async () => {
    const view = new ClockBoundedMarketData(
      source,
      fixedClock(Date.parse(`${market.dates[3]}T21:00:00Z`)),
    );
    expect(
      await view.getBars({ symbol: 'AAA', timeframe: '1Day', start: market.dates[10] as string }),
    ).toEqual([]);
    const early = new ClockBoundedMarketData(source, fixedClock(first));
    await expect(early.getLatestBar('AAA')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});
