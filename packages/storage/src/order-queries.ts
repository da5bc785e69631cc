import {
  NotFoundError,
  StateError,
  ValidationError,
  isOrderOpen,
  type Fill,
} from '@quantpipe/core';
import { isUniqueViolation, toStorageError } from './db-errors';
import { DuplicateKeyError } from './errors';
import type { OrderQuery, OrderRecord, OrderUpdate } from './records';
import {
  ORDER_STATUSES,
  fillToRow,
  foldFill,
  rowToFill,
  rowToOrder,
  orderToRow,
  sameFill,
  selectOrder,
  validateFill,
  validateOrder,
  type OrderRow,
} from './order-rows';
import type { StorageContext } from './storage-context';
import { writeTransaction } from './write-transaction';
import {
  assertNonEmptyString,
  assertOneOf,
  assertOptionalFinite,
  assertPositivePrice,
  assertSymbol,
  assertUtcInstant,
  assertWholeNumber,
} from './validate';

/** `TradingDatabase.insertOrder` (documented there). */
export async function insertOrder(ctx: StorageContext, order: OrderRecord): Promise<void> {
  validateOrder(order);
  await writeTransaction(ctx, 'insertOrder', async (trx) => {
    const existing = await trx
      .selectFrom('orders')
      .select('client_order_id')
      .where('client_order_id', '=', order.clientOrderId)
      .executeTakeFirst();
    if (existing !== undefined) throw new DuplicateKeyError('orders', order.clientOrderId);
    try {
      await trx.insertInto('orders').values(orderToRow(order)).execute();
    } catch (error) {
      // The client id was free, so the clash is on the venue's order id.
      if (isUniqueViolation(error))
        throw new DuplicateKeyError('orders', order.id ?? '', { cause: error });
      throw error;
    }
  });
}

/** `TradingDatabase.updateOrder` (documented there). */
export async function updateOrder(
  ctx: StorageContext,
  clientOrderId: string,
  update: OrderUpdate,
): Promise<OrderRecord> {
  assertNonEmptyString('clientOrderId', clientOrderId);
  assertOneOf('update.status', update.status, ORDER_STATUSES);
  assertUtcInstant('update.updatedAt', update.updatedAt);
  if (update.id !== undefined) assertNonEmptyString('update.id', update.id);
  if (update.filledQuantity !== undefined)
    assertWholeNumber('update.filledQuantity', update.filledQuantity, 0);
  if (update.filledAvgPriceUsd !== undefined)
    assertPositivePrice('update.filledAvgPriceUsd', update.filledAvgPriceUsd);
  assertOptionalFinite('update.commissionUsd', update.commissionUsd);
  if (update.reason !== undefined && typeof update.reason !== 'string') {
    throw new ValidationError('update.reason', 'expected a string');
  }
  return writeTransaction(ctx, 'updateOrder', async (trx) => {
    const row = await selectOrder(trx, clientOrderId, ctx.dialect === 'postgres');
    if (row === undefined)
      throw new NotFoundError(`order ${clientOrderId} is not in the database`, {
        context: { clientOrderId },
      });
    const current = rowToOrder(row);
    if (!isOrderOpen(current.status) && update.status !== current.status) {
      throw new StateError(
        `order ${clientOrderId} is ${current.status} (final) and cannot become ${update.status}`,
        { context: { clientOrderId, status: current.status, requested: update.status } },
      );
    }
    const filled = update.filledQuantity ?? current.filledQuantity;
    if (filled < current.filledQuantity) {
      throw new StateError(
        `order ${clientOrderId}: filled quantity cannot decrease (${current.filledQuantity} -> ${filled})`,
        { context: { clientOrderId } },
      );
    }
    if (filled > current.quantity) {
      throw new ValidationError(
        'update.filledQuantity',
        `${filled} exceeds the order quantity ${current.quantity}`,
      );
    }
    try {
      await trx
        .updateTable('orders')
        .set({
          status: update.status,
          updated_at: update.updatedAt,
          filled_qty: filled,
          ...(update.id === undefined ? {} : { order_id: update.id }),
          ...(update.filledAvgPriceUsd === undefined
            ? {}
            : { filled_avg_price: update.filledAvgPriceUsd }),
          ...(update.commissionUsd === undefined ? {} : { commission: update.commissionUsd }),
          ...(update.reason === undefined ? {} : { reason: update.reason }),
        })
        .where('client_order_id', '=', clientOrderId)
        .execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DuplicateKeyError('orders', update.id ?? '', { cause: error });
      throw error;
    }
    return rowToOrder((await selectOrder(trx, clientOrderId)) as OrderRow);
  });
}

