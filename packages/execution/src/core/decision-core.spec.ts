import { silentLogger } from '@quantpipe/core';
import type { RiskVerdict } from '@quantpipe/risk';
import { resolveEngineConfig } from '../engine-config';
import type { CommissionModel } from '../sim-account';
import { TARGET_SHARES, TARGET_SIZED } from './cycle-decisions';
import { DecisionCore, legName } from './decision-core';
import { SKIP_BAND_COST_BENEFIT, SKIP_BAND_NOTIONAL, expectedEdgeUsd } from './no-trade-band';
import { LEG_ADJUST, LEG_CLOSE, LEG_OPEN } from './plan-orders-into';

const NOW = Date.parse('2024-03-01T21:00:00.000Z');

function core(extra: Record<string, unknown> = {}, commission?: CommissionModel) {
  const config = resolveEngineConfig({ symbols: ['AAA', 'BBB', 'CCC'], ...extra });
  return new DecisionCore(config, {
    logger: silentLogger,
    now: () => NOW,
    ...(commission ? { commission } : {}),
  });
}

/** IBKR's fixed pricing. */
const IBKR: CommissionModel = {
  kind: 'per_share',
  perShareUsd: 0.005,
  minUsd: 1,
  maxShareOfNotional: 0.01,
};

/** A verdict with the given breaches (only the fields the core reads matter). */
const verdict = (blocks: boolean, limits: string[] = []): RiskVerdict =>
  ({
    ok: !blocks,
    blocksNewExposure: blocks,
    requiresReduction: false,
    breaches: limits.map((limit) => ({ limit })),
  }) as unknown as RiskVerdict;

/** Decisions for AAA (sized), BBB (explicit shares) and CCC (no figures), sized at 100 000 USD. */
function sized(c: DecisionCore) {
  c.figures.set(0, { priceUsd: 50, adv: 2e6, volatility: 0.25 });
  c.figures.set(1, { priceUsd: 20, adv: 2e6, volatility: 0.25 });
  c.decisions.reset(3);
  c.decisions.push(0, 0.6, 1, TARGET_SIZED, 0);
  c.decisions.push(1, 0, 1, TARGET_SHARES, -300);
  c.decisions.push(2, 0.9, 1, TARGET_SIZED, 0);
  c.sizing.size(c.decisions, c.figures, () => true, 100_000);
}

