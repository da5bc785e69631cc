import fc from 'fast-check';
import { ValidationError } from '@quantpipe/core';
import { seededRandom } from '@quantpipe/core/testing';
import {
  CorrelationWeightsWorkspace,
  applyPreparedRiskBudgets,
  applyRiskBudgets,
  correlationWeightsInto,
  dynamicCorrelationWeights,
  prepareRiskBudgets,
  signalCorrelation,
  signalIcs,
} from './index';

/** A frame of `k` columns over `rows` rows: a shared factor, own noise, some constants/NaNs. */
const frameArb = fc
  .record({
    k: fc.integer({ min: 1, max: 6 }),
    rows: fc.integer({ min: 2, max: 120 }),
    seed: fc.integer(),
    nanRate: fc.constantFrom(0, 0, 0.05, 0.2),
    constantColumn: fc.integer({ min: -3, max: 5 }),
    scale: fc.constantFrom(1, 1e-4, 1e5),
  })
  .map(({ k, rows, seed, nanRate, constantColumn, scale }) => {
    const next = seededRandom(seed);
    const factor = Array.from({ length: rows }, () => next() - 0.5);
    const columns = Array.from({ length: k }, (_, c) =>
      Array.from({ length: rows }, (_, i) =>
        next() < nanRate
          ? NaN
          : c === constantColumn
            ? 2.5
            : scale * ((c - 2) * (factor[i] as number) + next() - 0.5),
      ),
    );
    const returns = Array.from({ length: rows }, (_, i) =>
      i === 0 || next() < nanRate / 2 ? NaN : 0.02 * ((factor[i] as number) + next() - 0.5),
    );
    const names = columns.map((_, c) => `s${c}`);
    const frame = Object.fromEntries(names.map((n, c) => [n, columns[c] as number[]]));
    return { names, columns, returns, frame, rows };
  });

