import { generateSyntheticMarket } from '@quantpipe/data-adapters';
import type { LoadedMarket } from '../data/loaded-market';
import { DataError } from '@quantpipe/core';
import { buildSessionTimeline, buildTimeline, sessionGaps } from './timeline';

const gen = generateSyntheticMarket({
  sessions: 30,
  symbols: [
    { symbol: 'AAA', beta: 1, idioVolDaily: 0.01, startPriceUsd: 10 },
    { symbol: 'BBB', beta: 0.5, idioVolDaily: 0.02, startPriceUsd: 40 },
  ],
});
const market: LoadedMarket = {
  label: 'test',
  symbols: ['AAA', 'BBB'],
  benchmarkSymbol: 'SYNMKT',
  daily: gen.daily,
  hourly: gen.hourly,
  hourlyReason: 'test',
};
const range = { startDate: gen.dates[10] as string, endDate: gen.dates[20] as string };

describe('buildTimeline', () => {
  it('daily: decides at each close and fills at the next session open', () => {
    const steps = buildTimeline(market, range, 'daily');
    expect(steps.map((s) => s.date)).toEqual(gen.dates.slice(10, 21));
    const s = steps[0];
    expect(s?.timestamp).toBe(`${gen.dates[10]}T21:00:00.000Z`);
    expect(s?.closeUsd['AAA']).toBe(gen.daily['AAA']?.[10]?.close);
    expect(s?.next?.openUsd['BBB']).toBe(gen.daily['BBB']?.[11]?.open);
    // At the exchange open, 09:30 New York (EST in January), not at the first hourly bar.
    expect(s?.next?.timestamp).toBe(`${gen.dates[11]}T14:30:00Z`);
    expect(s?.dailyIndex['AAA']).toBe(10);
    expect(steps[steps.length - 1]?.next).toBeUndefined();
    for (let i = 1; i < steps.length; i++) {
      expect(steps[i]?.decisionMs).toBeGreaterThan(steps[i - 1]?.decisionMs ?? Infinity);
    }
  });

  it('hourly: decides at each hourly close and fills at the next hourly open', () => {
    const steps = buildTimeline(market, range, 'hourly');
    expect(steps).toHaveLength(11 * 7);
    const firstHour = steps[0];
    const hourly = gen.hourly?.['AAA'] ?? [];
    expect(firstHour?.closeUsd['AAA']).toBe(hourly[70]?.close);
    expect(firstHour?.next?.openUsd['AAA']).toBe(hourly[71]?.open);
    // Mid-session the latest complete daily bar is the previous session's.
    expect(firstHour?.sessionComplete).toBe(false);
    expect(firstHour?.dailyIndex['AAA']).toBe(9);
    expect(steps[6]?.sessionComplete).toBe(true);
    expect(steps[6]?.dailyIndex['AAA']).toBe(10);
    expect(steps[6]?.next?.timestamp).toBe(`${gen.dates[11]}T14:00:00Z`);
  });

  it('refuses hourly rebalancing without hourly bars and names a missing bar', () => {
    expect(() => buildTimeline({ ...market, hourly: undefined }, range, 'hourly')).toThrow(
      /hourly rebalancing/,
    );
    const lateHourly = {
      ...market,
      hourly: {
        AAA: (gen.hourly?.['AAA'] ?? []).slice(15 * 7),
        BBB: (gen.hourly?.['BBB'] ?? []).slice(15 * 7),
      },
    };
    expect(() => buildTimeline(lateHourly, range, 'hourly')).toThrow(/they begin on/);
    const gap = {
      ...market,
      daily: { ...market.daily, BBB: (gen.daily['BBB'] ?? []).filter((_, i) => i !== 15) },
    };
    expect(() => buildTimeline(gap, range, 'daily')).toThrow(/BBB has no bar at/);
  });
});

