import { ValidationError, type Fill } from '@quantpipe/core';
import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation, toStorageError } from './db-errors';
import { DuplicateKeyError } from './errors';
import type { OrderWithFills } from './records';
import {
  assertFillMatchesOrder,
  fillToRow,
  orderToRow,
  validateFill,
  validateOrder,
} from './order-rows';
import type { FillsTable, OrdersTable, StorageSchema } from './schema';
import { IMPORT_ROWS_PER_STATEMENT, chunks } from './statement-chunks';
import { atPath } from './validate';
import type { SqliteHandle, StorageContext } from './storage-context';
import { onSqliteConnection, writeTransaction } from './write-transaction';

/**
 * A DuplicateKeyError for the first order id of the batch already in `orders`, else the first
 * fill id already in `fills`; undefined when all are free.
 */
async function findStoredKey(
  db: Kysely<StorageSchema> | Transaction<StorageSchema>,
  orderRows: readonly OrdersTable[],
  fillRows: readonly FillsTable[],
  cause?: unknown,
): Promise<DuplicateKeyError | undefined> {
  const options = cause === undefined ? undefined : { cause };
  const orderIds = orderRows.map((r) => r.client_order_id);
  const fillIds = fillRows.map((r) => r.fill_id);
  for (const ids of chunks(orderIds, IMPORT_ROWS_PER_STATEMENT)) {
    const row = await db
      .selectFrom('orders')
      .select('client_order_id')
      .where('client_order_id', 'in', ids)
      .executeTakeFirst();
    if (row !== undefined) return new DuplicateKeyError('orders', row.client_order_id, options);
  }
  for (const ids of chunks(fillIds, IMPORT_ROWS_PER_STATEMENT)) {
    const row = await db
      .selectFrom('fills')
      .select('fill_id')
      .where('fill_id', 'in', ids)
      .executeTakeFirst();
    if (row !== undefined) return new DuplicateKeyError('fills', row.fill_id, options);
  }
  return undefined;
}

/**
 * A DuplicateKeyError for the first client order id that the batch holds twice, else the first
 * fill id; undefined when every key is unique. Looked for up front on PostgreSQL and, on
 * SQLite, only once the database has refused the batch (a bulk import then pays nothing for it).
 */
function repeatedKey(
  orderRows: readonly OrdersTable[],
  fillRows: readonly FillsTable[],
): DuplicateKeyError | undefined {
  const orderIds = new Set<string>();
  for (const r of orderRows) {
    if (orderIds.has(r.client_order_id)) return new DuplicateKeyError('orders', r.client_order_id);
    orderIds.add(r.client_order_id);
  }
  const fillIds = new Set<string>();
  for (const r of fillRows) {
    if (fillIds.has(r.fill_id)) return new DuplicateKeyError('fills', r.fill_id);
    fillIds.add(r.fill_id);
  }
  return undefined;
}

