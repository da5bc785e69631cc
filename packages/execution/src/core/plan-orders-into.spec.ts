import fc from 'fast-check';
import { ValidationError } from '@quantpipe/core';
import { planOrders, type PlannedLeg } from '../order-planner';
import {
  LEG_ADJUST,
  LEG_CLOSE,
  LEG_OPEN,
  newPlanBuffers,
  planOrdersInto,
  type BuyingPowerMode,
  type PlanBuffers,
} from './plan-orders-into';

interface Case {
  readonly targets: number[];
  readonly current: number[];
  readonly prices: number[];
  readonly buyingPowerUsd: number;
  readonly minTradeSize: number;
  readonly scale: number;
  readonly mode: BuyingPowerMode;
}

const shares = fc.integer({ min: -400, max: 400 });
const planCase: fc.Arbitrary<Case> = fc.integer({ min: 0, max: 7 }).chain((n) =>
  fc.record({
    targets: fc.array(fc.oneof(shares, fc.constant(0)), { minLength: n, maxLength: n }),
    current: fc.array(fc.oneof(shares, fc.constant(0)), { minLength: n, maxLength: n }),
    prices: fc.array(fc.double({ min: 0.5, max: 900, noNaN: true }), {
      minLength: n,
      maxLength: n,
    }),
    buyingPowerUsd: fc.oneof(
      fc.double({ min: -50_000, max: 400_000, noNaN: true }),
      fc.constant(0),
    ),
    minTradeSize: fc.integer({ min: 1, max: 20 }),
    scale: fc.double({ min: 0.05, max: 1, noNaN: true }),
    mode: fc.constantFrom<BuyingPowerMode>('deltas', 'targets'),
  }),
);

const names = (n: number) => Array.from({ length: n }, (_, i) => `S${i}`);

function columns(c: Case) {
  const n = c.targets.length;
  return {
    count: n,
    targets: Float64Array.from(c.targets),
    current: Float64Array.from(c.current),
    priceUsd: Float64Array.from(c.prices),
    describe: (i: number) => `S${i}`,
  };
}

function run(c: Case, out: PlanBuffers = newPlanBuffers(c.targets.length)): PlanBuffers {
  planOrdersInto(columns(c), c.buyingPowerUsd, c.minTradeSize, c.scale, c.mode, out);
  return out;
}

/** The record API's plan of the same case. */
function recordPlan(c: Case) {
  const symbols = names(c.targets.length);
  const rec = (values: number[]) => Object.fromEntries(symbols.map((s, i) => [s, values[i]]));
  return planOrders({
    targets: rec(c.targets) as Record<string, number>,
    current: rec(c.current) as Record<string, number>,
    pricesUsd: rec(c.prices) as Record<string, number>,
    buyingPowerUsd: c.buyingPowerUsd,
    minTradeSize: c.minTradeSize,
    buyingPowerScale: c.scale,
    buyingPowerMode: c.mode,
  });
}

const KIND_NAMES = ['adjust', 'close', 'open'] as const;

function legsOf(out: PlanBuffers): PlannedLeg[] {
  const legs: PlannedLeg[] = [];
  for (let k = 0; k < out.legCount; k++)
    legs.push({
      symbol: `S${out.legSymbol[k] as number}`,
      leg: KIND_NAMES[out.legKind[k] as number] as PlannedLeg['leg'],
      side: out.legSide[k] === 1 ? 'buy' : 'sell',
      quantity: out.legQuantity[k] as number,
      increasesExposure: out.legIncreases[k] === 1,
    });
  return legs;
}

/** Shares of a trade from `held` to `target` that add gross exposure. */
const adding = (held: number, target: number) =>
  held === 0 || Math.sign(held) !== Math.sign(target)
    ? Math.abs(target)
    : Math.max(0, Math.abs(target) - Math.abs(held));

