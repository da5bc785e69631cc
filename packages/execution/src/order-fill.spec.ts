import type { Order } from '@quantpipe/core';
import { fillFromOrder } from './order-fill';

const order: Order = {
  id: 'sim-7',
  clientOrderId: 'qp-r-3-AAA-adjust',
  symbol: 'AAA',
  side: 'sell',
  quantity: 10,
  type: 'market',
  timeInForce: 'day',
  status: 'partially_filled',
  filledQuantity: 4,
  filledAvgPriceUsd: 101.25,
  commissionUsd: 0.02,
  submittedAt: '2024-01-02T21:00:00.000Z',
  updatedAt: '2024-01-03T14:30:00Z',
};

describe('fillFromOrder', () => {
  it('records the filled quantity at the average price, keyed by venue id and quantity', () => {
    expect(fillFromOrder(order)).toEqual({
      fillId: 'sim-7:4',
      orderId: 'sim-7',
      clientOrderId: 'qp-r-3-AAA-adjust',
      symbol: 'AAA',
      side: 'sell',
      quantity: 4,
      priceUsd: 101.25,
      commissionUsd: 0.02,
      timestamp: '2024-01-03T14:30:00Z',
    });
    const { commissionUsd: _c, filledAvgPriceUsd: _p, ...bare } = order;
    const fill = fillFromOrder(bare);
    expect(fill.commissionUsd).toBe(0);
    expect(fill.priceUsd).toBeNaN();
  });
});
