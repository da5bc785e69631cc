import fc from 'fast-check';
import { ValidationError } from '@quantpipe/core';
import type { CompositeMarket } from './composite-market';
import { assertDecisionSchedule, decisionScheduleFromCutoffs } from './decision-schedule';

const DAYS = Array.from({ length: 60 }, (_, i) =>
  new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
);

/** A market whose series hold the given subsets of DAYS (hourly: two bars a day). */
function marketOf(picks: readonly (readonly boolean[])[], benchmark: readonly boolean[]) {
  const series = (pick: readonly boolean[]) => {
    const timestamps = DAYS.filter((_, i) => pick[i]);
    return { timestamps, close: new Float64Array(timestamps.length).fill(10) };
  };
  const hourly = (pick: readonly boolean[]) => {
    const timestamps = DAYS.filter((_, i) => pick[i]).flatMap((d) => [
      `${d}T15:00:00Z`,
      `${d}T20:00:00Z`,
    ]);
    const ones = () => new Float64Array(timestamps.length).fill(10);
    return { timestamps, high: ones(), low: ones(), close: ones() };
  };
  const market: CompositeMarket = {
    symbols: picks.map((_, i) => `S${i}`),
    benchmarkSymbol: 'B',
    daily: picks.map(series),
    benchmark: series(benchmark),
    hourly: picks.map(hourly),
  };
  return market;
}

const count = (timestamps: readonly string[], ok: (t: string) => boolean) =>
  timestamps.filter(ok).length;

describe('decisionScheduleFromCutoffs', () => {
  it('each decision sees the bars up to its cutoff, from the history start on', () => {
    const pick = fc.array(fc.boolean(), { minLength: DAYS.length, maxLength: DAYS.length });
    fc.assert(
      fc.property(
        fc.array(pick, { minLength: 1, maxLength: 4 }),
        pick,
        fc.array(fc.integer({ min: 0, max: DAYS.length - 1 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 3 }),
        (picks, benchmarkPick, indices, startIndex, lag) => {
          const market = marketOf(picks, benchmarkPick);
          const cutoffs = [...indices].sort((a, b) => a - b).map((i) => DAYS[i] as string);
          const start = DAYS[startIndex] as string;
          const benchmark = cutoffs.map((c, d) => cutoffs[Math.max(0, d - lag)] ?? c);
          const hourly = cutoffs.map((c) => `${c}T16:00:00Z`);
          const schedule = decisionScheduleFromCutoffs(market, {
            daily: cutoffs,
            benchmark,
            hourly,
            historyStart: start,
            hourlyHistoryStart: `${start}T00:00:00Z`,
          });
          assertDecisionSchedule(schedule, market);
          const n = picks.length;
          expect(schedule.decisions).toBe(cutoffs.length);
          market.daily.forEach((series, s) => {
            expect(schedule.dailyFirst[s]).toBe(count(series.timestamps, (t) => t < start));
            cutoffs.forEach((c, d) =>
              expect(schedule.dailyEnd[d * n + s]).toBe(count(series.timestamps, (t) => t <= c)),
            );
            const h = market.hourly?.[s]?.timestamps ?? [];
            cutoffs.forEach((_, d) =>
              expect(schedule.hourlyEnd?.[d * n + s]).toBe(
                count(h, (t) => t <= (hourly[d] as string)),
              ),
            );
          });
          const b = market.benchmark?.timestamps ?? [];
          expect(schedule.benchmarkFirst).toBe(count(b, (t) => t < start));
          benchmark.forEach((c, d) =>
            expect(schedule.benchmarkEnd[d]).toBe(count(b, (t) => t <= c)),
          );
          expect(Array.from(schedule.hourlyUsed ?? [])).toEqual(cutoffs.map(() => 1));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects decreasing cutoffs and mismatched counts', () => {
    const market = marketOf(
      [DAYS.map(() => true)],
      DAYS.map(() => true),
    );
    expect(() =>
      decisionScheduleFromCutoffs(market, { daily: [DAYS[3] as string, DAYS[2] as string] }),
    ).toThrow(/cutoffs\.daily\[1\]/);
    expect(() =>
      decisionScheduleFromCutoffs(market, {
        daily: [DAYS[3] as string],
        benchmark: [DAYS[3] as string, DAYS[4] as string],
      }),
    ).toThrow(ValidationError);
  });
});

describe('assertDecisionSchedule', () => {
  const market = marketOf(
    [DAYS.map((_, i) => i % 2 === 0)],
    DAYS.map(() => true),
  );
  const good = decisionScheduleFromCutoffs(market, {
    daily: [DAYS[10] as string, DAYS[20] as string],
    hourly: [`${DAYS[10]}T23:00:00Z`, `${DAYS[20]}T23:00:00Z`],
  });

  it('accepts a schedule built for the market', () => {
    expect(() => assertDecisionSchedule(good, market)).not.toThrow();
  });

  it('names the entry that is out of range or shrinks', () => {
    expect(() =>
      assertDecisionSchedule({ ...good, dailyEnd: Int32Array.from([5, 999]) }, market),
    ).toThrow(/schedule\.dailyEnd\[1\]/);
    expect(() =>
      assertDecisionSchedule({ ...good, benchmarkEnd: Int32Array.from([20, 3]) }, market),
    ).toThrow(/benchmark's visible bars shrink/);
    expect(() => assertDecisionSchedule({ ...good, decisions: -1 }, market)).toThrow(/decisions/);
    expect(() =>
      assertDecisionSchedule({ ...good, hourlyEnd: Int32Array.from([1]) }, market),
    ).toThrow(/hourlyEnd/);
  });

  it('treats an end before the first bar as nothing visible, not as shrinking', () => {
    const late = { ...good, dailyFirst: Int32Array.from([4]), dailyEnd: Int32Array.from([6, 2]) };
    // [4, 6) then [4, max(4, 2)) = [4, 4): the second decision would see fewer bars
    expect(() => assertDecisionSchedule(late, market)).toThrow(/shrink/);
    const none = { ...good, dailyFirst: Int32Array.from([4]), dailyEnd: Int32Array.from([2, 3]) };
    expect(() => assertDecisionSchedule(none, market)).not.toThrow();
  });
});
