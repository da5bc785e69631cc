import fc from 'fast-check';
import { ValidationError, sessionOn, sessionsBetween, validateBars } from '@quantpipe/core';
import {
  exchangeSessions,
  generateSyntheticMarket,
  syntheticUniverse,
  weekdaySessions,
} from './generate-market';

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
      validateBars(daily, symbol);
      validateBars(hourly, symbol);
      expect(daily.map((b) => b.timestamp)).toEqual(market.dates);
      // A daily bar aggregates its session's hourly bars (seven, or four on an early close).
      for (const day of daily) {
        const hours = hourly.filter(
          (h) => sessionOn(day.timestamp)?.date === h.timestamp.slice(0, 10),
        );
        expect(hours).toHaveLength(sessionOn(day.timestamp)?.earlyClose ? 4 : 7);
        expect(day.open).toBe(hours[0]?.open);
        expect(day.close).toBe(hours[hours.length - 1]?.close);
        expect(day.high).toBe(Math.max(...hours.map((h) => h.high)));
        expect(day.low).toBe(Math.min(...hours.map((h) => h.low)));
        expect(day.volume).toBe(hours.reduce((s, h) => s + h.volume, 0));
      }
    }
  });

  it('trades the sessions of the US equity calendar, its hourly bars on New York time', () => {
    // 2015-01-02 on: 2015-01-19 (Martin Luther King Jr. Day) and 2015-02-16 are holidays.
    expect(market.dates.slice(0, 3)).toEqual(['2015-01-02', '2015-01-05', '2015-01-06']);
    expect(market.dates).not.toContain('2015-01-19');
    expect(market.dates).not.toContain('2015-02-16');
    expect(market.dates).toEqual(
      sessionsBetween('2015-01-02', market.dates.at(-1) as string).map((s) => s.date),
    );
    const hoursOn = (date: string) =>
      (market.hourly?.['SYNA'] ?? [])
        .filter((h) => h.timestamp.startsWith(date))
        .map((h) => h.timestamp.slice(11));
    // Winter (EST, UTC-5): 09:00..15:00 New York = 14:00Z..20:00Z.
    expect(hoursOn('2015-01-05')).toEqual([
      '14:00:00Z',
      '15:00:00Z',
      '16:00:00Z',
      '17:00:00Z',
      '18:00:00Z',
      '19:00:00Z',
      '20:00:00Z',
    ]);
    // Summer (EDT, UTC-4): one hour earlier in UTC.
    expect(hoursOn('2015-07-06')).toEqual([
      '13:00:00Z',
      '14:00:00Z',
      '15:00:00Z',
      '16:00:00Z',
      '17:00:00Z',
      '18:00:00Z',
      '19:00:00Z',
    ]);
    // 2015-11-27, the day after Thanksgiving, closes at 13:00: four bars.
    expect(hoursOn('2015-11-27')).toEqual(['14:00:00Z', '15:00:00Z', '16:00:00Z', '17:00:00Z']);
    expect(exchangeSessions('2015-01-01', 2)).toEqual(['2015-01-02', '2015-01-05']);
    expect(() => exchangeSessions('1999-12-31', 2)).toThrow(/2000-2099/);
    expect(() => generateSyntheticMarket({ sessions: 5, startDate: '1990-01-02' })).toThrow(
      ValidationError,
    );
    expect(
      generateSyntheticMarket({ sessions: 5, startDate: '1990-01-02', calendar: 'weekdays' })
        .dates[0],
    ).toBe('1990-01-02');
  });

  it('with the weekdays calendar, seven hourly bars at 14:00Z..20:00Z on every weekday', () => {
    const weekdays = generateSyntheticMarket({ sessions: 30, calendar: 'weekdays' });
    expect(weekdays.dates).toEqual(weekdaySessions('2015-01-02', 30));
    expect(weekdays.dates).toContain('2015-01-19');
    expect(weekdays.hourly?.['SYNA']).toHaveLength(30 * 7);
    expect(weekdays.hourly?.['SYNA']?.[7]?.timestamp).toBe('2015-01-05T14:00:00Z');
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

  it('plants a factor: the next session return follows the signal, the index is untouched', () => {
    // The planted signal: +1 after an up close, -1 after a down one.
    const plantedFactor = {
      strength: 0.01,
      signal: () => {
        let prev = NaN;
        return {
          step(close: number): number {
            const s = Number.isFinite(prev) ? Math.sign(close - prev) : 0;
            prev = close;
            return s;
          },
        };
      },
    };
    const planted = generateSyntheticMarket({ sessions: 300, plantedFactor });
    expect(planted.daily['SYNMKT']).toEqual(market.daily['SYNMKT']);
    // Same noise, so the difference of log returns is exactly the planted term (to rounding).
    const logReturns = (bars: readonly { close: number }[]) =>
      bars.slice(1).map((b, i) => Math.log(b.close / (bars[i] as { close: number }).close));
    const a = logReturns(planted.daily['SYNA'] ?? []);
    const b = logReturns(market.daily['SYNA'] ?? []);
    const closes = (planted.daily['SYNA'] ?? []).map((x) => x.close);
    let checked = 0;
    for (let t = 2; t < a.length; t++) {
      // return of session t + 1 follows the sign of the close change into session t
      const expected = 0.01 * Math.sign((closes[t] as number) - (closes[t - 1] as number));
      expect((a[t] as number) - (b[t] as number)).toBeCloseTo(expected, 5);
      checked++;
    }
    expect(checked).toBeGreaterThan(290);
  });

  it('rejects a planted factor of non-finite strength', () => {
    expect(() =>
      generateSyntheticMarket({
        sessions: 10,
        plantedFactor: { strength: NaN, signal: () => ({ step: () => 0 }) },
      }),
    ).toThrow(/plantedFactor.strength/);
  });
});