describe('DecisionCore', () => {
  it('names leg kinds as journaled', () => {
    expect([legName(LEG_ADJUST), legName(LEG_CLOSE), legName(LEG_OPEN)]).toEqual([
      'adjust',
      'close',
      'open',
    ]);
  });

  it('reads a symbol’s price from this cycle’s figures (NaN without them)', () => {
    const c = core();
    c.figures.set(1, { priceUsd: 12.5, adv: 1, volatility: 0.1 });
    expect(c.priceOf(1)).toBe(12.5);
    expect(c.priceOf(0)).toBeNaN();
    expect(c.priceOf(-1)).toBeNaN();
  });

  it('grows the figures with the symbol table', () => {
    const c = core();
    for (let i = 0; i < 10; i++) c.symbols.add(`X${i}`);
    c.grow();
    expect(c.figures.has.length).toBeGreaterThanOrEqual(c.symbols.capacity);
    c.figures.set(12, { priceUsd: 3, adv: 3, volatility: 0.3 });
    expect(c.priceOf(12)).toBe(3);
  });

  it('plans the usable sized decisions from the current positions, and reports their targets', () => {
    const c = core();
    sized(c);
    const aaa = c.sizing.targets[0] as number;
    expect(aaa).toBeGreaterThan(0);
    expect(c.sizedTargets()).toEqual({ AAA: aaa, BBB: -300 }); // CCC had no figures
    c.plan.reset(c.symbols.capacity);
    const held = [10, 40, 99];
    c.planSized((i) => held[i] as number);
    expect(c.plan.count).toBe(2);
    expect([...c.plan.symbol.subarray(0, 2)]).toEqual([0, 1]);
    expect([...c.plan.target.subarray(0, 2)]).toEqual([aaa, -300]);
    expect([...c.plan.current.subarray(0, 2)]).toEqual([10, 40]);
    expect([...c.plan.priceUsd.subarray(0, 2)]).toEqual([50, 20]);
    c.plan.planOrders(1e9, false);
    expect(c.scaleFactor()).toBeNull();
    expect(c.scaledTargets()).toEqual({ AAA: aaa, BBB: -300 });
  });

  it('the no-trade band: a trade worth less than min_trade_notional_usd keeps the position; exits go', () => {
    const c = core({ min_trade_notional_usd: 500 });
    c.figures.set(0, { priceUsd: 50, adv: 2e6, volatility: 0.25 });
    c.figures.set(1, { priceUsd: 20, adv: 2e6, volatility: 0.25 });
    c.figures.set(2, { priceUsd: 10, adv: 2e6, volatility: 0.25 });
    c.decisions.reset(3);
    c.decisions.push(0, 0, 1, TARGET_SHARES, 105); // +5 x 50 = 250 USD: inside the band
    c.decisions.push(1, 0, 1, TARGET_SHARES, 40); // +30 x 20 = 600 USD: traded
    c.decisions.push(2, 0, 1, TARGET_SHARES, 0); // an exit of 10 x 10 = 100 USD: always goes
    c.sizing.size(c.decisions, c.figures, () => true, 100_000);
    c.plan.reset(c.symbols.capacity);
    const held = [100, 10, 10];
    c.planSized((i) => held[i] as number);
    expect([...c.plan.target.subarray(0, 3)]).toEqual([100, 40, 0]);
    c.plan.planOrders(1e9, false);
    expect(c.plan.keptCount).toBe(2);
    // Off by default: the same small trade goes.
    const off = core();
    off.figures.set(0, { priceUsd: 50, adv: 2e6, volatility: 0.25 });
    off.decisions.reset(1);
    off.decisions.push(0, 0, 1, TARGET_SHARES, 105);
    off.sizing.size(off.decisions, off.figures, () => true, 100_000);
    off.plan.reset(off.symbols.capacity);
    off.planSized(() => 100);
    expect(off.plan.target[0]).toBe(105);
  });

  it('the notional band records what it kept, with its reason', () => {
    const c = core({ min_trade_notional_usd: 500 });
    c.figures.set(0, { priceUsd: 50, adv: 2e6, volatility: 0.25 });
    c.decisions.reset(1);
    c.decisions.push(0, 0, 1, TARGET_SHARES, 105);
    c.sizing.size(c.decisions, c.figures, () => true, 100_000);
    c.plan.reset(c.symbols.capacity);
    c.planSized(() => 100);
    expect(c.bandedTrades('run', 4)).toEqual([
      {
        clientOrderId: 'qp-run-4-AAA-adjust',
        symbol: 'AAA',
        reason: SKIP_BAND_NOTIONAL,
        deltaShares: 5,
        expectedEdgeUsd: 0,
        estimatedCostUsd: 0,
      },
    ]);
  });

  describe('the cost-benefit band (expected_edge_bps)', () => {
    /** AAA (a $140 stock) decided at `composite` with explicit targets, held at 100 shares. */
    function plannedTo(c: DecisionCore, target: number, composite = 0.5) {
      c.figures.set(0, { priceUsd: 140, adv: 2e6, volatility: 0.25 });
      c.decisions.reset(1);
      c.decisions.push(0, composite, 1, TARGET_SHARES, target);
      c.sizing.size(c.decisions, c.figures, () => true, 1_000_000);
      c.plan.reset(c.symbols.capacity);
      c.planSized(() => 100);
      c.plan.estimateCost(c.figures);
    }

    it('skips a 1-share IBKR trade: its edge does not cover the $1.00 commission', () => {
      const c = core({ expected_edge_bps: 50 }, IBKR);
      plannedTo(c, 101);
      expect(c.plan.target[0]).toBe(100); // the held position is kept
      const [banded] = c.bandedTrades('run', 7);
      const edge = expectedEdgeUsd(1, 140, Math.tanh(1), 50);
      expect(banded).toMatchObject({
        symbol: 'AAA',
        reason: SKIP_BAND_COST_BENEFIT,
        deltaShares: 1,
        expectedEdgeUsd: edge,
      });
      expect(edge).toBeLessThan(1);
      expect(banded?.estimatedCostUsd).toBeGreaterThan(1); // $1.00 commission + slippage
      c.plan.planOrders(1e9, false);
      expect(c.plan.keptCount).toBe(0);
      expect(c.plan.estimatedCostUsd).toBe(0);
    });

    it('without the commission the same trade’s slippage is below its edge: it goes', () => {
      const c = core({ expected_edge_bps: 50 });
      plannedTo(c, 101);
      expect(c.plan.target[0]).toBe(101);
      expect(c.bandedTrades('run', 7)).toEqual([]);
    });

    it('trades when the edge exceeds the cost', () => {
      const c = core({ expected_edge_bps: 50 }, IBKR);
      plannedTo(c, 300); // 200 shares: edge ~$106 against ~$16
      expect(c.plan.target[0]).toBe(300);
      expect(c.plan.bandCount).toBe(0);
      c.plan.planOrders(1e9, false);
      expect(c.plan.keptCount).toBe(1);
      expect(c.plan.estimatedCostUsd).toBeGreaterThan(1);
    });

    it('a weak signal does not pay for a trade a strong one does', () => {
      const strong = core({ expected_edge_bps: 50 }, IBKR);
      plannedTo(strong, 110, 1);
      expect(strong.plan.target[0]).toBe(110);
      const weak = core({ expected_edge_bps: 50 }, IBKR);
      plannedTo(weak, 110, 0.02);
      expect(weak.plan.target[0]).toBe(100);
    });

    it('an exit to zero always goes; 0 (the default) turns the band off', () => {
      const c = core({ expected_edge_bps: 50 }, IBKR);
      plannedTo(c, 0, 0);
      expect(c.plan.target[0]).toBe(0);
      const off = core({}, IBKR);
      plannedTo(off, 101);
      expect(off.plan.target[0]).toBe(101);
      expect(off.plan.bandCount).toBe(0);
    });

    it('a flip is costed with both its orders and named by its close leg', () => {
      const c = core({ expected_edge_bps: 1 }, IBKR);
      plannedTo(c, -2, -0.5); // held +100: a flip of 102 shares, edge ~$1.09, cost > $2
      expect(c.plan.target[0]).toBe(100);
      const [banded] = c.bandedTrades('run', 2);
      expect(banded?.clientOrderId).toBe('qp-run-2-AAA-close');
      expect(banded?.estimatedCostUsd).toBeGreaterThan(2);
    });
  });

  it('reports the buying-power scaling of the plan', () => {
    const c = core();
    c.figures.set(0, { priceUsd: 10, adv: 2e6, volatility: 0.25 });
    c.plan.reset(3);
    c.plan.add(0, 1_000, 0, 10);
    c.plan.planOrders(5_000, false);
    expect(c.scaleFactor()).toBe((5_000 / 10_000) * 0.95);
    expect(c.scaledTargets()).toEqual({ AAA: 475 });
  });

  it('journals each kept leg with its deterministic client order id', () => {
    const c = core();
    c.plan.reset(3);
    c.plan.add(1, -5, 10, 20); // BBB flips: close 10, open 5
    c.plan.add(2, 7, 0, 30);
    c.plan.planOrders(1e9, false);
    expect(c.plan.keptCount).toBe(3);
    expect(c.legPayload('run-1', 4, 0, 'day')).toEqual({
      clientOrderId: 'qp-run-1-4-BBB-close',
      symbol: 'BBB',
      leg: 'close',
      side: 'sell',
      quantity: 10,
      timeInForce: 'day',
      increasesExposure: false,
    });
    expect(c.legPayload('run-1', 4, 1, 'gtc')).toEqual({
      clientOrderId: 'qp-run-1-4-BBB-open',
      symbol: 'BBB',
      leg: 'open',
      side: 'sell',
      quantity: 5,
      timeInForce: 'gtc',
      increasesExposure: true,
    });
    expect(c.clientOrderId('run-1', 4, 2)).toBe('qp-run-1-4-CCC-adjust');
    expect(c.legPayload('run-1', 4, 2, 'day').clientOrderId).toBe(c.clientOrderId('run-1', 4, 2));
  });

  it('blocks adding legs on a verdict that forbids new exposure or in a liquidation', () => {
    const c = core();
    c.plan.reset(3);
    expect(c.blocksAdding(verdict(false))).toBe(false);
    expect(c.blocksAdding(verdict(true, ['leverage']))).toBe(true);
    c.plan.reductionOf(Int32Array.from([]), 0, () => 0, c.figures);
    expect(c.blocksAdding(verdict(false))).toBe(true);
  });

  it('words why a cycle halts, liquidates or sends no adding leg', () => {
    const c = core({ on_loss_breach: 'reduce' });
    c.gate.kill('operator stop');
    expect(c.haltedReason()).toBe('kill switch tripped: operator stop');
    expect(c.liquidationReason()).toBe('kill switch tripped (operator stop): reduce');
    expect(DecisionCore.blockedReason(verdict(true, ['leverage', 'drawdown']))).toBe(
      'new exposure blocked: leverage, drawdown',
    );
  });
});
