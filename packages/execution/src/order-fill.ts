import type { Fill, Order } from '@quantpipe/core';

/**
 * The fill the engine records for an order: its whole filled quantity at its average price,
 * with id `<venue order id>:<filled quantity>` (one per order and cycle; a later cycle's
 * partial fill of the same order gets another id). For orders with `filledQuantity > 0`.
 */
export function fillFromOrder(order: Order): Fill {
  return {
    fillId: `${order.id}:${order.filledQuantity}`,
    orderId: order.id,
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    quantity: order.filledQuantity,
    priceUsd: order.filledAvgPriceUsd ?? NaN,
    commissionUsd: order.commissionUsd ?? 0,
    timestamp: order.updatedAt,
  };
}
