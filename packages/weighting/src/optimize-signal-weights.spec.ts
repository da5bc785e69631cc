import fc from 'fast-check';
import { Matrix } from 'ml-matrix';
import { ValidationError } from '@quantpipe/core';
import golden from './__fixtures__/golden-weighting.json';
import { optimizeSignalWeights, prepareSignalWeightProblem, signalWeightObjective } from './index';
import { faceEnumerationMinimum } from './testing/face-enumeration';

const ORDER = ['Volatility', 'Momentum', 'TailRisk', 'Beta', 'Carry'] as const;

function sumOf(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

describe('optimizeSignalWeights against the seed reference (dynamic_weights)', () => {
  it.each(golden.dynamic_weights.map((c) => [`${c.symbol} ${c.rows}`, c] as const))(
    '%s: no worse than SLSQP, equal to the global minimum',
    (_name, c) => {
      const corr = ORDER.map((a) => ORDER.map((b) => c.signal_corr[a][b]));
      const r = optimizeSignalWeights({
        names: ORDER,
        ics: c.signal_ics,
        corr,
        baseWeights: c.base_weights,
      });
      expect(r.objective).toBeLessThanOrEqual(c.objective_at_weights + 1e-12);
      expect(r.objective).toBeLessThanOrEqual(c.objective_tight_ftol + 1e-12);
      expect(Math.abs(r.objective - c.global_minimum_objective)).toBeLessThanOrEqual(1e-15);
      for (const name of ORDER) {
        expect(
          Math.abs((r.weights[name] as number) - c.global_minimum_weights[name]),
        ).toBeLessThanOrEqual(1e-6);
        expect(r.weights[name]).toBeGreaterThanOrEqual(0.05);
        expect(r.weights[name]).toBeLessThanOrEqual(0.5);
      }
      expect(Math.abs(sumOf(Object.values(r.weights)) - 1)).toBeLessThanOrEqual(1e-12);
    },
  );

  it('beats SLSQP where SLSQP stops short (the full-history case)', () => {
    const c = golden.dynamic_weights.find((d) => d.rows === 'full history');
    if (c === undefined) throw new Error('missing case');
    expect(c.global_minimum_objective).toBeLessThan(c.objective_at_weights - 1e-5);
    const corr = ORDER.map((a) => ORDER.map((b) => c.signal_corr[a][b]));
    const r = optimizeSignalWeights({ names: ORDER, ics: c.signal_ics, corr });
    expect(r.objective).toBeLessThan(c.objective_at_weights - 1e-5);
  });

  it('accepts an ml-matrix correlation and IC arrays', () => {
    const c = golden.dynamic_weights[0];
    if (c === undefined) throw new Error('missing case');
    const corr = new Matrix(ORDER.map((a) => ORDER.map((b) => c.signal_corr[a][b])));
    const r = optimizeSignalWeights({ names: ORDER, ics: ORDER.map((n) => c.signal_ics[n]), corr });
    expect(r.objective).toBeCloseTo(c.global_minimum_objective, 15);
  });
});

/** Random problem: ICs in [-0.2, 0.2] and a symmetric matrix with entries in [-1, 1]. */
function problemArb(minN: number, maxN: number) {
  return fc.integer({ min: minN, max: maxN }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      ics: fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), {
        minLength: n,
        maxLength: n,
      }),
      upper: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
        minLength: (n * (n - 1)) / 2,
        maxLength: (n * (n - 1)) / 2,
      }),
      bounds: fc
        .tuple(
          fc.double({ min: 0, max: 1 / n, noNaN: true }),
          fc.double({ min: 1 / n, max: 1, noNaN: true }),
        )
        .map(([lo, hi]) => ({ lo, hi })),
    }),
  );
}

function cell(m: number[][], i: number, j: number): number {
  return m[i]?.[j] ?? NaN;
}

function toCorr(n: number, upper: number[]): number[][] {
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(1));
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      (m[i] as number[])[j] = upper[k] as number;
      (m[j] as number[])[i] = upper[k] as number;
      k++;
    }
  }
  return m;
}

