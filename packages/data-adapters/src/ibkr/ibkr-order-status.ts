import type { OrderStatus } from '@quantpipe/core';

/** TWS order status text → core status. */
export function mapIbOrderStatus(status: string, filled: number): OrderStatus {
  switch (status) {
    case 'Filled':
      return 'filled';
    case 'Cancelled':
    case 'ApiCancelled':
      return 'canceled';
    case 'Inactive':
      return 'rejected';
    case 'PendingSubmit':
    case 'ApiPending':
      return 'pending_new';
    default:
      return filled > 0 ? 'partially_filled' : 'new';
  }
}
