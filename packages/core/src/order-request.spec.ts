import fc from 'fast-check';
import { ValidationError } from './errors';
import type { OrderRequest } from './order';
import { assertOrderRequest } from './order-request';

const good: OrderRequest = {
  clientOrderId: 'run-1-c1-SYNA-adjust',
  symbol: 'SYNA',
  side: 'buy',
  quantity: 100,
  type: 'market',
  timeInForce: 'day',
};

const argumentOf = (request: unknown): string | undefined => {
  try {
    assertOrderRequest(request as OrderRequest);
    return undefined;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.argument;
  }
};

describe('assertOrderRequest (the broker-port guard)', () => {
  it('accepts well-formed market and limit orders', () => {
    expect(argumentOf(good)).toBeUndefined();
    expect(argumentOf({ ...good, type: 'limit', limitPriceUsd: 12.5, timeInForce: 'gtc' })).toBe(
      undefined,
    );
    // IBKR's name of a share class.
    expect(argumentOf({ ...good, symbol: 'BRK B' })).toBeUndefined();
  });

  it.each([
    ['quantity', { quantity: Number.NaN }],
    ['quantity', { quantity: Number.POSITIVE_INFINITY }],
    ['quantity', { quantity: 0 }],
    ['quantity', { quantity: -3 }],
    ['quantity', { quantity: 2.5 }],
    ['quantity', { quantity: 1e21 }],
    ['quantity', { quantity: '5' }],
    ['clientOrderId', { clientOrderId: '' }],
    ['clientOrderId', { clientOrderId: 'x'.repeat(129) }],
    ['symbol', { symbol: '' }],
    ['symbol', { symbol: ' SYNA' }],
    ['symbol', { symbol: 'SYNA\n' }],
    ['symbol', { symbol: 'SY\u0000NA' }],
    ['symbol', { symbol: 'S'.repeat(50_000_000) }],
    ['side', { side: 'hold' }],
    ['type', { type: 'stop' }],
    ['timeInForce', { timeInForce: 'ioc' }],
    ['limitPriceUsd', { type: 'limit' }],
    ['limitPriceUsd', { type: 'limit', limitPriceUsd: Number.NaN }],
    ['limitPriceUsd', { type: 'limit', limitPriceUsd: -1 }],
  ])('rejects a bad %s with a ValidationError naming it (%j)', (argument, change) => {
    expect(argumentOf({ ...good, ...change })).toBe(argument);
  });

  it('rejects what is not an object', () => {
    expect(argumentOf(null)).toBe('request');
    expect(argumentOf(42)).toBe('request');
  });

  it('keeps its message short for a huge value', () => {
    try {
      assertOrderRequest({ ...good, symbol: 'S'.repeat(1_000_000) });
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(200);
    }
    expect.assertions(1);
  });

  it('property: passes a quantity exactly when it is a positive safe integer', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.bigInt().map(Number)), (quantity) => {
        const ok = Number.isSafeInteger(quantity) && quantity > 0;
        return (argumentOf({ ...good, quantity }) === undefined) === ok;
      }),
    );
  });
});
