import {
  StateError,
  ValidationError,
  isOrderOpen,
  type Fill,
  type OrderSide,
  type OrderStatus,
  type OrderType,
  type TimeInForce,
} from '@quantpipe/core';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { OrderRecord } from './records';
import type { FillsTable, OrdersTable, StorageSchema } from './schema';
import {
  assertFiniteNumber,
  assertNonEmptyString,
  assertOneOf,
  assertOptionalFinite,
  assertPositivePrice,
  assertSymbol,
  assertUtcInstant,
  assertWholeNumber,
} from './validate';

/** Order statuses, sides, types and times in force the database accepts. */
export const ORDER_STATUSES: readonly OrderStatus[] = [
  'pending_new',
  'new',
  'partially_filled',
  'filled',
  'canceled',
  'rejected',
  'expired',
];
export const ORDER_SIDES: readonly OrderSide[] = ['buy', 'sell'];
export const ORDER_TYPES: readonly OrderType[] = ['market', 'limit'];
export const TIMES_IN_FORCE: readonly TimeInForce[] = ['day', 'gtc'];

/** An `orders` row as read. */
export type OrderRow = Selectable<OrdersTable>;

/** A `fills` row as read. */
export type FillRow = Selectable<FillsTable>;

/** Throws a ValidationError naming the field unless the order can be stored. */
export function validateOrder(order: OrderRecord): void {
  assertNonEmptyString('order.clientOrderId', order.clientOrderId);
  if (order.id !== undefined) assertNonEmptyString('order.id', order.id);
  if (order.runId !== undefined) assertNonEmptyString('order.runId', order.runId);
  assertSymbol('order.symbol', order.symbol);
  assertOneOf('order.side', order.side, ORDER_SIDES);
  assertWholeNumber('order.quantity', order.quantity, 1);
  assertOneOf('order.type', order.type, ORDER_TYPES);
  assertOneOf('order.timeInForce', order.timeInForce, TIMES_IN_FORCE);
  if (order.limitPriceUsd !== undefined)
    assertPositivePrice('order.limitPriceUsd', order.limitPriceUsd);
  if (order.type === 'limit' && order.limitPriceUsd === undefined) {
    throw new ValidationError('order.limitPriceUsd', 'required for a limit order');
  }
  assertOneOf('order.status', order.status, ORDER_STATUSES);
  assertWholeNumber('order.filledQuantity', order.filledQuantity, 0);
  if (order.filledQuantity > order.quantity) {
    throw new ValidationError(
      'order.filledQuantity',
      `${order.filledQuantity} exceeds the order quantity ${order.quantity}`,
    );
  }
  if (order.filledAvgPriceUsd !== undefined)
    assertPositivePrice('order.filledAvgPriceUsd', order.filledAvgPriceUsd);
  assertOptionalFinite('order.commissionUsd', order.commissionUsd);
  assertUtcInstant('order.submittedAt', order.submittedAt);
  assertUtcInstant('order.updatedAt', order.updatedAt);
  if (order.reason !== undefined && typeof order.reason !== 'string') {
    throw new ValidationError('order.reason', 'expected a string');
  }
}

/** Throws a ValidationError naming the field unless the fill can be stored. */
export function validateFill(fill: Fill, field = 'fill'): void {
  assertNonEmptyString(`${field}.fillId`, fill.fillId);
  assertNonEmptyString(`${field}.orderId`, fill.orderId);
  assertNonEmptyString(`${field}.clientOrderId`, fill.clientOrderId);
  assertSymbol(`${field}.symbol`, fill.symbol);
  assertOneOf(`${field}.side`, fill.side, ORDER_SIDES);
  assertWholeNumber(`${field}.quantity`, fill.quantity, 1);
  assertPositivePrice(`${field}.priceUsd`, fill.priceUsd);
  assertFiniteNumber(`${field}.commissionUsd`, fill.commissionUsd);
  assertUtcInstant(`${field}.timestamp`, fill.timestamp);
}

/**
 * The order after one more fill: filled quantity, volume-weighted average price and
 * commission accumulate; an open order becomes `partially_filled`, or `filled` once complete
 * (a final order keeps its status); the venue id is taken from the fill when still unknown.
 * A fill of another symbol or side is a ValidationError, one beyond the order quantity a
 * StateError.
 */
export function foldFill(order: OrderRecord, fill: Fill): OrderRecord {
  assertFillMatchesOrder(order, fill, order.filledQuantity);
  const filled = order.filledQuantity + fill.quantity;
  return {
    ...order,
    id: order.id ?? fill.orderId,
    filledQuantity: filled,
    filledAvgPriceUsd:
      ((order.filledAvgPriceUsd ?? 0) * order.filledQuantity + fill.priceUsd * fill.quantity) /
      filled,
    commissionUsd: (order.commissionUsd ?? 0) + fill.commissionUsd,
    status: isOrderOpen(order.status)
      ? filled === order.quantity
        ? 'filled'
        : 'partially_filled'
      : order.status,
    updatedAt: fill.timestamp > order.updatedAt ? fill.timestamp : order.updatedAt,
  };
}