describe('buildSessionTimeline', () => {
  it('holds the daily steps as columns: the same steps buildTimeline gives', () => {
    const t = buildSessionTimeline(market, range);
    const steps = buildTimeline(market, range, 'daily');
    expect(t.steps).toBe(11);
    expect(t.hasBenchmark).toBe(true);
    const n = market.symbols.length;
    steps.forEach((step, k) => {
      expect(t.dates[k]).toBe(step.date);
      expect(t.timestamps[k]).toBe(step.timestamp);
      expect(t.decisionMs[k]).toBe(step.decisionMs);
      expect(t.nextTimestamp[k]).toBe(step.next?.timestamp);
      expect(t.benchmarkClose[k]).toBe(step.benchmarkClose);
      market.symbols.forEach((symbol, j) => {
        const bars = market.daily[symbol] ?? [];
        expect(t.barIndex[k * n + j]).toBe(step.dailyIndex[symbol]);
        expect(bars[t.barIndex[k * n + j] as number]?.close).toBe(step.closeUsd[symbol]);
        if (step.next)
          expect(bars[t.nextIndex[k * n + j] as number]?.open).toBe(step.next.openUsd[symbol]);
        else expect(t.nextIndex[k * n + j]).toBe(-1);
      });
    });
    expect(t.benchmarkClose[0]).toBe(gen.daily['SYNMKT']?.[10]?.close);
  });

  it('finds each symbol’s bar by date when the series start at different sessions', () => {
    // BBB lists five sessions later: its bar indices are five lower.
    const late = { ...market, daily: { ...market.daily, BBB: (gen.daily['BBB'] ?? []).slice(5) } };
    const t = buildSessionTimeline(late, range);
    for (let k = 0; k < t.steps; k++) {
      expect(t.barIndex[k * 2]).toBe(10 + k);
      expect(t.barIndex[k * 2 + 1]).toBe(5 + k);
    }
    expect(t.universeChanges).toEqual([]);
    expect([...t.listed].every((x) => x === 1)).toBe(true);
  });

  it('a symbol lists at its first bar and delists after its last: -1 before, its last bar after', () => {
    // BBB's bars cover sessions 13..18 of the calendar's 10..20.
    const changing = {
      ...market,
      daily: { ...market.daily, BBB: (gen.daily['BBB'] ?? []).slice(13, 19) },
    };
    const t = buildSessionTimeline(changing, range);
    expect(t.universeChanges).toEqual([
      { symbol: 'BBB', change: 'listed', date: gen.dates[13] },
      { symbol: 'BBB', change: 'delisted', date: gen.dates[18] },
    ]);
    const bbb = (k: number) => ({
      bar: t.barIndex[k * 2 + 1],
      next: t.nextIndex[k * 2 + 1],
      listed: t.listed[k * 2 + 1],
    });
    expect(bbb(0)).toEqual({ bar: -1, next: -1, listed: 0 }); // session 10
    expect(bbb(2)).toEqual({ bar: -1, next: -1, listed: 0 }); // session 12: lists at the next
    expect(bbb(3)).toEqual({ bar: 0, next: 1, listed: 1 }); // session 13: first bar
    expect(bbb(8)).toEqual({ bar: 5, next: -1, listed: 1 }); // session 18: last bar
    expect(bbb(9)).toEqual({ bar: 5, next: -1, listed: 0 }); // session 19: delisted
    expect([...t.delistStep]).toEqual([-1, 8]);
    // AAA is listed throughout.
    for (let k = 0; k < t.steps; k++) expect(t.listed[k * 2]).toBe(1);
    // The live engine's steps need a fixed universe, and say so.
    expect(() => buildTimeline(changing, range, 'daily')).toThrow(
      `BBB listed ${gen.dates[13]}, BBB delisted ${gen.dates[18]}`,
    );
  });

  it('a symbol without a bar in the run is an error', () => {
    const absent = {
      ...market,
      daily: { ...market.daily, BBB: (gen.daily['BBB'] ?? []).slice(25) },
    };
    expect(() => buildSessionTimeline(absent, range)).toThrow(DataError);
    expect(() => buildSessionTimeline(absent, range)).toThrow(
      `no daily bar in the run's sessions (${gen.dates[10]} to ${gen.dates[20]}) for BBB`,
    );
  });

  it('without a benchmark walks the first stock’s sessions and fills at 14:30Z without hourly bars', () => {
    const noBench = {
      ...market,
      daily: { AAA: gen.daily['AAA'] ?? [], BBB: gen.daily['BBB'] ?? [] },
      hourly: undefined,
    };
    const t = buildSessionTimeline(noBench, range);
    expect(t.hasBenchmark).toBe(false);
    expect(t.dates).toEqual(gen.dates.slice(10, 21));
    expect([...t.benchmarkClose].every(Number.isNaN)).toBe(true);
    expect(t.nextTimestamp[0]).toBe(`${gen.dates[11]}T14:30:00Z`);
    expect(t.nextTimestamp[t.steps - 1]).toBeUndefined();
    const empty = buildSessionTimeline(market, { startDate: '2030-01-01', endDate: '2030-12-31' });
    expect(empty.steps).toBe(0);
  });
});

describe('missing daily bars', () => {
  it('are reported all at once: symbol, first missing session, count, where', () => {
    const drop = (symbol: string, keep: (i: number) => boolean) =>
      (gen.daily[symbol] ?? []).filter((_, i) => keep(i));
    const holey: LoadedMarket = {
      ...market,
      daily: {
        ...market.daily,
        // AAA: two gaps (sessions 12-14 and 17); BBB: lists at 13 and delists after 18
        AAA: drop('AAA', (i) => !(i >= 12 && i <= 14) && i !== 17),
        BBB: drop('BBB', (i) => i >= 13 && i <= 18),
      },
    };
    const dates = gen.dates.slice(10, 21);
    expect(sessionGaps(holey, dates)).toEqual([
      { symbol: 'AAA', firstMissing: gen.dates[12], sessions: 3, where: 'inside' },
      { symbol: 'AAA', firstMissing: gen.dates[17], sessions: 1, where: 'inside' },
      { symbol: 'BBB', firstMissing: gen.dates[10], sessions: 3, where: 'before-first-bar' },
      { symbol: 'BBB', firstMissing: gen.dates[19], sessions: 2, where: 'after-last-bar' },
    ]);
    let error: unknown;
    try {
      buildSessionTimeline(holey, range);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).code).toBe('E_DATA');
    // Only the gaps inside a symbol's life are errors: BBB's listing and delisting are not.
    expect((error as DataError).message).toContain('2 runs of missing daily bars');
    expect((error as DataError).message).toContain(
      `AAA has no bar at ${gen.dates[12]} (3 sessions, a gap between two bars)`,
    );
    expect((error as DataError).message).toContain(
      `AAA has no bar at ${gen.dates[17]} (1 session, a gap between two bars)`,
    );
    expect((error as DataError).message).not.toContain('BBB');
    expect((error as DataError).context?.['gaps']).toHaveLength(2);
  });

  it('are none on a complete market', () => {
    expect(sessionGaps(market, gen.dates.slice(10, 21))).toEqual([]);
  });
});
