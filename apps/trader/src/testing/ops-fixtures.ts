import type { Fill, Order } from '@quantpipe/core';
import type { CycleReport } from '@quantpipe/execution';
import { OpsState } from '../ops-state';

/** Limits as the config defaults. */
export const LIMITS = { maxDailyLoss: -0.05, maxDrawdown: -0.15, minLeverage: 1, maxLeverage: 3 };

/** An OpsState on a settable clock. */
export function opsState(nowMs: { value: number }): OpsState {
  return new OpsState(
    {
      runId: 'ops',
      broker: 'sim',
      dryRun: false,
      version: '0.1.0',
      schedule: 'every 60m',
      limits: LIMITS,
    },
    () => nowMs.value,
  );
}

/** A filled market order and its fill. */
export function filledOrder(
  symbol: string,
  quantity: number,
  priceUsd: number,
  at: string,
  cycle = 1,
): { order: Order; fill: Fill } {
  const clientOrderId = `ops-${cycle}-${symbol}-open`;
  const order: Order = {
    id: `v-${clientOrderId}`,
    clientOrderId,
    symbol,
    side: quantity > 0 ? 'buy' : 'sell',
    quantity: Math.abs(quantity),
    type: 'market',
    timeInForce: 'day',
    status: 'filled',
    filledQuantity: Math.abs(quantity),
    filledAvgPriceUsd: priceUsd,
    submittedAt: at,
    updatedAt: at,
  };
  const fill: Fill = {
    fillId: `f-${clientOrderId}`,
    orderId: order.id,
    clientOrderId,
    symbol,
    side: order.side,
    quantity: Math.abs(quantity),
    priceUsd,
    commissionUsd: 0,
    timestamp: at,
  };
  return { order, fill };
}

/** A traded cycle report with the given orders (decisions for their symbols). */
export function cycleReport(
  cycle: number,
  at: string,
  orders: readonly Order[],
  fills: readonly Fill[],
  equityUsd: number,
): CycleReport {
  return {
    runId: 'ops',
    cycle,
    timestamp: at,
    status: 'traded',
    decisions: orders.map((o) => ({
      symbol: o.symbol,
      composite: 0.2,
      confidence: 1,
      signals: {},
      targetShares: o.quantity,
      currentShares: 0,
      priceUsd: o.filledAvgPriceUsd ?? 100,
    })),
    weights: {},
    health: {},
    ic: {},
    hybrid: false,
    plannedOrders: orders.map((o) => ({
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      leg: 'open',
      side: o.side,
      quantity: o.quantity,
      timeInForce: 'day',
      increasesExposure: true,
    })),
    orders,
    fills,
    riskVerdict: null,
    estimatedCostUsd: 1,
    buyingPowerScale: null,
    hedge: null,
    equityUsd,
    equityAfterUsd: equityUsd,
    leverageAfter: 1.2,
  };
}
