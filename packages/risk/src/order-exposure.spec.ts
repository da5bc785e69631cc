import fc from 'fast-check';
import { ValidationError } from '@quantpipe/core';
import { heldQuantity, isExposureIncreasing } from './order-exposure';

describe('isExposureIncreasing', () => {
  it.each([
    // [held, side, quantity, increasing]
    [0, 'buy', 10, true],
    [0, 'sell', 10, true],
    [100, 'buy', 1, true],
    [100, 'sell', 40, false],
    [100, 'sell', 100, false],
    [100, 'sell', 101, true],
    [-100, 'sell', 1, true],
    [-100, 'buy', 100, false],
    [-100, 'buy', 150, true],
  ] as const)('held %d, %s %d -> %s', (held, side, quantity, increasing) => {
    expect(isExposureIncreasing({ symbol: 'X', side, quantity }, { X: held })).toBe(increasing);
    expect(
      isExposureIncreasing({ symbol: 'X', side, quantity }, [{ symbol: 'X', quantity: held }]),
    ).toBe(increasing);
  });

  it('rejects bad orders and duplicate positions with a ValidationError', () => {
    expect(() => isExposureIncreasing({ symbol: 'X', side: 'buy', quantity: 0 }, {})).toThrow(
      /order.quantity/,
    );
    expect(() => isExposureIncreasing({ symbol: '', side: 'buy', quantity: 1 }, {})).toThrow(
      ValidationError,
    );
    expect(() =>
      isExposureIncreasing({ symbol: 'X', side: 'hold' as 'buy', quantity: 1 }, {}),
    ).toThrow(/order.side/);
    expect(() =>
      heldQuantity(
        [
          { symbol: 'X', quantity: 1 },
          { symbol: 'X', quantity: 2 },
        ],
        'X',
      ),
    ).toThrow(/more than once/);
    expect(() => heldQuantity({ X: NaN }, 'X')).toThrow(ValidationError);
  });

  it('property: an order is reducing exactly when |position| shrinks without changing side', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.integer({ min: 1, max: 2e6 }),
        fc.boolean(),
        (held, qty, buy) => {
          const after = held + (buy ? qty : -qty);
          const reducing =
            held !== 0 &&
            Math.abs(after) <= Math.abs(held) &&
            (after === 0 || Math.sign(after) === Math.sign(held));
          expect(
            isExposureIncreasing(
              { symbol: 'X', side: buy ? 'buy' : 'sell', quantity: qty },
              { X: held },
            ),
          ).toBe(!reducing);
        },
      ),
    );
  });
});
