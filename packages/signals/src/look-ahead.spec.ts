import fc from 'fast-check';
import {
  betaSignal,
  computeDailySignals,
  DAILY_SIGNAL_NAMES,
  hourlySignal,
  momentumSignal,
  rollingValidation,
  tailRiskSignal,
  volatilitySignal,
} from './index';
import { dailyHistory, gappyValues, smallConfig } from './testing/arbitraries';

// Fixed seed: the property tests are deterministic.
fc.configureGlobal({ seed: 20261124 });

function sameUpTo(a: Float64Array, b: Float64Array, count: number): boolean {
  for (let i = 0; i < count; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('no look-ahead: values at t do not depend on data after t', () => {
  it('daily signals on a truncated or altered future are unchanged up to t', () => {
    fc.assert(
      fc.property(
        dailyHistory(2, 80),
        dailyHistory(1, 30),
        smallConfig,
        fc.nat(),
        (h, future, config, cut) => {
          const t = cut % h.close.length;
          const full = computeDailySignals(h, config);
          const truncated = computeDailySignals(
            {
              close: h.close.slice(0, t + 1),
              dates: h.dates.slice(0, t + 1),
              marketReturns: h.marketReturns.slice(0, t + 1),
            },
            config,
          );
          // a different future: new moves after t, dates continuing after dates[t]
          const last = h.close[t] as number;
          const shiftDays = Date.parse(h.dates[t] as string) - Date.parse('2019-12-20');
          const altered = computeDailySignals(
            {
              close: [...h.close.slice(0, t + 1), ...future.close.map((c) => (c / 100) * last)],
              dates: [
                ...h.dates.slice(0, t + 1),
                ...future.dates.map((d) =>
                  new Date(Date.parse(d) + shiftDays).toISOString().slice(0, 10),
                ),
              ],
              marketReturns: [...h.marketReturns.slice(0, t + 1), ...future.marketReturns],
            },
            config,
          );
          for (const name of DAILY_SIGNAL_NAMES) {
            expect(sameUpTo(full[name], truncated[name], t + 1)).toBe(true);
            expect(sameUpTo(full[name], altered[name], t + 1)).toBe(true);
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('hourly signal on a truncated history is unchanged up to t', () => {
    fc.assert(
      fc.property(dailyHistory(2, 120), fc.nat(), (h, cut) => {
        const t = cut % h.close.length;
        const high = h.close.map((c) => c * 1.01);
        const low = h.close.map((c) => c * 0.99);
        const full = hourlySignal({ high, low, close: h.close });
        const part = hourlySignal({
          high: high.slice(0, t + 1),
          low: low.slice(0, t + 1),
          close: h.close.slice(0, t + 1),
        });
        expect(sameUpTo(full, part, t + 1)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('rolling validation at s uses data up to s+1 only (research alignment)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 80 }),
        fc.integer({ min: 2, max: 20 }),
        fc.nat(),
        (signal, window, cut) => {
          const returns = signal.map((v, i) => Math.sin(i + v) * 0.02);
          const t = 1 + (cut % (signal.length - 1));
          const full = rollingValidation(signal, returns, { window });
          const part = rollingValidation(signal.slice(0, t + 1), returns.slice(0, t + 1), {
            window,
          });
          // indices 0..t-1 have their next return inside the prefix
          expect(sameUpTo(full.ic, part.ic, t)).toBe(true);
          expect(sameUpTo(full.hitRate, part.hitRate, t)).toBe(true);
          expect(sameUpTo(full.turnoverAdjustedIc, part.turnoverAdjustedIc, t)).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('NaN and gaps in returns', () => {
  it('never throw in the signal kernels and daily signals stay finite (fillna(0))', () => {
    fc.assert(
      fc.property(gappyValues(120), gappyValues(120), (r, m0) => {
        const m = r.map((_, i) => m0[i] ?? Number.NaN);
        const series = [
          volatilitySignal(r),
          momentumSignal(r, m),
          momentumSignal(r),
          tailRiskSignal(r),
          betaSignal(r, m),
          betaSignal(r),
        ];
        for (const s of series) {
          expect(s.length).toBe(r.length);
          expect(Array.from(s).every(Number.isFinite)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a NaN return zeroes exactly the windows that hold it (Momentum without market)', () => {
    const r = Array.from({ length: 100 }, (_, i) => Math.sin(i) * 0.01);
    r[70] = Number.NaN;
    const s = momentumSignal(r, undefined, { momentum_fast: 5, momentum_slow: 10 });
    // windows ending in 70..79 contain the NaN (slow window 10): the spec's NaN, filled with 0
    for (let i = 70; i < 80; i++) expect(s[i]).toBe(0);
    expect(s[69]).not.toBe(0);
    expect(s[80]).not.toBe(0);
  });

  it('the hourly signal keeps NaN where the spec gives NaN (no fillna)', () => {
    const close = Array.from({ length: 60 }, (_, i) => 100 + Math.sin(i));
    const s = hourlySignal({
      high: close.map((c) => c + 0.5),
      low: close.map((c) => c - 0.5),
      close,
    });
    for (let i = 0; i < 20; i++) expect(Number.isNaN(s[i])).toBe(true);
    for (let i = 20; i < 60; i++) expect(Number.isFinite(s[i])).toBe(true);
  });
});
