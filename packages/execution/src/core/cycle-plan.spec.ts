import fc from 'fast-check';
import { NotFoundError } from '@quantpipe/core';
import { preTradeCostReport, type SymbolMarketStats } from '@quantpipe/risk';
import { CyclePlan, type CyclePlanConfig } from './cycle-plan';
import { MarketFigures } from './market-figures';
import { LEG_ADJUST, LEG_CLOSE, LEG_OPEN } from './plan-orders-into';
import { SymbolTable } from './symbol-table';

const config: CyclePlanConfig = {
  min_trade_size: 1,
  buying_power_scale: 0.95,
  buying_power_mode: 'deltas',
  on_loss_breach: 'flatten',
};

function setup(symbols: string[], planConfig: Partial<CyclePlanConfig> = {}) {
  const table = new SymbolTable(symbols);
  const plan = new CyclePlan({ ...config, ...planConfig }, table);
  const figures = new MarketFigures(table.capacity);
  return { table, plan, figures };
}

/** The plan's kept legs as readable rows. */
function kept(plan: CyclePlan, table: SymbolTable) {
  const rows: string[] = [];
  for (let k = 0; k < plan.keptCount; k++)
    rows.push(
      `${table.name(plan.legSymbol(k))} ${['adjust', 'close', 'open'][plan.kindAt(k)]} ${
        plan.sideAt(k) === 1 ? 'buy' : 'sell'
      } ${plan.quantityAt(k)}${plan.increasesAt(k) ? ' +' : ''}`,
    );
  return rows;
}

