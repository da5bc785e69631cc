import fc from 'fast-check';
import { validateBars } from '@quantpipe/core';
import { generateSyntheticMarket, syntheticUniverse, weekdaySessions } from './generate-market';

describe('generateSyntheticMarket', () => {
  const market = generateSyntheticMarket({ sessions: 300 });

  it('is deterministic for a seed and differs across seeds', () => {
    const again = generateSyntheticMarket({ sessions: 300 });
    expect(again.daily['SYNA']).toEqual(market.daily['SYNA']);
    const other = generateSyntheticMarket({ sessions: 300, seed: 1 });
    expect(other.daily['SYNA']?.[299]?.close).not.toBe(market.daily['SYNA']?.[299]?.close);
  });

  it('produces valid, aligned daily and hourly bars for every symbol and the index', () => {
    expect(market.symbols).toHaveLength(8);
    for (const symbol of [market.marketSymbol, ...market.symbols]) {
      const daily = market.daily[symbol] ?? [];
      const hourly = market.hourly?.[symbol] ?? [];
      expect(daily).toHaveLength(300);
      expect(hourly).toHaveLength(300 * 7);
      validateBars(daily, symbol);
      validateBars(hourly, symbol);
      expect(daily.map((b) => b.timestamp)).toEqual(market.dates);
      // A daily bar aggregates its session's hourly bars.
      const day = daily[10];
      const hours = hourly.slice(70, 77);
      expect(day?.open).toBe(hours[0]?.open);
      expect(day?.close).toBe(hours[6]?.close);
      expect(day?.high).toBe(Math.max(...hours.map((h) => h.high)));
      expect(day?.low).toBe(Math.min(...hours.map((h) => h.low)));
      expect(day?.volume).toBe(hours.reduce((s, h) => s + h.volume, 0));
    }
  });

  it('has a stress episode with a drawdown in the index', () => {
    const closes = (market.daily[market.marketSymbol] ?? []).map((b) => b.close);
    let peak = -Infinity;
    let maxDd = 0;
    for (const c of closes) {
      peak = Math.max(peak, c);
      maxDd = Math.min(maxDd, c / peak - 1);
    }
    expect(maxDd).toBeLessThan(-0.15);
  });

  it('counts weekdays only', () => {
    expect(weekdaySessions('2021-01-01', 3)).toEqual(['2021-01-01', '2021-01-04', '2021-01-05']);
  });

  it('scales to a generated universe and always yields valid bars', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 40 }),
        (seed, sessions) => {
          const m = generateSyntheticMarket({
            seed,
            sessions,
            symbols: syntheticUniverse(3, seed),
            includeHourly: false,
          });
          for (const s of m.symbols) validateBars(m.daily[s] ?? [], s);
          return m.hourly === undefined && m.symbols.length === 3;
        },
      ),
      { numRuns: 25 },
    );
  });
});
