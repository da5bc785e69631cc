import fc from 'fast-check';
import { planOrders } from './order-planner';

const base = { buyingPowerUsd: 1e12, minTradeSize: 1, buyingPowerScale: 0.95 };

describe('planOrders (spec 7.1)', () => {
  it('skips trades smaller than min_trade_size', () => {
    const plan = planOrders({
      ...base,
      minTradeSize: 5,
      targets: { A: 104, B: 10 },
      current: { A: 100, B: 0 },
      pricesUsd: { A: 1, B: 1 },
    });
    expect(plan.legs).toEqual([
      { symbol: 'B', leg: 'adjust', side: 'buy', quantity: 10, increasesExposure: true },
    ]);
  });

  it('targets mode (the seed as written) scales every target by (buying power / notional needed) * 0.95, truncating toward zero', () => {
    const plan = planOrders({
      ...base,
      buyingPowerMode: 'targets',
      buyingPowerUsd: 1000,
      targets: { A: 30, B: -25 },
      current: {},
      pricesUsd: { A: 40, B: 20 },
    });
    const needed = 30 * 40 + 25 * 20;
    expect(plan.notionalNeededUsd).toBe(needed);
    expect(plan.scaleFactor).toBe((1000 / needed) * 0.95);
    expect(plan.targets).toEqual({
      A: Math.trunc(30 * (plan.scaleFactor as number)),
      B: Math.trunc(-25 * (plan.scaleFactor as number)),
    });
  });

  it('deltas mode (default) scales only what needs buying power: a small shortfall trims the additions, it does not liquidate', () => {
    const input = {
      ...base,
      buyingPowerUsd: 100,
      targets: { A: 1010, B: -505, C: 40 },
      current: { A: 1000, B: -500, C: 50 },
      pricesUsd: { A: 40, B: 20, C: 10 },
    };
    const plan = planOrders(input);
    // Needed: the increases only, 10 x 40 + 5 x 20 = 500 (C's reduction needs none).
    expect(plan.notionalNeededUsd).toBe(500);
    expect(plan.scaleFactor).toBe((100 / 500) * 0.95);
    expect(plan.targets).toEqual({ A: 1000 + Math.trunc(10 * 0.19), B: -500, C: 40 });
    // The seed's reading sells most of the book over the same shortfall.
    const seed = planOrders({ ...input, buyingPowerMode: 'targets' });
    expect(seed.notionalNeededUsd).toBe(600); // the reduction of C counts too
    expect(seed.targets['A']).toBe(Math.trunc(1010 * ((100 / 600) * 0.95)));
  });

  it('property (deltas mode): additions fit 0.95 x buying power, reductions and signs are kept', () => {
    const sym = fc.constantFrom('A', 'B', 'C', 'D');
    const pricesUsd: Record<string, number> = { A: 10, B: 25.5, C: 99.99, D: 3.2 };
    const adds = (held: number, target: number): number =>
      held === 0 || Math.sign(held) !== Math.sign(target)
        ? Math.abs(target)
        : Math.max(0, Math.abs(target) - Math.abs(held));
    fc.assert(
      fc.property(
        fc.dictionary(sym, fc.integer({ min: -1000, max: 1000 })),
        fc.dictionary(sym, fc.integer({ min: -1000, max: 1000 })),
        fc.integer({ min: 0, max: 200_000 }),
        (targets, current, buyingPowerUsd) => {
          const plan = planOrders({
            targets,
            current,
            pricesUsd,
            buyingPowerUsd,
            minTradeSize: 1,
            buyingPowerScale: 0.95,
          });
          let added = 0;
          for (const s of Object.keys(targets)) {
            const target = targets[s] as number;
            const scaled = plan.targets[s] as number;
            const held = current[s] ?? 0;
            expect(scaled === 0 || Math.sign(scaled) === Math.sign(target)).toBe(true);
            expect(Math.abs(scaled)).toBeLessThanOrEqual(Math.abs(target));
            if (adds(held, target) === 0) expect(scaled).toBe(target);
            added += adds(held, scaled) * (pricesUsd[s] as number);
          }
          if (plan.scaleFactor !== null)
            expect(added).toBeLessThanOrEqual(buyingPowerUsd * 0.95 + 1e-6);
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it('flips close first, then open, and reducing legs precede adding ones', () => {
    const plan = planOrders({
      ...base,
      targets: { A: -50, B: 80, C: 10 },
      current: { A: 20, B: -30, C: 40 },
      pricesUsd: { A: 1, B: 1, C: 1 },
    });
    expect(plan.legs.map((l) => `${l.symbol}:${l.leg}:${l.side}:${l.quantity}`)).toEqual([
      'A:close:sell:20',
      'B:close:buy:30',
      'C:adjust:sell:30',
      'A:open:sell:50',
      'B:open:buy:80',
    ]);
  });

  it('property: executing the legs in order moves every position exactly to its (scaled) target', () => {
    const sym = fc.constantFrom('A', 'B', 'C', 'D');
    fc.assert(
      fc.property(
        fc.dictionary(sym, fc.integer({ min: -1000, max: 1000 })),
        fc.dictionary(sym, fc.integer({ min: -1000, max: 1000 })),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 1, max: 3 }),
        (targets, current, buyingPowerUsd, minTradeSize) => {
          const pricesUsd = { A: 10, B: 25.5, C: 99.99, D: 3.2 };
          const plan = planOrders({
            targets,
            current,
            pricesUsd,
            buyingPowerUsd,
            minTradeSize,
            buyingPowerScale: 0.95,
          });
          const pos: Record<string, number> = { ...current };
          const seenClose = new Set<string>();
          for (const leg of plan.legs) {
            expect(leg.quantity).toBeGreaterThan(0);
            if (leg.leg === 'close') seenClose.add(leg.symbol);
            if (leg.leg === 'open') expect(seenClose.has(leg.symbol)).toBe(true);
            pos[leg.symbol] =
              (pos[leg.symbol] ?? 0) + (leg.side === 'buy' ? leg.quantity : -leg.quantity);
          }
          for (const s of Object.keys(targets)) {
            const delta = (plan.targets[s] as number) - (current[s] ?? 0);
            if (Math.abs(delta) >= minTradeSize) expect(pos[s] ?? 0).toBe(plan.targets[s]);
            else expect(pos[s] ?? 0).toBe(current[s] ?? 0);
          }
          const firstAdding = plan.legs.findIndex((l) => l.increasesExposure);
          if (firstAdding >= 0)
            expect(plan.legs.slice(firstAdding).every((l) => l.increasesExposure)).toBe(true);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('planOrders with zero or negative buying power (a levered account)', () => {
  it.each([0, -250_000])(
    'plans a flatten (every trade reducing) unscaled, in whole shares, at buying power %d',
    (buyingPowerUsd) => {
      for (const buyingPowerMode of ['deltas', 'targets'] as const) {
        const plan = planOrders({
          targets: { A: 0, B: 0, C: 0 },
          current: { A: 1200, B: -300, C: 7 },
          pricesUsd: { A: 40, B: 20, C: 10 },
          buyingPowerUsd,
          minTradeSize: 1,
          buyingPowerScale: 0.95,
          buyingPowerMode,
        });
        // deltas: nothing needs buying power, so nothing is scaled; targets (the seed): every
        // trade counts, the factor is 0, and a target of 0 stays 0.
        expect(plan.scaleFactor).toBe(buyingPowerMode === 'deltas' ? null : 0);
        expect(plan.targets).toEqual({ A: 0, B: 0, C: 0 });
        expect(plan.legs).toEqual([
          { symbol: 'A', leg: 'adjust', side: 'sell', quantity: 1200, increasesExposure: false },
          { symbol: 'B', leg: 'adjust', side: 'buy', quantity: 300, increasesExposure: false },
          { symbol: 'C', leg: 'adjust', side: 'sell', quantity: 7, increasesExposure: false },
        ]);
      }
    },
  );

  it('keeps reductions whole and drops every addition when buying power is negative (deltas mode)', () => {
    const plan = planOrders({
      targets: { A: 600, B: 50 },
      current: { A: 1200, B: 0 },
      pricesUsd: { A: 40, B: 20 },
      buyingPowerUsd: -1000,
      minTradeSize: 1,
      buyingPowerScale: 0.95,
    });
    expect(plan.scaleFactor).toBe(0);
    expect(plan.targets).toEqual({ A: 600, B: 0 });
    expect(plan.legs).toEqual([
      { symbol: 'A', leg: 'adjust', side: 'sell', quantity: 600, increasesExposure: false },
    ]);
  });

  it('property: at any finite buying power every leg is a positive whole number of shares', () => {
    const sym = fc.constantFrom('A', 'B', 'C');
    fc.assert(
      fc.property(
        fc.dictionary(sym, fc.integer({ min: -1000, max: 1000 })),
        fc.dictionary(sym, fc.integer({ min: -1000, max: 1000 })),
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.constantFrom('deltas' as const, 'targets' as const),
        (targets, current, buyingPowerUsd, buyingPowerMode) => {
          const plan = planOrders({
            targets,
            current,
            pricesUsd: { A: 10, B: 25.5, C: 99.99 },
            buyingPowerUsd,
            minTradeSize: 1,
            buyingPowerScale: 0.95,
            buyingPowerMode,
          });
          for (const leg of plan.legs) {
            if (!Number.isSafeInteger(leg.quantity) || leg.quantity <= 0) return false;
          }
          return Object.values(plan.targets).every((t) => Number.isSafeInteger(t));
        },
      ),
    );
  });
});
