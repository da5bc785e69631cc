import {
  SKIP_BAND_COST_BENEFIT,
  commissionOf,
  expectedEdgeUsd,
  signalStrength,
  type CommissionModel,
} from '@quantpipe/execution';
import { setup } from './testing/engine-harness';
import { createSimMarket } from './testing/sim-market';

/** IBKR's fixed pricing, charged by the simulated venue and known to the engine. */
const IBKR: CommissionModel = {
  kind: 'per_share',
  perShareUsd: 0.005,
  minUsd: 1,
  maxShareOfNotional: 0.01,
};

/** A large SYNA weight (worth its cost) and a tiny SYNC one (worth cents, costing $1.00). */
const WEIGHTS = { SYNA: 0.3, SYNC: 0.001 };

function engineWith(config: Record<string, unknown>) {
  const sim = createSimMarket({ broker: { commission: IBKR } });
  return setup(WEIGHTS, { sim, commission: IBKR, config, runId: 'band' });
}

describe('TradingEngine: the cost-benefit no-trade band', () => {
  it('keeps a trade whose expected edge does not cover its commission, with the reason reported and journaled', async () => {
    const { engine, journal, broker } = engineWith({ expected_edge_bps: 50 });
    const report = await engine.runCycle();
    expect(report.status).toBe('traded');
    // SYNA goes; SYNC is never sent.
    expect(broker.submitted).toEqual(['qp-band-1-SYNA-adjust']);
    expect(report.skippedOrders).toEqual([
      { clientOrderId: 'qp-band-1-SYNC-adjust', symbol: 'SYNC', reason: SKIP_BAND_COST_BENEFIT },
    ]);
    // The journal keeps the figures that decided it.
    const [entry] = await journal.entries({
      runId: 'band',
      kinds: ['order_update'],
      clientOrderId: 'qp-band-1-SYNC-adjust',
    });
    const payload = entry?.payload as Record<string, number | string>;
    expect(payload['status']).toBe('skipped');
    expect(payload['reason']).toBe(SKIP_BAND_COST_BENEFIT);
    const delta = payload['deltaShares'] as number;
    expect(delta).toBeGreaterThan(0);
    const priceUsd = report.decisions.find((d) => d.symbol === 'SYNC')?.priceUsd as number;
    expect(payload['expectedEdgeUsd']).toBeCloseTo(
      expectedEdgeUsd(delta, priceUsd, signalStrength(WEIGHTS.SYNC, 1), 50),
      12,
    );
    expect(payload['expectedEdgeUsd']).toBeLessThan(1);
    // The $1.00 minimum commission is in the estimate.
    expect(payload['estimatedCostUsd']).toBeGreaterThan(1);
    // The held position is what the report says the cycle traded to.
    expect(report.decisions.find((d) => d.symbol === 'SYNC')?.targetShares).toBe(0);
  });

  it('the decision’s cost estimate charges the commission of every order sent', async () => {
    const withCommission = await engineWith({}).engine.runCycle();
    const sim = createSimMarket({ broker: { commission: IBKR } });
    const without = await setup(WEIGHTS, { sim, runId: 'band' }).engine.runCycle();
    expect(withCommission.plannedOrders).toEqual(without.plannedOrders);
    const priceOf = (symbol: string) =>
      withCommission.decisions.find((d) => d.symbol === symbol)?.priceUsd as number;
    const commissionsUsd = withCommission.plannedOrders.reduce(
      (sum, o) => sum + commissionOf(IBKR, o.quantity, priceOf(o.symbol)),
      0,
    );
    expect(commissionsUsd).toBeGreaterThan(2); // two orders, each at least $1.00
    expect(withCommission.estimatedCostUsd - without.estimatedCostUsd).toBeCloseTo(
      commissionsUsd,
      9,
    );
  });

  it('off by default: the same tiny trade is sent', async () => {
    const { engine, broker } = engineWith({});
    const report = await engine.runCycle();
    expect(broker.submitted).toEqual(['qp-band-1-SYNA-adjust', 'qp-band-1-SYNC-adjust']);
    expect(report.skippedOrders).toEqual([]);
  });

  it('a cycle whose only trades are inside the band is idle, and says why', async () => {
    const { engine } = engineWith({ expected_edge_bps: 50 });
    await engine.runCycle();
    const again = await engine.runCycle();
    expect(again.orders).toEqual([]);
    expect(again.status).toBe('idle');
    // Both symbols' second-day trades are too small for their cost.
    expect(again.reason).toBe(
      'no orders: 2 trade(s) inside the no-trade band, the rest at their targets',
    );
    expect(again.skippedOrders.map((s) => s.reason)).toEqual([
      SKIP_BAND_COST_BENEFIT,
      SKIP_BAND_COST_BENEFIT,
    ]);
  });
});
