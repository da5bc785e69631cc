import { generateSyntheticMarket } from '@quantpipe/data-adapters';
import type { LoadedMarket } from '../data/loaded-market';
import { buildTimeline } from './timeline';

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
    expect(s?.next?.timestamp).toBe(`${gen.dates[11]}T14:00:00Z`);
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