/**
 * Throws unless `fill` can be folded into `order` with `filledQuantity` shares already filled:
 * same symbol and side (ValidationError), and not beyond the order quantity (StateError).
 */
export function assertFillMatchesOrder(
  order: OrderRecord,
  fill: Fill,
  filledQuantity: number,
): void {
  if (fill.symbol !== order.symbol) {
    throw new ValidationError(
      'fill.symbol',
      `${fill.symbol} does not match order ${order.clientOrderId} (${order.symbol})`,
    );
  }
  if (fill.side !== order.side) {
    throw new ValidationError(
      'fill.side',
      `${fill.side} does not match order ${order.clientOrderId} (${order.side})`,
    );
  }
  const filled = filledQuantity + fill.quantity;
  if (filled > order.quantity) {
    throw new StateError(
      `fill ${fill.fillId} would fill ${filled} of order ${order.clientOrderId} for ${order.quantity} shares`,
      { context: { fillId: fill.fillId, clientOrderId: order.clientOrderId } },
    );
  }
}

/** The `fills` row of a fill. */
export function fillToRow(fill: Fill): FillsTable {
  return {
    fill_id: fill.fillId,
    order_id: fill.orderId,
    client_order_id: fill.clientOrderId,
    symbol: fill.symbol,
    side: fill.side,
    quantity: fill.quantity,
    price: fill.priceUsd,
    commission: fill.commissionUsd,
    timestamp: fill.timestamp,
  };
}

/** The `orders` row of an order record. */
export function orderToRow(order: OrderRecord): OrdersTable {
  return {
    client_order_id: order.clientOrderId,
    order_id: order.id ?? null,
    run_id: order.runId ?? null,
    timestamp: order.submittedAt,
    symbol: order.symbol,
    side: order.side,
    quantity: order.quantity,
    order_type: order.type,
    time_in_force: order.timeInForce,
    limit_price: order.limitPriceUsd ?? null,
    status: order.status,
    filled_qty: order.filledQuantity,
    filled_avg_price: order.filledAvgPriceUsd ?? null,
    commission: order.commissionUsd ?? null,
    updated_at: order.updatedAt,
    reason: order.reason ?? null,
  };
}

/** The order record of an `orders` row (optional fields absent where NULL). */
export function rowToOrder(row: OrderRow): OrderRecord {
  return {
    clientOrderId: row.client_order_id,
    ...(row.order_id === null ? {} : { id: row.order_id }),
    ...(row.run_id === null ? {} : { runId: row.run_id }),
    symbol: row.symbol,
    side: row.side as OrderSide,
    quantity: Number(row.quantity),
    type: row.order_type as OrderType,
    timeInForce: row.time_in_force as TimeInForce,
    ...(row.limit_price === null ? {} : { limitPriceUsd: row.limit_price }),
    status: row.status as OrderStatus,
    filledQuantity: Number(row.filled_qty),
    ...(row.filled_avg_price === null ? {} : { filledAvgPriceUsd: row.filled_avg_price }),
    ...(row.commission === null ? {} : { commissionUsd: row.commission }),
    submittedAt: row.timestamp,
    updatedAt: row.updated_at,
    ...(row.reason === null ? {} : { reason: row.reason }),
  };
}

/** The core Fill of a `fills` row. */
export function rowToFill(row: FillRow): Fill {
  return {
    fillId: row.fill_id,
    orderId: row.order_id,
    clientOrderId: row.client_order_id,
    symbol: row.symbol,
    side: row.side as OrderSide,
    quantity: Number(row.quantity),
    priceUsd: row.price,
    commissionUsd: row.commission,
    timestamp: row.timestamp,
  };
}

/** Whether two fills are identical in every field (re-recording one is a no-op). */
export function sameFill(a: Fill, b: Fill): boolean {
  return (
    a.fillId === b.fillId &&
    a.orderId === b.orderId &&
    a.clientOrderId === b.clientOrderId &&
    a.symbol === b.symbol &&
    a.side === b.side &&
    a.quantity === b.quantity &&
    a.priceUsd === b.priceUsd &&
    a.commissionUsd === b.commissionUsd &&
    a.timestamp === b.timestamp
  );
}

/**
 * The order row by client order id. `lockForUpdate` (PostgreSQL, inside a transaction) takes
 * a row lock so concurrent read-modify-write of one order (two fills) cannot lose an update;
 * SQLite transactions are already serialised on one connection.
 */
export async function selectOrder(
  db: Kysely<StorageSchema> | Transaction<StorageSchema>,
  clientOrderId: string,
  lockForUpdate = false,
): Promise<OrderRow | undefined> {
  const query = db.selectFrom('orders').selectAll().where('client_order_id', '=', clientOrderId);
  return (lockForUpdate ? query.forUpdate() : query).executeTakeFirst();
}
