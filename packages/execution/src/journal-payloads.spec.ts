import type { Fill, Order } from '@quantpipe/core';
import fc from 'fast-check';
import { fillJson, jsonNumber, orderJson } from './journal-payloads';
import { toJson } from './to-json';

const number = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e-300, 0.1 + 0.2),
);
const text = fc.string({ minLength: 1, maxLength: 12 });

const order: fc.Arbitrary<Order> = fc.record(
  {
    clientOrderId: text,
    symbol: text,
    side: fc.constantFrom('buy' as const, 'sell' as const),
    quantity: number,
    type: fc.constantFrom('market' as const, 'limit' as const),
    timeInForce: fc.constantFrom('day' as const, 'gtc' as const),
    limitPriceUsd: number,
    id: text,
    status: fc.constantFrom(
      'new' as const,
      'partially_filled' as const,
      'filled' as const,
      'canceled' as const,
    ),
    filledQuantity: number,
    filledAvgPriceUsd: number,
    commissionUsd: number,
    submittedAt: text,
    updatedAt: text,
    reason: text,
  },
  {
    requiredKeys: [
      'clientOrderId',
      'symbol',
      'side',
      'quantity',
      'type',
      'timeInForce',
      'id',
      'status',
      'filledQuantity',
      'submittedAt',
      'updatedAt',
    ],
  },
);

const fill: fc.Arbitrary<Fill> = fc.record({
  fillId: text,
  orderId: text,
  clientOrderId: text,
  symbol: text,
  side: fc.constantFrom('buy' as const, 'sell' as const),
  quantity: number,
  priceUsd: number,
  commissionUsd: number,
  timestamp: text,
});

describe('journal payloads', () => {
  it('orderJson is what toJson makes of the order (property)', () => {
    fc.assert(fc.property(order, (o) => expect(orderJson(o)).toEqual(toJson(o))));
  });

  it('fillJson is what toJson makes of the fill (property)', () => {
    fc.assert(fc.property(fill, (f) => expect(fillJson(f)).toEqual(toJson(f))));
  });

  it('writes numbers as JSON.stringify does', () => {
    expect(jsonNumber(Number.NaN)).toBeNull();
    expect(jsonNumber(Number.NEGATIVE_INFINITY)).toBeNull();
    expect(Object.is(jsonNumber(-0), 0)).toBe(true);
    expect(jsonNumber(0.1 + 0.2)).toBe(0.1 + 0.2);
  });

  it('leaves out a venue’s extra fields', () => {
    const o = { ...fc.sample(order, { numRuns: 1, seed: 7 })[0], venueRaw: { x: 1 } } as Order;
    expect(orderJson(o)).not.toHaveProperty('venueRaw');
  });
});