/** `TradingDatabase.importOrders` (documented there). */
export async function importOrders(
  ctx: StorageContext,
  entries: readonly OrderWithFills[],
): Promise<number> {
  if (!Array.isArray(entries)) throw new ValidationError('entries', 'expected an array');
  const orderRows: OrdersTable[] = [];
  const fillRows: FillsTable[] = [];
  for (let i = 0; i < entries.length; i++) {
    const { order, fills } = entries[i] as OrderWithFills;
    validateOrder(order);
    // Folded as insertOrder then recordFill would (see foldFill), in locals: one row per order.
    let filled = 0;
    let avgPriceUsd = 0;
    let commissionUsd = 0;
    let venueId = order.id;
    let updatedAt = order.submittedAt;
    for (let j = 0; j < fills.length; j++) {
      const fill = fills[j] as Fill;
      // Checked under a fixed name; the fill's path is spelled out only when it fails.
      try {
        validateFill(fill);
      } catch (error) {
        throw atPath(error, 'fill', `entries[${i}].fills[${j}]`);
      }
      if (fill.clientOrderId !== order.clientOrderId) {
        throw new ValidationError(
          `entries[${i}].fills[${j}].clientOrderId`,
          `${fill.clientOrderId} does not match order ${order.clientOrderId}`,
        );
      }
      assertFillMatchesOrder(order, fill, filled);
      const total = filled + fill.quantity;
      avgPriceUsd = (avgPriceUsd * filled + fill.priceUsd * fill.quantity) / total;
      filled = total;
      commissionUsd += fill.commissionUsd;
      venueId ??= fill.orderId;
      if (fill.timestamp > updatedAt) updatedAt = fill.timestamp;
      fillRows.push(fillToRow(fill));
    }
    if (filled !== order.filledQuantity) {
      throw new ValidationError(
        `entries[${i}].order.filledQuantity`,
        `${order.filledQuantity} disagrees with its fills (${filled} shares)`,
      );
    }
    const row = orderToRow(order);
    row.order_id = venueId ?? null;
    row.filled_qty = filled;
    row.filled_avg_price = fills.length > 0 ? avgPriceUsd : null;
    row.commission = fills.length > 0 ? commissionUsd : null;
    if (updatedAt > order.updatedAt) row.updated_at = updatedAt;
    orderRows.push(row);
  }
  if (orderRows.length === 0) return 0;
  if (ctx.sqlite !== undefined) {
    await importOrdersSqlite(ctx, ctx.sqlite, orderRows, fillRows);
    return orderRows.length;
  }
  await writeTransaction(ctx, 'importOrders', async (trx) => {
    const clash =
      repeatedKey(orderRows, fillRows) ?? (await findStoredKey(trx, orderRows, fillRows));
    if (clash !== undefined) throw clash;
    try {
      for (const rows of chunks(orderRows, IMPORT_ROWS_PER_STATEMENT))
        await trx.insertInto('orders').values(rows).execute();
    } catch (error) {
      // The client ids were free, so the clash is on a venue order id.
      if (isUniqueViolation(error)) throw new DuplicateKeyError('orders', '', { cause: error });
      throw error;
    }
    for (const rows of chunks(fillRows, IMPORT_ROWS_PER_STATEMENT))
      await trx.insertInto('fills').values(rows).execute();
  });
  return orderRows.length;
}

/**
 * importOrders on SQLite: prepared single-row inserts in one transaction (several times
 * faster than multi-row statements through kysely). A key clash rolls everything back; the
 * clashing key is then looked for, in the batch and in the database, for the error.
 */
async function importOrdersSqlite(
  ctx: StorageContext,
  sqlite: SqliteHandle,
  orderRows: readonly OrdersTable[],
  fillRows: readonly FillsTable[],
): Promise<void> {
  try {
    await onSqliteConnection(ctx, () => {
      ctx.statements.orderInsert ??= sqlite.prepare(
        `insert into orders (client_order_id, order_id, run_id, timestamp, symbol, side,
           quantity, order_type, time_in_force, limit_price, status, filled_qty,
           filled_avg_price, commission, updated_at, reason)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      ctx.statements.fillInsert ??= sqlite.prepare(
        `insert into fills (fill_id, order_id, client_order_id, symbol, side, quantity, price,
           commission, timestamp)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const orderInsert = ctx.statements.orderInsert;
      const fillInsert = ctx.statements.fillInsert;
      sqlite.transaction(() => {
        for (const r of orderRows) {
          orderInsert.run(
            r.client_order_id,
            r.order_id,
            r.run_id,
            r.timestamp,
            r.symbol,
            r.side,
            r.quantity,
            r.order_type,
            r.time_in_force,
            r.limit_price,
            r.status,
            r.filled_qty,
            r.filled_avg_price,
            r.commission,
            r.updated_at,
            r.reason,
          );
        }
        for (const r of fillRows) {
          fillInsert.run(
            r.fill_id,
            r.order_id,
            r.client_order_id,
            r.symbol,
            r.side,
            r.quantity,
            r.price,
            r.commission,
            r.timestamp,
          );
        }
      })();
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw toStorageError('importOrders', error);
    // A key the batch repeats, else one already stored; with both free, the clash is on a
    // venue order id.
    throw (
      repeatedKey(orderRows, fillRows) ??
      (await findStoredKey(ctx.kysely, orderRows, fillRows, error)) ??
      new DuplicateKeyError('orders', '', { cause: error })
    );
  }
}
