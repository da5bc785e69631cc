export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit';
/** DAY while the market is open, GTC when it is closed (queued for the open). */
export type TimeInForce = 'day' | 'gtc';

/** Order lifecycle. `filled`, `canceled`, `rejected` and `expired` are final. */
export type OrderStatus =
  'pending_new' | 'new' | 'partially_filled' | 'filled' | 'canceled' | 'rejected' | 'expired';

/** Statuses after which an order can no longer change. */
export const FINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'filled',
  'canceled',
  'rejected',
  'expired',
]);

/** Whether an order in this status can still fill. */
export function isOrderOpen(status: OrderStatus): boolean {
  return !FINAL_ORDER_STATUSES.has(status);
}

/** What the engine asks a broker to do. */
export interface OrderRequest {
  /**
   * Idempotency key chosen by the caller. Brokers must refuse (or return the existing
   * order for) a second request with the same id, so a retried or restarted submission
   * never creates a second order.
   */
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  /** Positive whole shares. */
  readonly quantity: number;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** Required for limit orders. */
  readonly limitPriceUsd?: number;
}

/** An order as the broker knows it. */
export interface Order extends OrderRequest {
  /** The venue's id. */
  readonly id: string;
  readonly status: OrderStatus;
  /** Shares filled so far (positive). */
  readonly filledQuantity: number;
  /** Volume-weighted fill price, when anything filled. */
  readonly filledAvgPriceUsd?: number;
  /** Total commission charged so far. */
  readonly commissionUsd?: number;
  /** ISO-8601 UTC. */
  readonly submittedAt: string;
  /** ISO-8601 UTC of the last status change. */
  readonly updatedAt: string;
  /** Why the venue rejected or canceled it, when it said. */
  readonly reason?: string;
}

/** One execution (an order may fill in several). */
export interface Fill {
  readonly fillId: string;
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  /** Positive shares in this execution. */
  readonly quantity: number;
  readonly priceUsd: number;
  readonly commissionUsd: number;
  /** ISO-8601 UTC. */
  readonly timestamp: string;
}
