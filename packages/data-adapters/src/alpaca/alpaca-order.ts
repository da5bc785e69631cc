import { DataError, type Fill, type Order, type OrderStatus } from '@quantpipe/core';
import { asRecord, instant, num, optNum, str } from './wire';

const STATUS: Readonly<Record<string, OrderStatus>> = {
  pending_new: 'pending_new',
  accepted: 'pending_new',
  new: 'new',
  accepted_for_bidding: 'new',
  held: 'new',
  calculated: 'new',
  stopped: 'new',
  suspended: 'new',
  pending_cancel: 'new',
  pending_replace: 'new',
  done_for_day: 'new',
  partially_filled: 'partially_filled',
  filled: 'filled',
  canceled: 'canceled',
  // A replaced order is final; its replacement is another order.
  replaced: 'canceled',
  expired: 'expired',
  rejected: 'rejected',
};

/** Alpaca's order JSON as a core Order. Time in force other than gtc reads as day. */
export function orderFromAlpaca(value: unknown): Order {
  const r = asRecord(value, 'order');
  const what = 'order';
  const rawStatus = str(r, 'status', what);
  const status = STATUS[rawStatus];
  if (!status)
    throw new DataError(`alpaca order has an unknown status ${rawStatus}`, {
      context: { status: rawStatus },
    });
  const type = str(r, 'type', what);
  if (type !== 'market' && type !== 'limit') {
    throw new DataError(`alpaca order type ${type} is not supported (market and limit only)`);
  }
  const side = str(r, 'side', what);
  if (side !== 'buy' && side !== 'sell')
    throw new DataError(`alpaca order side ${side} is invalid`);
  const limitPriceUsd = optNum(r, 'limit_price', what);
  const filledAvgPriceUsd = optNum(r, 'filled_avg_price', what);
  const submittedAt = instant(
    r,
    typeof r['submitted_at'] === 'string' ? 'submitted_at' : 'created_at',
    what,
  );
  return {
    id: str(r, 'id', what),
    clientOrderId: str(r, 'client_order_id', what),
    symbol: str(r, 'symbol', what),
    side,
    quantity: num(r, 'qty', what),
    type,
    timeInForce: r['time_in_force'] === 'gtc' ? 'gtc' : 'day',
    ...(limitPriceUsd !== undefined ? { limitPriceUsd } : {}),
    status,
    filledQuantity: num(r, 'filled_qty', what),
    ...(filledAvgPriceUsd !== undefined ? { filledAvgPriceUsd } : {}),
    commissionUsd: 0,
    submittedAt,
    updatedAt: typeof r['updated_at'] === 'string' ? instant(r, 'updated_at', what) : submittedAt,
  };
}

/** An Alpaca FILL activity as a core Fill (Alpaca charges no commission on US equities). */
export function fillFromAlpaca(value: unknown, clientOrderId: string): Fill {
  const r = asRecord(value, 'fill activity');
  const what = 'fill activity';
  const side = str(r, 'side', what);
  return {
    fillId: str(r, 'id', what),
    orderId: str(r, 'order_id', what),
    clientOrderId,
    symbol: str(r, 'symbol', what),
    side: side === 'buy' ? 'buy' : 'sell', // Alpaca also writes sell_short
    quantity: num(r, 'qty', what),
    priceUsd: num(r, 'price', what),
    commissionUsd: 0,
    timestamp: instant(r, 'transaction_time', what),
  };
}
