/**
 * A loss breach on a levered account: the venue reports negative buying power (IBKR does, as
 * equity × leverage − gross exposure, without a floor). The flatten needs no buying power, so
 * it is planned unscaled and sent in whole shares, and the book ends flat.
 */
import type { Account, Broker, Order, OrderRequest } from '@quantpipe/core';
import {
  MemoryAlertSink,
  MemoryJournal,
  TargetWeightsStrategy,
  TradingEngine,
} from '@quantpipe/execution';
import { createSimMarket } from './testing/sim-market';

const SYMBOLS = ['SYNA', 'SYNB', 'SYNC'];

/** The simulated venue, reporting buying power as IBKR does: 2 × equity − gross, negative allowed. */
class UnflooredBuyingPowerBroker implements Broker {
  readonly venue = 'levered';
  readonly sent: OrderRequest[] = [];
  readonly buyingPowerSeen: number[] = [];
  constructor(private readonly inner: Broker) {}
  async getAccount(): Promise<Account> {
    const account = await this.inner.getAccount();
    let grossUsd = 0;
    for (const p of await this.inner.getPositions()) grossUsd += Math.abs(p.marketValueUsd);
    const buyingPowerUsd = account.equityUsd * 2 - grossUsd;
    this.buyingPowerSeen.push(buyingPowerUsd);
    return { ...account, buyingPowerUsd };
  }
  getPositions = () => this.inner.getPositions();
  getClock = () => this.inner.getClock();
  getOrderByClientId = (id: string) => this.inner.getOrderByClientId(id);
  listOpenOrders = () => this.inner.listOpenOrders();
  cancelOrder = (id: string) => this.inner.cancelOrder(id);
  listFills = (since?: string) => this.inner.listFills(since);
  submitOrder(request: OrderRequest): Promise<Order> {
    this.sent.push(request);
    return this.inner.submitOrder(request);
  }
}

describe('a loss breach while buying power is negative', () => {
  it('flattens the levered book with whole-share orders', async () => {
    const sim = createSimMarket();
    const broker = new UnflooredBuyingPowerBroker(sim.broker);
    const engine = new TradingEngine(
      {
        symbols: SYMBOLS,
        benchmark_symbol: 'SYNMKT',
        use_hourly: false,
        on_loss_breach: 'flatten',
      },
      {
        broker,
        marketData: sim.marketData,
        journal: new MemoryJournal(),
        clock: sim.clock,
        alerts: new MemoryAlertSink(),
        runId: 'levered',
        strategy: new TargetWeightsStrategy({ SYNA: 0.5, SYNB: -0.3, SYNC: 0.2 }),
      },
    );
    await engine.runCycle();
    expect((await sim.broker.getPositions()).length).toBe(3);
    // A crash against the book: longs halve, the short doubles. Equity falls to about a third
    // while gross exposure stays near the start: 2 × equity − gross is well below zero.
    const crashed: Record<string, number> = {};
    for (const s of [...SYMBOLS, 'SYNMKT'])
      crashed[s] = sim.bar(s, sim.session()).close * (s === 'SYNB' ? 2 : 0.5);
    sim.broker.markToMarket(crashed, sim.clock.nowIso());
    broker.sent.length = 0;
    broker.buyingPowerSeen.length = 0;

    const report = await engine.runCycle();

    expect(broker.buyingPowerSeen[0]).toBeLessThan(-100_000);
    expect(report.riskVerdict?.breaches.map((b) => b.limit)).toContain('drawdown');
    expect(engine.halted).toBe(true);
    expect(report.buyingPowerScale).toBeNull();
    // Every planned and sent order is a reduction in whole shares; together they flatten.
    expect(report.plannedOrders.length).toBe(3);
    for (const order of [...report.plannedOrders, ...broker.sent]) {
      expect(Number.isSafeInteger(order.quantity)).toBe(true);
      expect(order.quantity).toBeGreaterThan(0);
    }
    expect(report.plannedOrders.every((o) => !o.increasesExposure)).toBe(true);
    expect(broker.sent.map((o) => o.symbol).sort()).toEqual(SYMBOLS);
    expect(await sim.broker.getPositions()).toEqual([]);
  });
});