describe('optimizeSignalWeights invariants (property tests)', () => {
  const check = (
    {
      n,
      ics,
      upper,
      bounds,
    }: { n: number; ics: number[]; upper: number[]; bounds: { lo: number; hi: number } },
    withReference: boolean,
  ) => {
    const names = Array.from({ length: n }, (_, i) => `s${i}`);
    const corr = toCorr(n, upper);
    const r = optimizeSignalWeights({ names, ics, corr, lower: bounds.lo, upper: bounds.hi });
    const w = names.map((k) => r.weights[k] as number);
    for (const x of w) {
      expect(x).toBeGreaterThanOrEqual(bounds.lo);
      expect(x).toBeLessThanOrEqual(bounds.hi);
    }
    expect(Math.abs(sumOf(w) - 1)).toBeLessThanOrEqual(1e-12);
    expect(r.objective).toBe(signalWeightObjective(w, ics, (i, j) => cell(corr, i, j)));
    // Never worse than the start point (the spec's SLSQP starts from 1/n each).
    const start = names.map(() => 1 / n);
    expect(r.objective).toBeLessThanOrEqual(
      signalWeightObjective(start, ics, (i, j) => cell(corr, i, j)) + 1e-12,
    );
    if (withReference) {
      const ref = faceEnumerationMinimum(
        ics,
        (i, j) => Math.abs(cell(corr, i, j)),
        bounds.lo,
        bounds.hi,
      );
      if (ref !== null) expect(r.objective).toBeLessThanOrEqual(ref.objective + 1e-12);
    }
  };

  it('n = 2..6: inside the bounds, sum 1, and as good as the 3^n face enumeration', () => {
    fc.assert(
      fc.property(problemArb(2, 6), (p) => check(p, true)),
      { numRuns: 120 },
    );
  });

  it('n = 7..8: as good as the 3^n face enumeration', () => {
    fc.assert(
      fc.property(problemArb(7, 8), (p) => check(p, true)),
      { numRuns: 10 },
    );
  });

  it('n = 9 (pruned search): as good as the 3^9 face enumeration', () => {
    fc.assert(
      fc.property(problemArb(9, 9), (p) => check(p, true)),
      { numRuns: 2 },
    );
  });

  it('n = 8..20: inside the bounds and summing to 1', () => {
    fc.assert(
      fc.property(problemArb(8, 20), (p) => check(p, false)),
      { numRuns: 60 },
    );
  });

  it('a flat objective on 20 signals does not defeat the pruning', () => {
    const n = 20;
    const names = Array.from({ length: n }, (_, i) => `s${i}`);
    const corr = toCorr(n, new Array<number>((n * (n - 1)) / 2).fill(0));
    // 9 of 19 weights at the upper bound: C(19, 9) = 92378 ties per free index.
    const r = optimizeSignalWeights({ names, ics: names.map(() => 0), corr, lower: 0, upper: 0.1 });
    const w = names.map((k) => r.weights[k] as number);
    expect(Math.abs(sumOf(w) - 1)).toBeLessThanOrEqual(1e-12);
    expect(r.objective).toBe(0);
  });

  it('the default bounds with 20 signals leave one feasible point', () => {
    const n = 20;
    const names = Array.from({ length: n }, (_, i) => `s${i}`);
    const corr = toCorr(n, new Array<number>((n * (n - 1)) / 2).fill(0.3));
    const r = optimizeSignalWeights({ names, ics: names.map((_, i) => i / 100), corr });
    for (const k of names)
      expect(Math.abs((r.weights[k] as number) - 0.05)).toBeLessThanOrEqual(1e-12);
  });

  it('is as good as a dense random search on 12 signals', () => {
    // Random feasible points never beat the optimiser.
    const n = 12;
    const names = Array.from({ length: n }, (_, i) => `s${i}`);
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const ics = names.map(() => rand() * 0.2 - 0.1);
    const corr = toCorr(
      n,
      Array.from({ length: (n * (n - 1)) / 2 }, () => rand() * 2 - 1),
    );
    const lo = 0.02;
    const hi = 0.3;
    const r = optimizeSignalWeights({ names, ics, corr, lower: lo, upper: hi });
    for (let t = 0; t < 200; t++) {
      // Random point in the box, then shifted into the sum constraint by bisection.
      const raw = names.map(() => rand());
      let a = -2;
      let b = 2;
      for (let it = 0; it < 100; it++) {
        const mid = (a + b) / 2;
        const s = sumOf(raw.map((x) => Math.min(hi, Math.max(lo, x + mid))));
        if (s > 1) b = mid;
        else a = mid;
      }
      const w = raw.map((x) => Math.min(hi, Math.max(lo, x + a)));
      const v = signalWeightObjective(w, ics, (i, j) => cell(corr, i, j));
      expect(r.objective).toBeLessThanOrEqual(v + 1e-12);
    }
  });

  it('picks, among tied minimisers, the one nearest the base weights', () => {
    // Zero ICs and zero correlations: every feasible point is optimal.
    const names = ['a', 'b', 'c'];
    const corr = toCorr(3, [0, 0, 0]);
    const r = optimizeSignalWeights({
      names,
      ics: [0, 0, 0],
      corr,
      baseWeights: { a: 0.5, b: 0.45, c: 0.05 },
    });
    expect(r.weights['a']).toBe(0.5);
    expect(r.weights['b']).toBeCloseTo(0.45, 15);
    expect(r.weights['c']).toBe(0.05);
    const r2 = optimizeSignalWeights({
      names,
      ics: [0, 0, 0],
      corr,
      baseWeights: { a: 0.05, b: 0.45, c: 0.5 },
    });
    expect(r2.weights['a']).toBe(0.05);
    expect(r2.weights['c']).toBe(0.5);
  });
});

