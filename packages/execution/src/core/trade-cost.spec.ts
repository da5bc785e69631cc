import { slippageBps, tradeCostUsd } from '@quantpipe/risk';
import { commissionOf, type CommissionModel } from '../sim-account';
import { simAccountOf, simulationKeys } from '../simulation-keys';
import { z } from 'zod';
import { newTradeCost, tradeCostInto } from './trade-cost';

/** IBKR fixed pricing, as the simulation keys' defaults give it. */
const IBKR: CommissionModel = simAccountOf(z.object(simulationKeys).parse({})).commission;
const ZERO: CommissionModel = { kind: 'zero' };

describe('tradeCostInto', () => {
  it('a 1-share IBKR order is estimated at the $1.00 minimum commission plus its slippage', () => {
    const cost = newTradeCost();
    // 1 share of a $140 stock: $0.005 a share would be half a cent, the slippage is 7 cents;
    // the minimum ($1.00, under the 1 % cap of $1.40) is what the venue charges.
    tradeCostInto(cost, 101, 100, 140, 2e6, 0.25, IBKR);
    const slippageUsd = tradeCostUsd(140, slippageBps(1, 2e6, 0.25));
    expect(cost.commissionUsd).toBe(1);
    expect(cost.slippageUsd).toBe(slippageUsd);
    expect(slippageUsd).toBeCloseTo(0.07, 2);
    expect(cost.costUsd).toBe(1 + slippageUsd);
    expect(cost.costUsd).toBeGreaterThanOrEqual(1);
  });

  it('charges the per-share rate above the minimum and caps it at the share of the notional', () => {
    const cost = newTradeCost();
    tradeCostInto(cost, 1_000, 0, 50, 2e6, 0.25, IBKR);
    expect(cost.commissionUsd).toBeCloseTo(5, 12); // 1,000 x $0.005
    // 10 shares of a $2 stock: $1 minimum, capped at 1 % of $20.
    tradeCostInto(cost, -10, 0, 2, 2e6, 0.25, IBKR);
    expect(cost.commissionUsd).toBeCloseTo(0.2, 12);
  });

  it('a flip sends two orders and pays two commissions', () => {
    const cost = newTradeCost();
    tradeCostInto(cost, -3, 2, 140, 2e6, 0.25, IBKR);
    expect(cost.commissionUsd).toBe(commissionOf(IBKR, 2, 140) + commissionOf(IBKR, 3, 140));
    expect(cost.commissionUsd).toBe(2);
    expect(cost.slippageBps).toBe(slippageBps(-5, 2e6, 0.25));
  });

  it('without commission the cost is the spec’s slippage estimate alone', () => {
    const cost = newTradeCost();
    tradeCostInto(cost, 250, -50, 30, 1e5, 0.4, ZERO);
    const bps = slippageBps(300, 1e5, 0.4);
    expect(cost).toEqual({
      slippageBps: bps,
      slippageUsd: tradeCostUsd(300 * 30, bps),
      commissionUsd: 0,
      costUsd: tradeCostUsd(300 * 30, bps),
    });
  });

  it('a trade of nothing costs nothing but the model’s zero', () => {
    const cost = newTradeCost();
    tradeCostInto(cost, 7, 7, 30, 1e5, 0.4, IBKR);
    expect(cost.commissionUsd).toBe(0);
    expect(cost.slippageUsd).toBe(0);
  });
});
