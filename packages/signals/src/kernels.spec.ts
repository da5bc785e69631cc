import fc from 'fast-check';
import { expit } from './kernels/expit';
import { pctChange } from './kernels/pct-change';
import { rollingCorr, rollingCov } from './kernels/rolling-cov';
import { rollingMax, rollingMin } from './kernels/rolling-extreme';
import { rollingMean, rollingStd, rollingSum, rollingVar } from './kernels/rolling-moments';
import { rollingQuantile } from './kernels/rolling-quantile';
import { diff, fillNaN, shift } from './kernels/series-ops';
import { RollingCovWindow } from './online/rolling-cov-window';
import { RollingQuantileWindow } from './online/rolling-quantile-window';
import { RollingSumWindow } from './online/rolling-sum-window';
import { RollingVarWindow } from './online/rolling-var-window';
import { sortedPass } from './kernels/sorted-window';
import { tailPass } from './kernels/tail-quantiles';
import { gappyValues } from './testing/arbitraries';

// Fixed seed: the property tests are deterministic.
fc.configureGlobal({ seed: 20261124 });

/** The window ending at `i`, or undefined when it is not full or holds a NaN (min_periods = w). */
function fullWindow(x: readonly number[], i: number, w: number): number[] | undefined {
  if (i + 1 < w) return undefined;
  const win = x.slice(i + 1 - w, i + 1);
  return win.some(Number.isNaN) ? undefined : win;
}

function twoPassVar(win: readonly number[]): number {
  const m = win.reduce((a, b) => a + b, 0) / win.length;
  return win.reduce((a, b) => a + (b - m) * (b - m), 0) / (win.length - 1);
}

function sortedQuantile(win: readonly number[], q: number): number {
  const s = [...win].sort((a, b) => a - b);
  const h = q * (s.length - 1);
  const i = Math.floor(h);
  const lo = s[i] as number;
  return h === i ? lo : lo + ((s[i + 1] as number) - lo) * (h - i);
}

/** Same NaN pattern as the naive reference, and values within `tol` absolute. */
function checkAgainst(
  actual: Float64Array,
  x: readonly number[],
  w: number,
  reference: (win: number[]) => number,
  tol = 1e-12,
): void {
  for (let i = 0; i < x.length; i++) {
    const win = fullWindow(x, i, w);
    const got = actual[i] as number;
    if (win === undefined) {
      if (!Number.isNaN(got)) throw new Error(`[${i}] expected NaN, got ${got}`);
      continue;
    }
    const ref = reference(win);
    if (!(Math.abs(got - ref) <= tol + 1e-9 * Math.abs(ref))) {
      throw new Error(`[${i}] expected ${ref}, got ${got}`);
    }
  }
}

const window = fc.integer({ min: 2, max: 12 });

describe('rolling kernels match a naive two-pass reference, NaN for NaN', () => {
  it('rollingSum / rollingMean', () => {
    fc.assert(
      fc.property(gappyValues(), window, (x, w) => {
        checkAgainst(rollingSum(x, w), x, w, (win) => win.reduce((a, b) => a + b, 0));
        checkAgainst(rollingMean(x, w), x, w, (win) => win.reduce((a, b) => a + b, 0) / w);
      }),
    );
  });

  it('rollingVar / rollingStd (ddof 1; exactly 0 on identical values)', () => {
    fc.assert(
      fc.property(gappyValues(), window, (x, w) => {
        checkAgainst(rollingVar(x, w), x, w, twoPassVar);
        const v = rollingVar(x, w);
        const sd = rollingStd(x, w);
        for (let i = 0; i < x.length; i++) {
          const vi = v[i] as number;
          // std is zsqrt(var): a rounding residue below 0 gives 0, NaN stays NaN
          expect(Object.is(sd[i], vi < 0 ? 0 : Math.sqrt(vi))).toBe(true);
        }
        for (let i = 0; i < x.length; i++) {
          const win = fullWindow(x, i, w);
          if (win !== undefined && win.every((a) => a === win[0])) expect(v[i]).toBe(0);
        }
      }),
    );
  });

  it('rollingQuantile (linear) / rollingMin / rollingMax', () => {
    fc.assert(
      fc.property(gappyValues(), window, fc.double({ min: 0, max: 1, noNaN: true }), (x, w, q) => {
        checkAgainst(rollingQuantile(x, w, q), x, w, (win) => sortedQuantile(win, q), 1e-15);
        checkAgainst(rollingMin(x, w), x, w, (win) => Math.min(...win), 0);
        checkAgainst(rollingMax(x, w), x, w, (win) => Math.max(...win), 0);
      }),
    );
  });

  it('rollingCov / rollingCorr mask each series by the other NaNs', () => {
    fc.assert(
      fc.property(gappyValues(60), gappyValues(60), window, (a0, b0, w) => {
        const n = Math.min(a0.length, b0.length);
        const a = a0.slice(0, n);
        const b = b0.slice(0, n);
        const cov = rollingCov(a, b, w);
        const corr = rollingCorr(a, b, w);
        for (let i = 0; i < n; i++) {
          const wa = fullWindow(a, i, w);
          const wb = fullWindow(b, i, w);
          if (wa === undefined || wb === undefined) {
            expect(Number.isNaN(cov[i])).toBe(true);
            expect(Number.isNaN(corr[i])).toBe(true);
            continue;
          }
          const ma = wa.reduce((s, v) => s + v, 0) / w;
          const mb = wb.reduce((s, v) => s + v, 0) / w;
          let c = 0;
          for (let k = 0; k < w; k++) c += ((wa[k] as number) - ma) * ((wb[k] as number) - mb);
          c /= w - 1;
          expect(Math.abs((cov[i] as number) - c)).toBeLessThanOrEqual(1e-12);
          const va = twoPassVar(wa);
          const vb = twoPassVar(wb);
          if (va > 1e-6 && vb > 1e-6) {
            expect(Math.abs((corr[i] as number) - c / Math.sqrt(va * vb))).toBeLessThanOrEqual(
              1e-7,
            );
          }
          if (wa.every((v) => v === wa[0]) || wb.every((v) => v === wb[0])) {
            // a constant window has exactly zero variance: never a finite correlation
            expect(Number.isFinite(corr[i])).toBe(false);
          }
        }
      }),
    );
  });
});