describe('CyclePlan', () => {
  it('holds entries in order and drops a symbol’s entries on remove', () => {
    const { plan } = setup(['A', 'B', 'C']);
    plan.reset(3);
    plan.add(2, 10, 0, 5);
    plan.add(0, -4, 2, 7);
    plan.add(1, 3, 3, 9);
    plan.remove(0);
    expect(plan.count).toBe(2);
    expect([...plan.symbol.subarray(0, 2)]).toEqual([2, 1]);
    expect([...plan.target.subarray(0, 2)]).toEqual([10, 3]);
    expect([...plan.current.subarray(0, 2)]).toEqual([0, 3]);
    expect([...plan.priceUsd.subarray(0, 2)]).toEqual([5, 9]);
    plan.remove(7); // not in the plan: nothing changes
    expect(plan.count).toBe(2);
  });

  it('flatten closes every held position; a liquidation blocks every adding leg', () => {
    const { table, plan, figures } = setup(['AAA', 'BBB', 'CCC']);
    figures.set(0, { priceUsd: 10, adv: 1e6, volatility: 0.2 });
    figures.set(2, { priceUsd: 30, adv: 1e6, volatility: 0.2 });
    const held = Int32Array.from([2, 0]);
    const qty = [50, 0, -20];
    plan.reset(3);
    plan.reductionOf(held, 2, (i) => qty[i] as number, figures);
    expect(plan.liquidation).toBe(true);
    expect(plan.count).toBe(2);
    expect([...plan.symbol.subarray(0, 2)]).toEqual([2, 0]);
    expect([...plan.target.subarray(0, 2)]).toEqual([0, 0]);
    expect([...plan.current.subarray(0, 2)]).toEqual([-20, 50]);
    expect([...plan.priceUsd.subarray(0, 2)]).toEqual([30, 10]);
    plan.planOrders(0, true);
    expect(kept(plan, table)).toEqual(['CCC adjust buy 20', 'AAA adjust sell 50']);
    expect(plan.blockedCount).toBe(0);
  });

  it('reduce halves every position toward zero; a symbol without figures has no price', () => {
    const { plan, figures } = setup(['AAA', 'BBB', 'CCC', 'DDD'], { on_loss_breach: 'reduce' });
    figures.set(0, { priceUsd: 10, adv: 1e6, volatility: 0.2 });
    const qty = [7, -7, 1, -1];
    plan.reset(4);
    plan.reductionOf(Int32Array.from([0, 1, 2, 3]), 4, (i) => qty[i] as number, figures);
    expect([...plan.target.subarray(0, 4)]).toEqual([3, -3, 0, 0]);
    expect(Object.is(plan.target[3], -0)).toBe(false); // never -0
    expect(plan.priceUsd[0]).toBe(10);
    expect(Number.isNaN(plan.priceUsd[1])).toBe(true);
  });

  it('liquidates a held symbol without market figures (flatten and reduce alike)', () => {
    for (const action of ['flatten', 'reduce'] as const) {
      const { table, plan, figures } = setup(['AAA', 'XTRA'], { on_loss_breach: action });
      figures.set(0, { priceUsd: 10, adv: 1e6, volatility: 0.2 });
      const qty = [40, 30]; // XTRA: held outside the universe, no bars, no figures
      plan.reset(2);
      plan.reductionOf(Int32Array.from([0, 1]), 2, (i) => qty[i] as number, figures);
      // The estimate leaves XTRA out instead of refusing the liquidation.
      const lines: string[] = [];
      plan.estimateCost(figures, (i) => lines.push(table.name(i)));
      expect(lines).toEqual(action === 'reduce' ? ['AAA'] : []);
      plan.planOrders(-5_000, true);
      expect(kept(plan, table)).toEqual(
        action === 'reduce'
          ? ['AAA adjust sell 20', 'XTRA adjust sell 15']
          : ['AAA adjust sell 40', 'XTRA adjust sell 30'],
      );
    }
  });

  it('estimates the cost as the spec’s pre-trade report does, line by line', () => {
    const stats = fc.record({
      priceUsd: fc.double({ min: 1, max: 500, noNaN: true }),
      adv: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 1e7, noNaN: true })),
      volatility: fc.double({ min: 0, max: 1.5, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            target: fc.integer({ min: -1000, max: 1000 }),
            current: fc.integer({ min: -1000, max: 1000 }),
            stats,
          }),
          { maxLength: 6 },
        ),
        (rows) => {
          const names = rows.map((_, i) => `S${i}`);
          const { plan, figures } = setup(names);
          plan.reset(rows.length);
          const market: Record<string, SymbolMarketStats> = {};
          const targets: Record<string, number> = {};
          const current: Record<string, number> = {};
          rows.forEach((r, i) => {
            figures.set(i, r.stats);
            plan.add(i, r.target, r.current, r.stats.priceUsd);
            market[`S${i}`] = r.stats;
            targets[`S${i}`] = r.target;
            current[`S${i}`] = r.current;
          });
          const lines: unknown[] = [];
          const total = plan.estimateCost(figures, (i, delta, price, part, bps, cost) =>
            lines.push({ symbol: `S${i}`, delta, price, part, bps, cost }),
          );
          const report = preTradeCostReport(targets, current, market);
          expect(total).toBe(report.totalCostUsd);
          expect(plan.estimatedCostUsd).toBe(total);
          expect(lines).toEqual(
            report.lines.map((l) => ({
              symbol: l.symbol,
              delta: l.deltaShares,
              price: l.priceUsd,
              part: l.participation,
              bps: l.slippageBps,
              cost: l.costUsd,
            })),
          );
        },
      ),
    );
  });

  it('needs figures only for the symbols it estimates a trade of', () => {
    const { plan, figures } = setup(['AAA', 'BBB']);
    plan.reset(2);
    plan.add(0, 0, 40, 10); // a close: estimated as free (the seed skips zero targets)
    plan.add(1, 5, 5, 10); // no trade
    expect(plan.estimateCost(figures)).toBe(0);
    plan.add(1, 6, 5, 10);
    expect(() => plan.estimateCost(figures)).toThrow(NotFoundError);
    expect(() => plan.estimateCost(figures)).toThrow(/no market data .* for BBB/);
  });

  it('keeps every leg, or only the reducing ones when adding is blocked', () => {
    const { table, plan } = setup(['AAA', 'BBB', 'CCC']);
    plan.reset(3);
    plan.add(1, -10, 20, 10); // flip: close 20, open 10
    plan.add(2, 50, 10, 5); // adds 40
    plan.add(0, 5, 15, 8); // reduces 10
    plan.planOrders(1e6, false);
    expect(plan.legs.legCount).toBe(4);
    expect(kept(plan, table)).toEqual([
      'BBB close sell 20',
      'AAA adjust sell 10',
      'BBB open sell 10 +',
      'CCC adjust buy 40 +',
    ]);
    expect(plan.blockedCount).toBe(0);
    expect([plan.kindAt(0), plan.kindAt(1), plan.kindAt(2)]).toEqual([
      LEG_CLOSE,
      LEG_ADJUST,
      LEG_OPEN,
    ]);
    expect([plan.scaledTarget(0), plan.scaledTarget(1), plan.scaledTarget(2)]).toEqual([
      -10, 50, 5,
    ]);

    plan.planOrders(1e6, true);
    expect(kept(plan, table)).toEqual(['BBB close sell 20', 'AAA adjust sell 10']);
    expect(plan.keptCount).toBe(2);
    expect(plan.blockedCount).toBe(2);
  });

  it('scales with the buying power it is given and applies min_trade_size', () => {
    const { table, plan } = setup(['AAA', 'BBB'], { min_trade_size: 10 });
    plan.reset(2);
    plan.add(0, 200, 0, 10); // needs 2000 USD
    plan.add(1, 5, 0, 10); // below min_trade_size
    plan.planOrders(1_000, false);
    expect(plan.legs.scaleFactor).toBe((1_000 / 2_000) * 0.95);
    expect(plan.scaledTarget(0)).toBe(95);
    expect(kept(plan, table)).toEqual(['AAA adjust buy 95 +']);
  });

  it('reset clears the previous cycle and grows to the capacity asked for', () => {
    const { table, plan, figures } = setup(['AAA']);
    plan.reset(1);
    plan.reductionOf(Int32Array.from([0]), 1, () => 10, figures);
    plan.planOrders(0, true);
    expect(plan.keptCount).toBe(1);
    for (let i = 0; i < 20; i++) table.add(`N${i}`);
    plan.reset(table.capacity);
    expect(plan.count).toBe(0);
    expect(plan.keptCount).toBe(0);
    expect(plan.blockedCount).toBe(0);
    expect(plan.liquidation).toBe(false);
    expect(plan.estimatedCostUsd).toBe(0);
    expect(plan.symbol.length).toBeGreaterThanOrEqual(21);
    for (let i = 0; i < 21; i++) plan.add(i, i + 1, 0, 1);
    plan.planOrders(1e9, false);
    expect(plan.keptCount).toBe(21);
    expect(plan.legSymbol(20)).toBe(20);
    expect(plan.quantityAt(20)).toBe(21);
  });
});

