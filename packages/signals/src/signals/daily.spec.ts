import fc from 'fast-check';
import { argumentOf } from '../testing/argument-of';
import { computeDailySignals, DAILY_SIGNAL_NAMES, type DailySignals } from './daily';

fc.configureGlobal({ seed: 20261124 });

/** `n` session dates from 2015-01-02 on, one per calendar day. */
function datesOf(n: number): string[] {
  const start = Date.UTC(2015, 0, 2);
  return Array.from({ length: n }, (_, i) =>
    new Date(start + i * 86_400_000).toISOString().slice(0, 10),
  );
}

/** One array per signal of length `n`, filled with a value no signal gives. */
function outputs(n: number): DailySignals {
  const out = {} as Record<(typeof DAILY_SIGNAL_NAMES)[number], Float64Array>;
  for (const name of DAILY_SIGNAL_NAMES) out[name] = new Float64Array(n).fill(12345);
  return out;
}

describe('computeDailySignals with out', () => {
  it('writes the bits of the allocating call into the given arrays and returns them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.08, max: 0.08, noNaN: true }), { maxLength: 420 }),
        fc.boolean(),
        fc.constantFrom('zero' as const, 'nan' as const),
        fc.integer({ min: 2, max: 40 }),
        (moves, withMarket, warmup, window) => {
          const close = new Float64Array(moves.length);
          let price = 100;
          moves.forEach((m, i) => (close[i] = price *= 1 + m));
          const dates = datesOf(close.length);
          const marketReturns = withMarket
            ? Float64Array.from(moves, (m, i) => (i === 0 ? Number.NaN : m / 2 + 0.001))
            : undefined;
          const input = { close, dates, ...(marketReturns ? { marketReturns } : {}) };
          const config = { warmup, volatility_window: window, momentum_fast: window };
          const expected = computeDailySignals(input, config);
          // reused twice: a second series leaves nothing of the first
          const out = outputs(close.length);
          computeDailySignals({ close: close.map((c) => c * 2), dates }, config, out);
          const got = computeDailySignals(input, config, out);
          expect(got).toBe(out);
          for (const name of DAILY_SIGNAL_NAMES) {
            expect(got[name].every((v, i) => Object.is(v, expected[name][i]))).toBe(true);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('refuses outputs of another length or type, missing, or sharing memory', () => {
    const close = Float64Array.from({ length: 30 }, (_, i) => 100 + Math.sin(i));
    const dates = datesOf(30);
    const marketReturns = new Float64Array(30);
    const good = outputs(30);
    const cases: [unknown, string][] = [
      [{ ...good, Beta: new Float64Array(29) }, 'out.Beta'],
      [{ ...good, Carry: Array.from(good.Carry) }, 'out.Carry'],
      [{ ...good, TailRisk: undefined }, 'out.TailRisk'],
      [{ ...good, Momentum: close }, 'out.Momentum'],
      [{ ...good, Volatility: marketReturns }, 'out.Volatility'],
      [{ ...good, Carry: good.Volatility }, 'out.Carry'],
      [null, 'out'],
    ];
    for (const [out, argument] of cases) {
      expect(
        argumentOf(() =>
          computeDailySignals({ close, dates, marketReturns }, {}, out as DailySignals),
        ),
      ).toBe(argument);
    }
  });
});