describe('correlationWeightsInto', () => {
  it('gives dynamicCorrelationWeights bit for bit, on any window of longer columns', () => {
    fc.assert(
      fc.property(
        frameArb.filter((f) => f.names.length >= 2),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        ({ names, columns, returns, frame, rows }, before, after) => {
          const reference = dynamicCorrelationWeights(frame, returns, {});
          // the window [before, before + rows) of padded columns, as typed arrays and arrays
          const pad = (xs: readonly number[]) => [
            ...Array.from({ length: before }, (_, i) => i * 1e3),
            ...xs,
            ...Array.from({ length: after }, () => -7),
          ];
          const ws = new CorrelationWeightsWorkspace(names.length);
          for (const typed of [true, false]) {
            const cols = columns.map((c) => (typed ? Float64Array.from(pad(c)) : pad(c)));
            const out = new Float64Array(names.length);
            correlationWeightsInto(cols, pad(returns), before, before + rows, out, ws);
            names.forEach((name, i) => {
              expect(Object.is(out[i], reference.weights[name])).toBe(true);
              expect(Object.is(ws.ics[i], reference.ics[name])).toBe(true);
            });
            expect(names.filter((_, i) => ws.constant[i] === 1)).toEqual(reference.constantSignals);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rejects bad windows and infinite values, naming them', () => {
    const ws = new CorrelationWeightsWorkspace(2);
    const out = new Float64Array(2);
    const a = Float64Array.from([1, 2, 3, 4]);
    const b = Float64Array.from([4, 1, 3, 2]);
    const r = Float64Array.from([NaN, 0.01, -0.02, 0.03]);
    expect(() => correlationWeightsInto([a], r, 0, 4, out, ws)).toThrow(/columns/);
    expect(() => correlationWeightsInto([a, b], r, 2, 1, out, ws)).toThrow(ValidationError);
    expect(() => correlationWeightsInto([a, b], r, 0, 5, out, ws)).toThrow(/columns\[0\]/);
    const inf = Float64Array.from([1, Infinity, 3, 4]);
    expect(() => correlationWeightsInto([a, inf], r, 0, 4, out, ws)).toThrow(/columns\[1\]\[1\]/);
    // outside the window an infinite value is not read
    expect(() => correlationWeightsInto([a, inf], r, 2, 4, out, ws)).not.toThrow();
    expect(() => new CorrelationWeightsWorkspace(5, { lower: 0.3 })).toThrow(/lower/);
    expect(() => new CorrelationWeightsWorkspace(2, { baseWeights: [1] })).toThrow(/baseWeights/);
  });
});

describe('the correlation kernels', () => {
  it("a pair's correlation and a column's IC do not depend on the other columns", () => {
    fc.assert(
      fc.property(frameArb, ({ names, frame, returns }) => {
        const corr = signalCorrelation(frame);
        const ics = signalIcs(frame, returns);
        names.forEach((a, i) => {
          expect(Object.is(ics[a], signalIcs({ [a]: frame[a] as number[] }, returns)[a])).toBe(
            true,
          );
          names.forEach((b, j) => {
            if (j > i) return;
            const pair = signalCorrelation({ y: frame[b] as number[], x: frame[a] as number[] });
            expect(Object.is(corr.get(i, j), pair.get(1, 0))).toBe(true);
            expect(Object.is(corr.get(j, i), corr.get(i, j))).toBe(true);
          });
        });
      }),
      { numRuns: 150 },
    );
  });

  it('is NaN for a constant column and 1 on the diagonal otherwise', () => {
    const corr = signalCorrelation({ a: [1, 2, 4, 3], flat: [2, 2, 2, 2], b: [1, NaN, 0, 5] });
    expect(corr.get(0, 0)).toBe(1);
    expect(Number.isNaN(corr.get(1, 1))).toBe(true);
    expect(Number.isNaN(corr.get(0, 1))).toBe(true);
    expect(corr.get(2, 2)).toBe(1);
  });
});

describe('applyPreparedRiskBudgets', () => {
  it('gives applyRiskBudgets bit for bit', () => {
    const arb = fc.record({
      weights: fc.array(fc.double({ min: 0, max: 5, noNaN: true }), {
        minLength: 1,
        maxLength: 6,
      }),
      groups: fc.array(fc.constantFrom('Momentum', 'Carry', 'Beta', 'G', ''), {
        minLength: 6,
        maxLength: 6,
      }),
    });
    fc.assert(
      fc.property(arb, ({ weights, groups }) => {
        fc.pre(weights.some((w) => w > 0));
        const names = weights.map(
          (_, i) => ['Volatility', 'Momentum', 'TailRisk', 'Beta', 'Carry', 'X'][i] as string,
        );
        const categories = Object.fromEntries(
          names.flatMap((n, i) => (groups[i] ? [[n, groups[i] as string]] : [])),
        );
        const record = Object.fromEntries(names.map((n, i) => [n, weights[i] as number]));
        const reference = applyRiskBudgets(record, categories);
        const out = applyPreparedRiskBudgets(
          prepareRiskBudgets(names, categories),
          weights,
          new Float64Array(names.length),
        );
        names.forEach((n, i) => expect(Object.is(out[i], reference[n])).toBe(true));
      }),
    );
  });

  it('rejects negative, infinite or all-zero weights', () => {
    const prepared = prepareRiskBudgets(['a', 'b']);
    const out = new Float64Array(2);
    expect(() => applyPreparedRiskBudgets(prepared, [1, -1], out)).toThrow(/weights\.b/);
    expect(() => applyPreparedRiskBudgets(prepared, [Infinity, 1], out)).toThrow(/weights\.a/);
    expect(() => applyPreparedRiskBudgets(prepared, [0, 0], out)).toThrow(/zero/);
    expect(() => applyPreparedRiskBudgets(prepared, [1], out)).toThrow(/2 weights/);
    expect(() => prepareRiskBudgets([])).toThrow(ValidationError);
  });
});
