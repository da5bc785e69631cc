import type { Fill, JsonObject, Order } from '@quantpipe/core';

/**
 * Journal payloads of the per-order entries, built field by field. They are what `toJson`
 * would make of the same objects (non-finite numbers become null, absent optional fields are
 * left out), without its generic walk: a backtest journals several entries per order.
 */

/** A number as JSON.stringify writes it: non-finite is null, -0 is 0. */
export function jsonNumber(value: number): number | null {
  return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
}

/** The Order fields core defines (a venue's extra fields are not journaled). */
export function orderJson(order: Order): JsonObject {
  const out: JsonObject = {
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    quantity: jsonNumber(order.quantity),
    type: order.type,
    timeInForce: order.timeInForce,
    id: order.id,
    status: order.status,
    filledQuantity: jsonNumber(order.filledQuantity),
    submittedAt: order.submittedAt,
    updatedAt: order.updatedAt,
  };
  if (order.limitPriceUsd !== undefined) out['limitPriceUsd'] = jsonNumber(order.limitPriceUsd);
  if (order.filledAvgPriceUsd !== undefined)
    out['filledAvgPriceUsd'] = jsonNumber(order.filledAvgPriceUsd);
  if (order.commissionUsd !== undefined) out['commissionUsd'] = jsonNumber(order.commissionUsd);
  if (order.reason !== undefined) out['reason'] = order.reason;
  return out;
}

/** A fill, every field. */
export function fillJson(fill: Fill): JsonObject {
  return {
    fillId: fill.fillId,
    orderId: fill.orderId,
    clientOrderId: fill.clientOrderId,
    symbol: fill.symbol,
    side: fill.side,
    quantity: jsonNumber(fill.quantity),
    priceUsd: jsonNumber(fill.priceUsd),
    commissionUsd: jsonNumber(fill.commissionUsd),
    timestamp: fill.timestamp,
  };
}
