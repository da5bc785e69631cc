import { ValidationError } from '@quantpipe/core';
import fc from 'fast-check';
import { expit, healthScore, healthScoreValue } from './index';
import { gappyValues } from './testing/arbitraries';

fc.configureGlobal({ seed: 20261124 });

describe('healthScore', () => {
  it('keeps the spec quirk: the turnover term skips the trailing NaN (62 of 63 values)', () => {
    const n = 300;
    const ic = Array.from({ length: n }, (_, i) => (i < 50 ? Number.NaN : 0.01 * Math.sin(i)));
    ic[n - 1] = Number.NaN;
    const tadj = ic.map((v) => v / 2);
    const h = healthScore({ ic, turnoverAdjustedIc: tadj }, { lookback: 63 });
    const last62 = tadj.slice(n - 63, n - 1);
    expect(h.recentTurnoverIc).toBeCloseTo(last62.reduce((a, b) => a + b, 0) / 62, 15);
    // IC windows are taken after dropping NaN
    const clean = ic.filter((v) => !Number.isNaN(v));
    expect(h.icSeriesLength).toBe(clean.length);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(h.recentIc).toBeCloseTo(mean(clean.slice(-63)), 15);
    expect(h.pastIc).toBeCloseTo(mean(clean.slice(-126, -63)), 15);
    expect(h.veryPastIc).toBeCloseTo(mean(clean.slice(-189, -126)), 15);
    expect(h.score).toBeCloseTo(
      0.35 * expit(h.recentIc / 0.015) +
        0.2 * expit(-h.recentIcStd / 0.02) +
        0.15 * expit(h.recentTurnoverIc / 0.01) +
        0.2 * expit(h.icTrend / 0.01) +
        0.1 * expit(h.icAcceleration / 0.005),
      15,
    );
  });

  it('follows Python slicing on short series (empty windows give NaN)', () => {
    const ic = [0.01, 0.02, 0.03, 0.04];
    const h = healthScore({ ic, turnoverAdjustedIc: ic }, { lookback: 3 });
    expect(h.recentIc).toBeCloseTo(0.03, 15); // last 3
    expect(h.pastIc).toBeCloseTo(0.01, 15); // ic[-6:-3] = ic[0:1]
    expect(Number.isNaN(h.veryPastIc)).toBe(true); // ic[-9:-6] is empty
    expect(Number.isNaN(h.icAcceleration)).toBe(true);
    expect(Number.isNaN(h.score)).toBe(true);
    const single = healthScore({ ic: [0.02], turnoverAdjustedIc: [0.02] }, { lookback: 63 });
    expect(Number.isNaN(single.recentIcStd)).toBe(true); // ddof 1 of one value
  });
});

describe('healthScoreValue', () => {
  it('is the score of healthScore on the same slices, bit for bit', () => {
    fc.assert(
      fc.property(
        gappyValues(400),
        fc.integer({ min: 2, max: 70 }),
        fc.nat(),
        fc.nat(),
        (values, lookback, a, b) => {
          const ic = Float64Array.from(values);
          const tadj = ic.map((v, i) => (i % 5 === 0 ? Number.NaN : v / 3));
          const n = ic.length;
          const from = n === 0 ? 0 : a % (n + 1);
          const to = from + (n - from === 0 ? 0 : b % (n - from + 1));
          const expected = healthScore(
            { ic: ic.subarray(from, to), turnoverAdjustedIc: tadj.subarray(from, to) },
            { lookback },
          ).score;
          expect(Object.is(healthScoreValue(ic, tadj, lookback, from, to), expected)).toBe(true);
          const whole = healthScore({ ic, turnoverAdjustedIc: tadj }, { lookback }).score;
          expect(Object.is(healthScoreValue(ic, tadj, lookback), whole)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses bad ranges and lookbacks with a ValidationError naming them', () => {
    const ic = [0.1, 0.2, 0.3];
    const cases: [() => unknown, string][] = [
      [() => healthScoreValue(ic, ic, 1), 'lookback'],
      [() => healthScoreValue(ic, ic, 63, -1), 'from'],
      [() => healthScoreValue(ic, ic, 63, 2, 1), 'from'],
      [() => healthScoreValue(ic, ic, 63, 0, 4), 'to'],
      [() => healthScoreValue(ic, ic, 63, 0, 1.5), 'to'],
      [() => healthScoreValue(null as never, ic), 'ic'],
    ];
    for (const [call, argument] of cases) {
      expect(call).toThrow(ValidationError);
      try {
        call();
      } catch (error) {
        expect((error as ValidationError).argument).toBe(argument);
      }
    }
  });
});
