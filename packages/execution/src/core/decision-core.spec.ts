import { silentLogger } from '@quantpipe/core';
import type { RiskVerdict } from '@quantpipe/risk';
import { resolveEngineConfig } from '../engine-config';
import { TARGET_SHARES, TARGET_SIZED } from './cycle-decisions';
import { DecisionCore, legName } from './decision-core';
import { LEG_ADJUST, LEG_CLOSE, LEG_OPEN } from './plan-orders-into';

const NOW = Date.parse('2024-03-01T21:00:00.000Z');

function core(extra: Record<string, unknown> = {}) {
  const config = resolveEngineConfig({ symbols: ['AAA', 'BBB', 'CCC'], ...extra });
  return new DecisionCore(config, { logger: silentLogger, now: () => NOW });
}

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
