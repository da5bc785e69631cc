import { ValidationError, isIsoDate, isIsoUtcTimestamp, type Fill } from '@quantpipe/core';
import type { OrderRecord, TradingDatabase } from '@quantpipe/storage';

/** Filters of `trader orders` and `trader fills`. */
export interface HistoryFilter {
  readonly runId?: string;
  readonly symbol?: string;
  /** Inclusive: `YYYY-MM-DD` (from 00:00 UTC) or an ISO-8601 UTC instant. */
  readonly from?: string;
  /** Inclusive: `YYYY-MM-DD` (to the end of that UTC day) or an ISO-8601 UTC instant. */
  readonly to?: string;
}

/** A fill with the run of its order. */
export interface FillRecord extends Fill {
  readonly runId: string | null;
}

function bound(argument: string, value: string | undefined, end: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (isIsoDate(value)) return end ? `${value}T23:59:59.999Z` : `${value}T00:00:00Z`;
  if (isIsoUtcTimestamp(value)) return value;
  throw new ValidationError(
    argument,
    `expected YYYY-MM-DD or an ISO-8601 UTC instant, got ${value}`,
  );
}

function range(filter: HistoryFilter): { from?: string; to?: string } {
  const from = bound('--from', filter.from, false);
  const to = bound('--to', filter.to, true);
  if (from !== undefined && to !== undefined && Date.parse(to) < Date.parse(from))
    throw new ValidationError('--to', `must not be before --from (${filter.from})`);
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

function inRange(timestamp: string, r: { from?: string; to?: string }): boolean {
  const t = Date.parse(timestamp);
  return (
    (r.from === undefined || t >= Date.parse(r.from)) &&
    (r.to === undefined || t <= Date.parse(r.to))
  );
}

/** Orders by submission time, filtered by run, symbol and date range (read-only). */
export async function orderHistory(
  db: TradingDatabase,
  filter: HistoryFilter,
): Promise<OrderRecord[]> {
  const r = range(filter);
  const orders = await db.listOrders({
    ...(filter.runId ? { runId: filter.runId } : {}),
    ...(filter.symbol ? { symbol: filter.symbol.toUpperCase() } : {}),
  });
  return orders.filter((o) => inRange(o.submittedAt, r));
}

/** Fills by time with the run of their order, filtered like {@link orderHistory} (read-only). */
export async function fillHistory(
  db: TradingDatabase,
  filter: HistoryFilter,
): Promise<FillRecord[]> {
  const r = range(filter);
  let select = db.kysely
    .selectFrom('fills')
    .leftJoin('orders', 'orders.client_order_id', 'fills.client_order_id')
    .select([
      'fills.fill_id as fillId',
      'fills.order_id as orderId',
      'fills.client_order_id as clientOrderId',
      'fills.symbol as symbol',
      'fills.side as side',
      'fills.quantity as quantity',
      'fills.price as price',
      'fills.commission as commission',
      'fills.timestamp as timestamp',
      'orders.run_id as runId',
    ]);
  if (filter.runId) select = select.where('orders.run_id', '=', filter.runId);
  if (filter.symbol) select = select.where('fills.symbol', '=', filter.symbol.toUpperCase());
  const rows = await select.orderBy('fills.timestamp').orderBy('fills.fill_id').execute();
  return rows
    .map((row) => ({
      fillId: row.fillId,
      orderId: row.orderId,
      clientOrderId: row.clientOrderId,
      symbol: row.symbol,
      side: row.side as Fill['side'],
      quantity: Number(row.quantity),
      priceUsd: row.price,
      commissionUsd: row.commission,
      timestamp: row.timestamp,
      runId: row.runId ?? null,
    }))
    .filter((f) => inRange(f.timestamp, r));
}

/** A plain-text table (columns padded to their widest cell). */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return (
    [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n'
  );
}

/** `trader orders` as a table. */
export function formatOrders(orders: readonly OrderRecord[]): string {
  if (orders.length === 0) return 'no orders\n';
  return formatTable(
    [
      'submitted',
      'run',
      'symbol',
      'side',
      'qty',
      'filled',
      'avg price',
      'status',
      'client order id',
      'reason',
    ],
    orders.map((o) => [
      o.submittedAt,
      o.runId ?? '',
      o.symbol,
      o.side,
      String(o.quantity),
      String(o.filledQuantity),
      o.filledAvgPriceUsd !== undefined ? o.filledAvgPriceUsd.toFixed(2) : '',
      o.status,
      o.clientOrderId,
      o.reason ?? '',
    ]),
  );
}

/** `trader fills` as a table. */
export function formatFills(fills: readonly FillRecord[]): string {
  if (fills.length === 0) return 'no fills\n';
  return formatTable(
    ['time', 'run', 'symbol', 'side', 'qty', 'price', 'commission', 'client order id'],
    fills.map((f) => [
      f.timestamp,
      f.runId ?? '',
      f.symbol,
      f.side,
      String(f.quantity),
      f.priceUsd.toFixed(2),
      f.commissionUsd.toFixed(2),
      f.clientOrderId,
    ]),
  );
}
