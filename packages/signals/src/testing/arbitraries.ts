// fast-check generators shared by the property tests.
import fc from 'fast-check';

/** Values with NaN gaps, repeated values, zeros and -0 (to hit pandas' special cases). */
export const gappyValues = (maxLength = 90): fc.Arbitrary<number[]> =>
  fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -0.2, max: 0.2, noNaN: true }) },
      { weight: 1, arbitrary: fc.constant(Number.NaN) },
      { weight: 1, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.constant(-0) },
      { weight: 1, arbitrary: fc.constant(0.01) },
    ),
    { maxLength },
  );

/** Consecutive ISO dates from 2019-12-20 with gaps of 1..4 days. */
export function datesFromGaps(gaps: readonly number[]): string[] {
  let t = Date.UTC(2019, 11, 20);
  return gaps.map((g) => {
    t += g * 86_400_000;
    return new Date(t).toISOString().slice(0, 10);
  });
}

/** A random daily history: closes, dates and market returns (with occasional NaN gaps). */
export interface DailyHistory {
  close: number[];
  dates: string[];
  marketReturns: number[];
}

/** Daily histories of `minLength..maxLength` bars. */
export const dailyHistory = (minLength: number, maxLength: number): fc.Arbitrary<DailyHistory> =>
  fc.integer({ min: minLength, max: maxLength }).chain((n) =>
    fc
      .record({
        moves: fc.array(fc.double({ min: -0.08, max: 0.08, noNaN: true }), {
          minLength: n,
          maxLength: n,
        }),
        gaps: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: n, maxLength: n }),
        market: fc.array(
          fc.oneof(
            { weight: 12, arbitrary: fc.double({ min: -0.05, max: 0.05, noNaN: true }) },
            { weight: 1, arbitrary: fc.constant(Number.NaN) },
          ),
          { minLength: n, maxLength: n },
        ),
        start: fc.double({ min: 5, max: 500, noNaN: true }),
      })
      .map(({ moves, gaps, market, start }) => {
        const close: number[] = [];
        let p = start;
        for (const m of moves) {
          p *= 1 + m;
          close.push(p);
        }
        return { close, dates: datesFromGaps(gaps), marketReturns: market };
      }),
  );

/** Small signal windows so that short histories exercise every code path. */
export const smallConfig = fc.record({
  volatility_window: fc.integer({ min: 2, max: 12 }),
  momentum_fast: fc.integer({ min: 2, max: 12 }),
  momentum_slow: fc.integer({ min: 2, max: 30 }),
  tail_window: fc.integer({ min: 2, max: 30 }),
  beta_window: fc.integer({ min: 2, max: 30 }),
});