/** `TradingDatabase.getOrder` (documented there). */
export async function getOrder(ctx: StorageContext, clientOrderId: string): Promise<OrderRecord> {
  const order = await findOrder(ctx, clientOrderId);
  if (order === undefined)
    throw new NotFoundError(`order ${clientOrderId} is not in the database`, {
      context: { clientOrderId },
    });
  return order;
}

/** `TradingDatabase.findOrder` (documented there). */
export async function findOrder(
  ctx: StorageContext,
  clientOrderId: string,
): Promise<OrderRecord | undefined> {
  assertNonEmptyString('clientOrderId', clientOrderId);
  try {
    const row = await selectOrder(ctx.kysely, clientOrderId);
    return row === undefined ? undefined : rowToOrder(row);
  } catch (error) {
    throw toStorageError('findOrder', error);
  }
}

/** `TradingDatabase.getOrderByVenueId` (documented there). */
export async function getOrderByVenueId(ctx: StorageContext, id: string): Promise<OrderRecord> {
  assertNonEmptyString('id', id);
  let row: OrderRow | undefined;
  try {
    row = await ctx.kysely
      .selectFrom('orders')
      .selectAll()
      .where('order_id', '=', id)
      .executeTakeFirst();
  } catch (error) {
    throw toStorageError('getOrderByVenueId', error);
  }
  if (row === undefined)
    throw new NotFoundError(`no order with venue id ${id}`, { context: { id } });
  return rowToOrder(row);
}

/** `TradingDatabase.listOrders` (documented there). */
export async function listOrders(
  ctx: StorageContext,
  query: OrderQuery = {},
): Promise<OrderRecord[]> {
  if (query.runId !== undefined) assertNonEmptyString('query.runId', query.runId);
  if (query.symbol !== undefined) assertSymbol('query.symbol', query.symbol);
  query.statuses?.forEach((status, i) =>
    assertOneOf(`query.statuses[${i}]`, status, ORDER_STATUSES),
  );
  if (query.statuses !== undefined && query.statuses.length === 0) return [];
  try {
    let select = ctx.kysely.selectFrom('orders').selectAll();
    if (query.runId !== undefined) select = select.where('run_id', '=', query.runId);
    if (query.symbol !== undefined) select = select.where('symbol', '=', query.symbol);
    if (query.statuses !== undefined) select = select.where('status', 'in', [...query.statuses]);
    const rows = await select.orderBy('timestamp').orderBy('client_order_id').execute();
    return rows.map(rowToOrder);
  } catch (error) {
    throw toStorageError('listOrders', error);
  }
}

/** `TradingDatabase.recordFill` (documented there). */
export async function recordFill(ctx: StorageContext, fill: Fill): Promise<OrderRecord> {
  validateFill(fill);
  return writeTransaction(ctx, 'recordFill', async (trx) => {
    const row = await selectOrder(trx, fill.clientOrderId, ctx.dialect === 'postgres');
    if (row === undefined) {
      throw new NotFoundError(
        `fill ${fill.fillId}: order ${fill.clientOrderId} is not in the database`,
        {
          context: { fillId: fill.fillId, clientOrderId: fill.clientOrderId },
        },
      );
    }
    const order = rowToOrder(row);
    const existing = await trx
      .selectFrom('fills')
      .selectAll()
      .where('fill_id', '=', fill.fillId)
      .executeTakeFirst();
    if (existing !== undefined) {
      if (sameFill(rowToFill(existing), fill)) return order;
      throw new DuplicateKeyError('fills', fill.fillId);
    }
    const folded = foldFill(order, fill);
    await trx.insertInto('fills').values(fillToRow(fill)).execute();
    await trx
      .updateTable('orders')
      .set({
        filled_qty: folded.filledQuantity,
        filled_avg_price: folded.filledAvgPriceUsd ?? null,
        commission: folded.commissionUsd ?? null,
        status: folded.status,
        updated_at: folded.updatedAt,
        ...(order.id === undefined ? { order_id: fill.orderId } : {}),
      })
      .where('client_order_id', '=', order.clientOrderId)
      .execute();
    return rowToOrder((await selectOrder(trx, order.clientOrderId)) as OrderRow);
  });
}

/** `TradingDatabase.listFills` (documented there). */
export async function listFills(ctx: StorageContext, clientOrderId?: string): Promise<Fill[]> {
  if (clientOrderId !== undefined) assertNonEmptyString('clientOrderId', clientOrderId);
  try {
    let select = ctx.kysely.selectFrom('fills').selectAll();
    if (clientOrderId !== undefined) select = select.where('client_order_id', '=', clientOrderId);
    const rows = await select.orderBy('timestamp').orderBy('fill_id').execute();
    return rows.map(rowToFill);
  } catch (error) {
    throw toStorageError('listFills', error);
  }
}