describe('planOrdersInto', () => {
  it('plans over columns into reused buffers exactly what planOrders plans over records', () => {
    fc.assert(
      fc.property(planCase, planCase, (earlier, c) => {
        // One set of buffers serves every cycle: an earlier, larger plan must not leak into this one.
        const out = newPlanBuffers(Math.max(8, earlier.targets.length, c.targets.length));
        run(earlier, out);
        run(c, out);
        const expected = recordPlan(c);
        expect(legsOf(out)).toEqual(expected.legs);
        const scaled = names(c.targets.length).map((_, i) => out.scaledTargets[i]);
        expect(scaled).toEqual(Object.values(expected.targets));
        expect(Number.isNaN(out.scaleFactor) ? null : out.scaleFactor).toBe(expected.scaleFactor);
        expect(out.notionalNeededUsd).toBe(expected.notionalNeededUsd);
      }),
    );
  });

  it('reducing legs come first; each symbol’s legs trade exactly from current to its scaled target', () => {
    fc.assert(
      fc.property(planCase, (c) => {
        const out = run(c);
        let seenAdding = false;
        const signed = new Map<number, number>();
        const kinds = new Map<number, number[]>();
        for (let k = 0; k < out.legCount; k++) {
          const s = out.legSymbol[k] as number;
          const increases = out.legIncreases[k] === 1;
          if (increases) seenAdding = true;
          else expect(seenAdding).toBe(false);
          expect(out.legQuantity[k]).toBeGreaterThan(0);
          expect(Number.isInteger(out.legQuantity[k])).toBe(true);
          signed.set(
            s,
            (signed.get(s) ?? 0) + (out.legSide[k] as number) * (out.legQuantity[k] as number),
          );
          kinds.set(s, [...(kinds.get(s) ?? []), out.legKind[k] as number]);
          // Open legs add; close legs reduce; adjust legs add exactly when they move away from 0.
          const kind = out.legKind[k] as number;
          if (kind === LEG_OPEN) expect(increases).toBe(true);
          if (kind === LEG_CLOSE) expect(increases).toBe(false);
        }
        for (let i = 0; i < c.targets.length; i++) {
          const target = out.scaledTargets[i] as number;
          const held = c.current[i] as number;
          const delta = target - held;
          if (delta === 0 || Math.abs(delta) < c.minTradeSize) {
            expect(signed.has(i)).toBe(false);
            continue;
          }
          expect(signed.get(i)).toBe(delta);
          const flip = (held > 0 && target < 0) || (held < 0 && target > 0);
          expect(kinds.get(i)).toEqual(flip ? [LEG_CLOSE, LEG_OPEN] : [LEG_ADJUST]);
        }
      }),
    );
  });

  it('deltas mode: scaled targets keep the held part and fit the adding notional in buying power', () => {
    fc.assert(
      fc.property(planCase, (raw) => {
        const c = { ...raw, mode: 'deltas' as const };
        const out = run(c);
        let addedUsd = 0;
        for (let i = 0; i < c.targets.length; i++) {
          const target = c.targets[i] as number;
          const held = c.current[i] as number;
          const scaled = out.scaledTargets[i] as number;
          // Scaling moves a target toward the held position, never past it or to the other side.
          expect(Math.abs(scaled)).toBeLessThanOrEqual(Math.abs(target));
          if (scaled !== 0) expect(Math.sign(scaled)).toBe(Math.sign(target));
          expect(adding(held, scaled)).toBeLessThanOrEqual(adding(held, target));
          const delta = target - held;
          if (delta !== 0 && Math.abs(delta) >= c.minTradeSize)
            addedUsd += adding(held, scaled) * (c.prices[i] as number);
        }
        if (!Number.isNaN(out.scaleFactor))
          expect(addedUsd).toBeLessThanOrEqual(Math.max(0, c.buyingPowerUsd) * c.scale + 1e-6);
        else expect(out.notionalNeededUsd).toBeLessThanOrEqual(Math.max(c.buyingPowerUsd, 0));
      }),
    );
  });

  it('a plan of reductions is never scaled, whatever the buying power (negative included)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -300, max: 300 }), fc.double({ min: 0, max: 1 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.double({ min: -1e6, max: 0, noNaN: true }),
        fc.constantFrom<BuyingPowerMode>('deltas', 'targets'),
        (held, bp, mode) => {
          const current = held.map(([q]) => q);
          const targets = held.map(([q, f]) => Math.trunc(q * f) || 0); // toward zero, same side
          const c: Case = {
            targets,
            current,
            prices: current.map(() => 25),
            buyingPowerUsd: bp,
            minTradeSize: 1,
            scale: 0.95,
            mode,
          };
          const out = run(c);
          if (mode === 'deltas') {
            expect(out.notionalNeededUsd).toBe(0);
            expect(Number.isNaN(out.scaleFactor)).toBe(true);
            expect([...out.scaledTargets.subarray(0, targets.length)]).toEqual(targets);
          }
          for (let k = 0; k < out.legCount; k++) expect(out.legIncreases[k]).toBe(0);
        },
      ),
    );
  });

  it('scales in deltas mode by buying power / notional × scale, only the adding parts', () => {
    // AAA: 100 held → 300 (adds 200 × 10 USD); BBB: 0 → 50 (adds 50 × 20 USD); CCC: 40 → 10.
    const out = newPlanBuffers(3);
    planOrdersInto(
      {
        count: 3,
        targets: [300, 50, 10],
        current: [100, 0, 40],
        priceUsd: [10, 20, 5],
        describe: (i) => ['AAA', 'BBB', 'CCC'][i] as string,
      },
      1_500,
      1,
      0.95,
      'deltas',
      out,
    );
    expect(out.notionalNeededUsd).toBe(3_000);
    expect(out.scaleFactor).toBe((1_500 / 3_000) * 0.95);
    // AAA keeps its 100 and adds trunc(200 × 0.475) = 95; BBB adds trunc(50 × 0.475) = 23.
    expect([...out.scaledTargets]).toEqual([195, 23, 10]);
    expect(legsOf(out)).toEqual([
      { symbol: 'S2', leg: 'adjust', side: 'sell', quantity: 30, increasesExposure: false },
      { symbol: 'S0', leg: 'adjust', side: 'buy', quantity: 95, increasesExposure: true },
      { symbol: 'S1', leg: 'adjust', side: 'buy', quantity: 23, increasesExposure: true },
    ]);
  });

  it('scales every target in targets mode, as the seed does', () => {
    const out = newPlanBuffers(2);
    planOrdersInto(
      { count: 2, targets: [200, -100], current: [100, 0], priceUsd: [10, 10], describe: String },
      1_000,
      1,
      1,
      'targets',
      out,
    );
    // Σ |delta × price| = 100 × 10 + 100 × 10 = 2000 > 1000: factor 0.5 on every target.
    expect(out.notionalNeededUsd).toBe(2_000);
    expect(out.scaleFactor).toBe(0.5);
    expect([...out.scaledTargets]).toEqual([100, -50]);
    expect(out.legCount).toBe(1); // AAA's scaled target is what it holds
    expect(legsOf(out)[0]).toEqual({
      symbol: 'S1',
      leg: 'adjust',
      side: 'sell',
      quantity: 50,
      increasesExposure: true,
    });
  });

  it('flips close first and open after every reducing leg; small trades are skipped', () => {
    const out = newPlanBuffers(3);
    planOrdersInto(
      {
        count: 3,
        targets: [-20, 103, 0],
        current: [30, 100, -7],
        priceUsd: [10, 10, 10],
        describe: String,
      },
      1e9,
      5,
      0.95,
      'deltas',
      out,
    );
    expect(legsOf(out)).toEqual([
      { symbol: 'S0', leg: 'close', side: 'sell', quantity: 30, increasesExposure: false },
      { symbol: 'S2', leg: 'adjust', side: 'buy', quantity: 7, increasesExposure: false },
      { symbol: 'S0', leg: 'open', side: 'sell', quantity: 20, increasesExposure: true },
    ]);
  });

  it('refuses fractional targets, bad prices of traded symbols and non-finite buying power', () => {
    const out = newPlanBuffers(2);
    const plan = (targets: number[], prices: number[], bp = 1e6) =>
      planOrdersInto(
        { count: 2, targets, current: [0, 5], priceUsd: prices, describe: (i) => `X${i}` },
        bp,
        1,
        0.95,
        'deltas',
        out,
      );
    expect(() => plan([1.5, 5], [10, 10])).toThrow(/targets\.X0.*whole shares/);
    expect(() => plan([10, 5], [0, Number.NaN])).toThrow(/pricesUsd\.X0.*price > 0/);
    // X1 does not trade (5 → 5): its missing price is not needed.
    expect(() => plan([10, 5], [10, Number.NaN])).not.toThrow();
    expect(out.legCount).toBe(1);
    // A reduction needs no buying power: in deltas mode its price is not needed either.
    expect(() => plan([10, 0], [10, Number.NaN])).not.toThrow();
    expect(legsOf(out)[0]).toEqual({
      symbol: 'S1',
      leg: 'adjust',
      side: 'sell',
      quantity: 5,
      increasesExposure: false,
    });
    expect(() =>
      planOrdersInto(
        { count: 1, targets: [0], current: [5], priceUsd: [Number.NaN], describe: () => 'X0' },
        1e6,
        1,
        0.95,
        'targets',
        out,
      ),
    ).toThrow(/pricesUsd\.X0/); // targets mode values every trade
    expect(() => plan([10, 5], [10, 10], Number.NaN)).toThrow(ValidationError);
    expect(() => plan([10, 5], [10, 10], Number.POSITIVE_INFINITY)).toThrow(/buyingPowerUsd/);
  });
});