describe('optimizeSignalWeights bad input', () => {
  const names = ['a', 'b', 'c'];
  const corr = toCorr(3, [0.1, 0.2, 0.3]);
  const ok = { names, ics: [0.01, 0.02, 0.03], corr };
  const cases: [string, Parameters<typeof optimizeSignalWeights>[0], RegExp][] = [
    ['NaN IC', { ...ok, ics: [0.01, NaN, 0.03] }, /ics\.b/],
    ['missing IC', { ...ok, ics: { a: 0.1, b: 0.2 } }, /ics\.c: missing/],
    [
      'non-square corr',
      {
        ...ok,
        corr: [
          [1, 0.1, 0.2],
          [0.1, 1, 0.3],
        ],
      },
      /corr: expected a 3×3/,
    ],
    [
      'ragged corr',
      {
        ...ok,
        corr: [
          [1, 0.1],
          [0.1, 1, 0.3],
          [0.2, 0.3, 1],
        ],
      },
      /corr: expected a 3×3/,
    ],
    [
      'non-symmetric corr',
      {
        ...ok,
        corr: [
          [1, 0.1, 0.2],
          [0.15, 1, 0.3],
          [0.2, 0.3, 1],
        ],
      },
      /not symmetric/,
    ],
    [
      'NaN corr',
      {
        ...ok,
        corr: [
          [1, NaN, 0.2],
          [NaN, 1, 0.3],
          [0.2, 0.3, 1],
        ],
      },
      /corr\[0\]\[1\]/,
    ],
    ['lower too high', { ...ok, lower: 0.4 }, /lower: infeasible/],
    ['upper too low', { ...ok, upper: 0.3 }, /upper: infeasible/],
    ['upper below lower', { ...ok, lower: 0.3, upper: 0.2 }, /upper/],
    ['no names', { ...ok, names: [] }, /names/],
    ['duplicate names', { ...ok, names: ['a', 'a', 'c'] }, /duplicate/],
    ['NaN base weight', { ...ok, baseWeights: { a: NaN } }, /baseWeights\.a/],
  ];
  it.each(cases)('%s -> ValidationError', (_name, problem, message) => {
    expect(() => optimizeSignalWeights(problem)).toThrow(ValidationError);
    expect(() => optimizeSignalWeights(problem)).toThrow(message);
  });
  it('prepares kernel coefficients from the upper triangle', () => {
    const p = prepareSignalWeightProblem(ok);
    expect(p.q[0 * 3 + 1]).toBeCloseTo((0.5 * 0.1) / 3, 15);
    expect(p.q[1 * 3 + 0]).toBe(p.q[0 * 3 + 1]);
  });
});
