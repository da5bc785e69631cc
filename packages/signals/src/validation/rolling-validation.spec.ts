import fc from 'fast-check';
import { argumentOf } from '../testing/argument-of';
import { gappyValues } from '../testing/arbitraries';
import { rollingValidation, ValidationState, type RollingValidation } from './rolling-validation';

fc.configureGlobal({ seed: 20261124 });

/** Three output arrays of length `n`, filled with a value no pass writes. */
function outputs(n: number): RollingValidation {
  return {
    ic: new Float64Array(n).fill(12345),
    hitRate: new Float64Array(n).fill(12345),
    turnoverAdjustedIc: new Float64Array(n).fill(12345),
  };
}

/** Whether `a` and `b` hold the same bits (NaN equal to NaN, -0 apart from 0). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

describe('rollingValidation with options.out', () => {
  it('writes the bits of the allocating call into the given arrays and returns them', () => {
    fc.assert(
      fc.property(gappyValues(120), fc.integer({ min: 2, max: 30 }), (values, window) => {
        const signal = Float64Array.from(values);
        const returns = signal.map((v, i) => (i % 7 === 3 ? Number.NaN : Math.sin(i) / 50 + v / 9));
        const expected = rollingValidation(signal, returns, { window });
        const out = outputs(signal.length);
        const got = rollingValidation(signal, returns, { window, out });
        expect(got).toBe(out);
        expect(sameBits(got.ic, expected.ic)).toBe(true);
        expect(sameBits(got.hitRate, expected.hitRate)).toBe(true);
        expect(sameBits(got.turnoverAdjustedIc, expected.turnoverAdjustedIc)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('leaves nothing of an earlier series in reused arrays', () => {
    const n = 300;
    const a = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 3));
    const b = Float64Array.from({ length: n }, (_, i) => (i < 40 ? Number.NaN : Math.cos(i / 5)));
    const r = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 7) / 100);
    const out = outputs(n);
    rollingValidation(a, r, { window: 20, out });
    rollingValidation(b, r, { window: 20, out });
    const fresh = rollingValidation(b, r, { window: 20 });
    expect(sameBits(out.ic, fresh.ic)).toBe(true);
    expect(sameBits(out.hitRate, fresh.hitRate)).toBe(true);
    expect(sameBits(out.turnoverAdjustedIc, fresh.turnoverAdjustedIc)).toBe(true);
    // the warm-up of the second series is NaN again, not the first series' values
    expect(Number.isNaN(out.ic[30] as number)).toBe(true);
  });

  it('refuses outputs of another length, type or missing, and shared memory', () => {
    const x = Float64Array.from({ length: 10 }, (_, i) => i % 3);
    const y = Float64Array.from({ length: 10 }, (_, i) => (i % 2) - 0.5);
    const good = outputs(10);
    const shared = new Float64Array(20);
    const cases: [RollingValidation | null, string][] = [
      [{ ...good, ic: new Float64Array(9) }, 'options.out.ic'],
      [{ ...good, hitRate: [1, 2] as unknown as Float64Array }, 'options.out.hitRate'],
      [
        { ic: good.ic, hitRate: good.hitRate } as RollingValidation,
        'options.out.turnoverAdjustedIc',
      ],
      [{ ...good, ic: x }, 'options.out.ic'],
      [{ ...good, turnoverAdjustedIc: good.ic }, 'options.out.turnoverAdjustedIc'],
      [
        { ...good, ic: shared.subarray(0, 10), hitRate: shared.subarray(9, 19) },
        'options.out.hitRate',
      ],
      [null, 'options.out'],
    ];
    for (const [out, argument] of cases) {
      expect(
        argumentOf(() =>
          rollingValidation(x, y, { window: 3, out: out as unknown as RollingValidation }),
        ),
      ).toBe(argument);
    }
    // adjacent views of one buffer share no byte: accepted
    const adjacent = {
      ic: shared.subarray(0, 10),
      hitRate: shared.subarray(10, 20),
      turnoverAdjustedIc: new Float64Array(10),
    };
    expect(rollingValidation(x, y, { window: 3, out: adjacent })).toBe(adjacent);
  });
});

describe('rollingValidation with infinite values', () => {
  it('leaves a pair with an infinite value out of the IC, as a NaN pair', () => {
    fc.assert(
      fc.property(
        gappyValues(120),
        fc.integer({ min: 2, max: 30 }),
        fc.integer({ min: 0, max: 119 }),
        fc.constantFrom(Infinity, -Infinity),
        fc.boolean(),
        (values, window, at, infinite, inSignal) => {
          const signal = Float64Array.from(values);
          const returns = signal.map((v, i) => Math.sin(i) / 50 + v / 9);
          const withInfinite = (inSignal ? signal : returns).slice();
          const withNaN = withInfinite.slice();
          // the return paired with the signal at bar t is the one of bar t + 1
          const k = inSignal ? at : Math.max(at, 1);
          withInfinite[k] = infinite;
          withNaN[k] = Number.NaN;
          const ic = (s: Float64Array, r: Float64Array) => rollingValidation(s, r, { window }).ic;
          const a = inSignal ? ic(withInfinite, returns) : ic(signal, withInfinite);
          const b = inSignal ? ic(withNaN, returns) : ic(signal, withNaN);
          expect(sameBits(a, b)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('rollingValidation against the next return', () => {
  it('gives every bar, the last one (no next return) and short series included, the bits of the online state', () => {
    fc.assert(
      fc.property(
        gappyValues(40),
        gappyValues(40),
        fc.integer({ min: 2, max: 12 }),
        (signalValues, returnValues, window) => {
          const n = Math.min(signalValues.length, returnValues.length);
          const signal = Float64Array.from(signalValues.slice(0, n));
          const returns = Float64Array.from(returnValues.slice(0, n));
          const batch = rollingValidation(signal, returns, { window });
          const state = new ValidationState(window);
          const online = outputs(n);
          for (let s = 0; s < n; s++) {
            state.step(signal[s] as number, s + 1 < n ? (returns[s + 1] as number) : NaN);
            online.ic[s] = state.ic;
            online.hitRate[s] = state.hitRate;
            online.turnoverAdjustedIc[s] = state.turnoverAdjustedIc;
          }
          return (
            sameBits(batch.ic, online.ic) &&
            sameBits(batch.hitRate, online.hitRate) &&
            sameBits(batch.turnoverAdjustedIc, online.turnoverAdjustedIc)
          );
        },
      ),
      { numRuns: 400 },
    );
  });
});
