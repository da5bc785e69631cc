import { isOrderOpen, type Broker, type Fill, type Order } from '@quantpipe/core';
import type { CycleRecord, CycleRecorder } from '@quantpipe/execution';
import type { TradingDatabase } from '@quantpipe/storage';

/**
 * Writes each finished cycle into the trading database: orders and their fills, a positions
 * snapshot, a portfolio snapshot and the signals of every decision.
 */
export class DatabaseRecorder implements CycleRecorder {
  private readonly startEquityUsd: number | undefined;

  /** `startEquityUsd`: the run's P&L baseline (its equity when it first started). */
  constructor(
    private readonly db: TradingDatabase,
    private readonly runId: string,
    startEquityUsd?: number,
  ) {
    this.startEquityUsd = startEquityUsd;
  }

  async recordCycle(record: CycleRecord): Promise<void> {
    const { report, account, positions } = record;
    for (const order of report.orders)
      await this.recordOrder(
        order,
        report.fills.find((f) => f.clientOrderId === order.clientOrderId),
      );
    const timestamp = report.timestamp;
    await this.db.savePositions(timestamp, positions, { runId: this.runId });
    await this.db.savePortfolioSnapshot({
      runId: this.runId,
      timestamp,
      cashUsd: account.cashUsd,
      portfolioValueUsd: account.portfolioValueUsd,
      equityUsd: account.equityUsd,
      buyingPowerUsd: account.buyingPowerUsd,
      ...(account.dailyPnlUsd !== undefined ? { dailyPnlUsd: account.dailyPnlUsd } : {}),
      ...(this.startEquityUsd !== undefined
        ? { totalPnlUsd: account.equityUsd - this.startEquityUsd }
        : {}),
    });
    if (report.decisions.length > 0) {
      const num = (x: number | undefined): number | null =>
        x !== undefined && Number.isFinite(x) ? x : null;
      await this.db.upsertSignals(
        report.decisions.map((d) => ({
          timestamp,
          symbol: d.symbol,
          composite: num(d.composite),
          volatility: num(d.signals['Volatility']),
          momentum: num(d.signals['Momentum']),
          tailRisk: num(d.signals['TailRisk']),
          beta: num(d.signals['Beta']),
          carry: num(d.signals['Carry']),
        })),
      );
    }
  }

  /**
   * Brings the database's orders and fills of this run up to the broker's. A process killed
   * between sending an order and recording its cycle leaves the order (and its fills) only at
   * the broker and in the journal; the resumed run may never report it again. `all` (at
   * start-up) looks at every order the journal intended (`order_intent`) that the database
   * lacks or still has open; `open` (after a cycle) at the database's open orders of the run.
   * Records what the broker knows of them; returns how many it brought up to date.
   */
  async syncFromBroker(broker: Broker, scope: 'all' | 'open' = 'all'): Promise<number> {
    const pending = new Map<string, string>(); // client order id -> submission instant
    if (scope === 'all') {
      const intents = await this.db.entries({ runId: this.runId, kinds: ['order_intent'] });
      for (const entry of intents) {
        if (entry.clientOrderId === undefined || pending.has(entry.clientOrderId)) continue;
        const known = await this.db.findOrder(entry.clientOrderId);
        if (!known || isOrderOpen(known.status)) pending.set(entry.clientOrderId, entry.timestamp);
      }
    } else {
      for (const order of await this.db.listOrders({ runId: this.runId }))
        if (isOrderOpen(order.status)) pending.set(order.clientOrderId, order.submittedAt);
    }
    if (pending.size === 0) return 0;
    // Fills from a day before the oldest pending order (venue and engine clocks may differ).
    const oldestMs = Math.min(...[...pending.values()].map((t) => Date.parse(t)));
    const since = Number.isFinite(oldestMs)
      ? new Date(oldestMs - 86_400_000).toISOString()
      : undefined;
    const fills = (await broker.listFills(since)).filter((f) => pending.has(f.clientOrderId));
    let synced = 0;
    for (const id of pending.keys()) {
      const order = await broker.getOrderByClientId(id);
      if (!order) continue;
      await this.recordOrder(
        order,
        undefined,
        fills.filter((f) => f.clientOrderId === id),
      );
      synced += 1;
    }
    return synced;
  }

  private async recordOrder(
    order: Order,
    fill: Fill | undefined,
    more: readonly Fill[] = [],
  ): Promise<void> {
    const known = await this.db.findOrder(order.clientOrderId);
    if (!known) {
      await this.db.insertOrder({
        clientOrderId: order.clientOrderId,
        id: order.id,
        runId: this.runId,
        symbol: order.symbol,
        side: order.side,
        quantity: order.quantity,
        type: order.type,
        timeInForce: order.timeInForce,
        status: 'new',
        filledQuantity: 0,
        submittedAt: order.submittedAt,
        updatedAt: order.submittedAt,
      });
    }
    for (const f of fill ? [fill, ...more] : more)
      if (Number.isFinite(f.priceUsd)) await this.db.recordFill(f);
    const current = await this.db.getOrder(order.clientOrderId);
    if (
      current.status !== order.status &&
      !['filled', 'canceled', 'rejected', 'expired'].includes(current.status)
    ) {
      await this.db.updateOrder(order.clientOrderId, {
        status: order.status,
        updatedAt: order.updatedAt,
        filledQuantity: order.filledQuantity,
        ...(order.reason !== undefined ? { reason: order.reason } : {}),
      });
    }
  }
}
