import fc from 'fast-check';
import { ValidationError } from '@quantpipe/core';
import golden from './__fixtures__/golden-weighting.json';
import { applyRiskBudgets, DEFAULT_RISK_BUDGETS } from './index';
import { isClose } from './testing/close';

describe('applyRiskBudgets against the seed reference', () => {
  it.each(golden.risk_budget.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const out = applyRiskBudgets(
      c.weights as unknown as Record<string, number>,
      c.signal_categories as unknown as Record<string, string>,
    );
    expect(Object.keys(out)).toEqual(Object.keys(c.result));
    for (const [k, v] of Object.entries(c.result)) expect(isClose(out[k] as number, v)).toBe(true);
  });

  it('keeps the spec quirk: a weight can end above its budget', () => {
    const c = golden.risk_budget.find((x) => x.name === 'slsqp_SYNB_last500');
    if (c === undefined) throw new Error('missing case');
    const out = applyRiskBudgets(c.weights as unknown as Record<string, number>);
    expect(out['Volatility']).toBeGreaterThan(0.2);
  });
});

const categoryTotals = (w: Record<string, number>, cat: (s: string) => string) => {
  const t = new Map<string, number>();
  for (const [k, v] of Object.entries(w)) t.set(cat(k), (t.get(cat(k)) ?? 0) + v);
  return t;
};

describe('applyRiskBudgets strict mode', () => {
  it('holds every budget where the single pass does not', () => {
    const c = golden.risk_budget.find((x) => x.name === 'slsqp_SYNB_last500');
    if (c === undefined) throw new Error('missing case');
    const out = applyRiskBudgets(
      c.weights as unknown as Record<string, number>,
      {},
      DEFAULT_RISK_BUDGETS,
      {
        strict: true,
      },
    );
    for (const [k, v] of Object.entries(out)) {
      expect(v).toBeLessThanOrEqual((DEFAULT_RISK_BUDGETS[k] ?? 1) + 1e-12);
    }
    expect(Math.abs(Object.values(out).reduce((s, v) => s + v, 0) - 1)).toBeLessThanOrEqual(1e-12);
  });

  it('property: sums to 1, holds budgets, keeps proportions within a category', () => {
    const names = ['Volatility', 'Momentum', 'TailRisk', 'Beta', 'Carry', 'X1', 'X2'];
    const arb = fc.record({
      weights: fc.array(fc.double({ min: 0.001, max: 10, noNaN: true }), {
        minLength: 7,
        maxLength: 7,
      }),
      groups: fc.array(
        fc.constantFrom('Momentum', 'Carry', 'Volatility', 'TailRisk', 'Beta', 'G'),
        {
          minLength: 7,
          maxLength: 7,
        },
      ),
      budgets: fc.array(fc.double({ min: 0.05, max: 0.9, noNaN: true }), {
        minLength: 6,
        maxLength: 6,
      }),
    });
    fc.assert(
      fc.property(arb, ({ weights, groups, budgets }) => {
        const w = Object.fromEntries(names.map((n, i) => [n, weights[i] as number]));
        const cats = Object.fromEntries(names.map((n, i) => [n, groups[i] as string]));
        const keys = ['Momentum', 'Carry', 'Volatility', 'TailRisk', 'Beta', 'G'];
        const b = Object.fromEntries(keys.map((k, i) => [k, budgets[i] as number]));
        const present = new Set(groups);
        const budgetSum = [...present].reduce((s, c) => s + (b[c] as number), 0);
        if (budgetSum < 1 - 1e-12) {
          expect(() => applyRiskBudgets(w, cats, b, { strict: true })).toThrow(ValidationError);
          return;
        }
        if (budgetSum < 1 + 1e-9) return; // on the edge of feasibility
        const out = applyRiskBudgets(w, cats, b, { strict: true });
        const cat = (s: string) => cats[s] as string;
        expect(Math.abs(Object.values(out).reduce((s, v) => s + v, 0) - 1)).toBeLessThanOrEqual(
          1e-12,
        );
        for (const [c, t] of categoryTotals(out, cat))
          expect(t).toBeLessThanOrEqual((b[c] as number) + 1e-12);
        for (const x of names) {
          for (const y of names) {
            if (cat(x) === cat(y)) {
              expect((out[x] as number) * (w[y] as number)).toBeCloseTo(
                (out[y] as number) * (w[x] as number),
                12,
              );
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('detects infeasible budgets with a typed error', () => {
    const w = { Momentum: 0.5, Beta: 0.5 };
    expect(() => applyRiskBudgets(w, {}, DEFAULT_RISK_BUDGETS, { strict: true })).toThrow(
      /budgets: infeasible/,
    );
    expect(() =>
      applyRiskBudgets(
        { Momentum: 1, Beta: 0 },
        {},
        { Momentum: 0.5, Beta: 0.6 },
        { strict: true },
      ),
    ).toThrow(/categories whose weights are all zero/);
  });

  it('rejects bad weights and budgets', () => {
    expect(() => applyRiskBudgets({ a: NaN })).toThrow(/weights\.a/);
    expect(() => applyRiskBudgets({ a: -1 })).toThrow(ValidationError);
    expect(() => applyRiskBudgets({})).toThrow(/weights/);
    expect(() => applyRiskBudgets({ a: 0 })).toThrow(/all weights are zero/);
    expect(() => applyRiskBudgets({ a: 1 }, {}, { a: 0 })).toThrow(/budgets\.a/);
  });
});
