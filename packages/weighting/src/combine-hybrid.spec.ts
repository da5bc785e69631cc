import { ValidationError } from '@quantpipe/core';
import golden from './__fixtures__/golden-weighting.json';
import { combineHybrid } from './index';
import { expectAllClose } from './testing/close';

const c = golden.combine_signals;
const num = (xs: (number | null)[]) => xs.map((x) => (x === null ? NaN : x));

describe('combineHybrid against the seed reference (combine_signals)', () => {
  it('reproduces composite and confidence from hourly bars bucketed by session date', () => {
    // Seven hourly bars per session (14:00Z..20:00Z, as the reference market); the last one
    // carries the reference's daily value, earlier ones are noise, and a trailing NaN bar must
    // be skipped by last().
    const hourlyTimestamps: string[] = [];
    const hourlySignal: number[] = [];
    c.dates.forEach((date, i) => {
      const h = c.hourly_daily[i] ?? null;
      if (h === null) return;
      for (let k = 14; k <= 20; k++) {
        hourlyTimestamps.push(`${date}T${k}:00:00Z`);
        hourlySignal.push(k === 20 ? h : Math.sin(i * 7 + k));
      }
      hourlyTimestamps.push(`${date}T21:00:00Z`);
      hourlySignal.push(NaN);
    });
    const out = combineHybrid({
      dailyDates: c.dates,
      dailySignal: num(c.daily_signal),
      hourlyTimestamps,
      hourlySignal,
    });
    expectAllClose(out.hourlyDaily, c.hourly_daily, 'hourlyDaily');
    expectAllClose(out.composite, c.composite, 'composite');
    expectAllClose(out.confidence, c.confidence, 'confidence');
  });

  it('reproduces the reference on the days covered by the stored hourly signal', () => {
    const hs = golden.hourly_signal;
    const out = combineHybrid({
      dailyDates: c.dates,
      dailySignal: num(c.daily_signal),
      hourlyTimestamps: hs.timestamps,
      hourlySignal: num(hs.values),
    });
    const first = c.dates.indexOf(hs.timestamps[0]?.slice(0, 10) ?? '');
    expect(first).toBeGreaterThan(0);
    expectAllClose(out.composite.slice(first), c.composite.slice(first), 'composite');
    expectAllClose(out.confidence.slice(first), c.confidence.slice(first), 'confidence');
    // Days before the hourly data: NaN composite, confidence 0.3.
    expect(Number.isNaN(out.composite[first - 1] as number)).toBe(true);
    expect(out.confidence[first - 1]).toBe(0.3);
  });
});

describe('combineHybrid rules', () => {
  it('buckets by the New York session date, not the UTC date', () => {
    const out = combineHybrid({
      dailyDates: ['2021-03-01', '2021-03-02'],
      dailySignal: [0.1, -0.2],
      // 01:00Z on 03-02 is 20:00 on 03-01 in New York.
      hourlyTimestamps: ['2021-03-01T20:00:00Z', '2021-03-02T01:00:00Z', '2021-03-02T15:00:00Z'],
      hourlySignal: [0.5, 0.25, -0.5],
    });
    expect(out.hourlyDaily).toEqual([0.25, -0.5]);
    expect(out.confidence[0]).toBeCloseTo(0.7 + 0.3 * 0.25, 15);
  });

  it('follows numpy sign semantics: zeros agree, NaN never does', () => {
    const out = combineHybrid({
      dailyDates: ['2021-03-01', '2021-03-02', '2021-03-03'],
      dailySignal: [0, 0.3, NaN],
      hourlyTimestamps: ['2021-03-01T15:00:00Z', '2021-03-02T15:00:00Z', '2021-03-03T15:00:00Z'],
      hourlySignal: [0, NaN, 0.2],
    });
    expect(out.confidence).toEqual([0.7, 0.3, 0.3]);
    expect(Number.isNaN(out.composite[1] as number)).toBe(true);
    expect(Number.isNaN(out.composite[2] as number)).toBe(true);
  });

  it('rejects bad input', () => {
    const ok = {
      dailyDates: ['2021-03-01'],
      dailySignal: [0.1],
      hourlyTimestamps: ['2021-03-01T15:00:00Z'],
      hourlySignal: [0.2],
    };
    expect(() => combineHybrid({ ...ok, dailySignal: [] })).toThrow(/dailySignal/);
    expect(() => combineHybrid({ ...ok, hourlySignal: [1, 2] })).toThrow(/hourlySignal/);
    expect(() => combineHybrid({ ...ok, dailyDates: ['03/01/2021'] })).toThrow(ValidationError);
    expect(() => combineHybrid({ ...ok, hourlyTimestamps: ['2021-03-01 15:00'] })).toThrow(
      /hourlyTimestamps/,
    );
    expect(() =>
      combineHybrid({
        ...ok,
        hourlyTimestamps: ['2021-03-01T15:00:00Z', '2021-03-01T14:00:00Z'],
        hourlySignal: [1, 2],
      }),
    ).toThrow(/hourlyTimestamps\[1\]/);
    expect(() => combineHybrid({ ...ok, dailySignal: [Infinity] })).toThrow(/dailySignal\[0\]/);
  });
});