describe('online windows give the batch kernels bit for bit', () => {
  it('sum, mean, var, std, quantile, cov and corr', () => {
    fc.assert(
      fc.property(gappyValues(), gappyValues(), window, (x, y0, w) => {
        const y = x.map((_, i) => y0[i % Math.max(1, y0.length)] ?? 0.5);
        const sums = rollingSum(x, w);
        const means = rollingMean(x, w);
        const vars = rollingVar(x, w);
        const stds = rollingStd(x, w);
        const q = rollingQuantile(x, w, 0.05);
        const cov = rollingCov(x, y, w);
        const corr = rollingCorr(x, y, w);
        const s = new RollingSumWindow(w);
        const v = new RollingVarWindow(w);
        const qw = new RollingQuantileWindow(w);
        const cw = new RollingCovWindow(w);
        for (let i = 0; i < x.length; i++) {
          s.push(x[i] as number);
          v.push(x[i] as number);
          qw.push(x[i] as number);
          cw.push(x[i] as number, y[i] as number);
          expect(Object.is(s.sum(), sums[i])).toBe(true);
          expect(Object.is(s.mean(), means[i])).toBe(true);
          expect(Object.is(v.variance(), vars[i])).toBe(true);
          expect(Object.is(v.std(), stds[i])).toBe(true);
          expect(Object.is(qw.quantile(0.05), q[i])).toBe(true);
          expect(Object.is(cw.cov(), cov[i])).toBe(true);
          expect(Object.is(cw.corr(), corr[i])).toBe(true);
        }
      }),
    );
  });
});

describe('series helpers', () => {
  it('pctChange forward-fills NaN prices as pandas 1.5 does', () => {
    const r = pctChange([100, 110, Number.NaN, 121]);
    expect(Number.isNaN(r[0])).toBe(true);
    expect(r[1]).toBeCloseTo(0.1, 15);
    expect(r[2]).toBe(0);
    expect(r[3]).toBeCloseTo(0.1, 15);
    expect(
      Array.from(pctChange([Number.NaN, 2, 3]))
        .slice(0, 2)
        .every(Number.isNaN),
    ).toBe(true);
  });

  it('diff, shift and fillNaN follow pandas', () => {
    expect(Array.from(diff([1, 4, 9]))).toEqual([Number.NaN, 3, 5]);
    expect(Array.from(shift([1, 2, 3], -1))).toEqual([2, 3, Number.NaN]);
    expect(Array.from(shift([1, 2, 3], 1))).toEqual([Number.NaN, 1, 2]);
    expect(Array.from(fillNaN([Number.NaN, 2]))).toEqual([0, 2]);
  });

  it('expit is the logistic function', () => {
    expect(expit(0)).toBe(0.5);
    expect(expit(2)).toBeCloseTo(1 / (1 + Math.exp(-2)), 16);
    expect(expit(-800)).toBe(0);
    expect(Number.isNaN(expit(Number.NaN))).toBe(true);
  });

  it('kernels do not mutate their input', () => {
    const x = new Float64Array([1, 2, Number.NaN, 4, 5, 6]);
    const copy = Float64Array.from(x);
    rollingSum(x, 2);
    rollingStd(x, 3);
    rollingQuantile(x, 3, 0.5);
    rollingCorr(x, x, 3);
    expect(Array.from(x)).toEqual(Array.from(copy));
  });
});

describe('tail quantiles (TailRisk) without a full sort', () => {
  it('equal the sorted-window quantiles bit for bit (ties, -0, NaN gaps, any window)', () => {
    const value = fc.oneof(
      fc.constantFrom(-0.01, 0, -0, 0.01, 0.02),
      fc.double({ min: -0.1, max: 0.1, noNaN: true }),
    );
    // mostly clean stretches (the steady-state path) with an occasional NaN gap
    const tieValues = fc.array(
      fc.oneof({ weight: 60, arbitrary: value }, { weight: 1, arbitrary: fc.constant(Number.NaN) }),
      { maxLength: 300 },
    );
    fc.assert(
      fc.property(tieValues, fc.integer({ min: 2, max: 80 }), (values, w) => {
        const x = Float64Array.from(values);
        const a1 = new Float64Array(x.length);
        const a2 = new Float64Array(x.length);
        const tails = new Float64Array(2 * x.length);
        const b1 = tails.subarray(0, x.length);
        const b2 = tails.subarray(x.length);
        const quantiles = [
          { q: 0.05, values: a1 },
          { q: 0.95, values: a2 },
        ];
        sortedPass(x, w, quantiles);
        tailPass(x, w, 0.05, 0.95, tails);
        for (let i = 0; i < x.length; i++) {
          if (!Object.is(a1[i], b1[i]) || !Object.is(a2[i], b2[i])) {
            throw new Error(`[${i}] ${a1[i]}/${b1[i]} ${a2[i]}/${b2[i]}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