describe('CyclePlan with a venue commission', () => {
  const ibkr = {
    kind: 'per_share',
    perShareUsd: 0.005,
    minUsd: 1,
    maxShareOfNotional: 0.01,
  } as const;

  it('estimates a 1-share IBKR order at its $1.00 minimum commission plus slippage', () => {
    const table = new SymbolTable(['AAA', 'BBB']);
    const plan = new CyclePlan(config, table, ibkr);
    const figures = new MarketFigures(table.capacity);
    figures.set(0, { priceUsd: 140, adv: 2e6, volatility: 0.25 });
    figures.set(1, { priceUsd: 140, adv: 2e6, volatility: 0.25 });
    plan.reset(2);
    plan.add(0, 101, 100, 140); // one share
    const lines: { cost: number; commission: number; bps: number }[] = [];
    const total = plan.estimateCost(figures, (_i, _d, _p, _part, bps, cost, commission) =>
      lines.push({ cost, commission, bps }),
    );
    const slippageOnly = preTradeCostReport(
      { AAA: 101 },
      { AAA: 100 },
      { AAA: { priceUsd: 140, adv: 2e6, volatility: 0.25 } },
    );
    expect(slippageOnly.totalCostUsd).toBeCloseTo(0.07, 2); // what the estimate used to say
    expect(lines).toHaveLength(1);
    expect(lines[0]?.commission).toBe(1);
    expect(total).toBe(1 + slippageOnly.totalCostUsd);
    expect(plan.estimatedCostUsd).toBe(total);
  });

  it('lists a banded trade with its reason and edge, outside the total', () => {
    const table = new SymbolTable(['AAA', 'BBB']);
    const plan = new CyclePlan(config, table, ibkr);
    const figures = new MarketFigures(table.capacity);
    figures.set(0, { priceUsd: 140, adv: 2e6, volatility: 0.25 });
    figures.set(1, { priceUsd: 20, adv: 2e6, volatility: 0.25 });
    plan.reset(2);
    plan.add(0, 300, 100, 140);
    plan.add(1, 40, 40, 20); // kept by the band
    plan.addBanded(1, 41, 40, 2, 0.03, 1.01);
    const lines: unknown[] = [];
    const total = plan.estimateCost(figures, (i, delta, _p, _part, _bps, cost, _c, skip, edge) =>
      lines.push({ symbol: table.name(i), delta, skip, edge, cost }),
    );
    expect(lines).toEqual([
      { symbol: 'AAA', delta: 200, skip: '', edge: Number.NaN, cost: total },
      {
        symbol: 'BBB',
        delta: 1,
        skip: 'no-trade band: expected edge does not exceed the estimated cost',
        edge: 0.03,
        cost: expect.any(Number),
      },
    ]);
    // Removing the symbol drops its banded trade too.
    plan.remove(1);
    expect(plan.bandCount).toBe(0);
  });
});
