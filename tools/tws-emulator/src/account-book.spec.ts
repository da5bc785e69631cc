import fc from 'fast-check';
import { AccountBook, commissionUsd, conIdOf, type BookOrder } from './account-book';

function order(
  orderId: number,
  action: 'BUY' | 'SELL',
  quantity: number,
  symbol = 'SYNA',
): BookOrder {
  return {
    orderId,
    clientId: 1,
    permId: 1000 + orderId,
    contract: { conId: conIdOf(symbol), symbol },
    action,
    totalQuantity: quantity,
    orderType: 'MKT',
    lmtPrice: undefined,
    tif: 'DAY',
    account: 'DU1',
    orderRef: `ref-${orderId}`,
    status: 'Submitted',
    filled: 0,
    avgFillPrice: 0,
    lastFillPrice: 0,
  };
}

describe('AccountBook', () => {
  it('charges the fixed commission schedule', () => {
    expect(commissionUsd(10, 100)).toBe(1); // minimum
    expect(commissionUsd(1000, 100)).toBe(5); // 0.005 a share
    expect(commissionUsd(1000, 0.05)).toBe(0.5); // capped at 1 % of value
  });

  it('books buys, partial closes and a flip to short', () => {
    const book = new AccountBook({ accountId: 'DU1', cashUsd: 10_000, leverage: 1 });
    book.fill(order(1, 'BUY', 10), 100, 0);
    expect(book.cashUsd).toBeCloseTo(10_000 - 1000 - 1, 9);
    expect(book.positions.get('SYNA')).toMatchObject({ quantity: 10, avgCost: 100.1 });
    const partial = book.fill(order(2, 'SELL', 4), 110, 0);
    expect(partial.realizedPnl).toBeCloseTo(4 * (110 - 100.1) - 1, 9);
    expect(book.positions.get('SYNA')).toMatchObject({ quantity: 6, avgCost: 100.1 });
    book.fill(order(3, 'SELL', 10), 90, 0);
    expect(book.positions.get('SYNA')).toMatchObject({ quantity: -4, avgCost: 90 });
    expect(book.cashUsd).toBeCloseTo(10_000 - 1001 + 439 + 899, 9);
    expect(book.executions.map((e) => e.side)).toEqual(['BOT', 'SLD', 'SLD']);
  });

  it('reports negative buying power after a loss on a levered book, as IBKR does', () => {
    const book = new AccountBook({ accountId: 'DU1', cashUsd: 10_000, leverage: 2 });
    book.fill(order(1, 'BUY', 190), 100, 0);
    // At 60 the position is worth 11,400 and equity is 10,000 - 19,001 + 11,400 = 2,399.
    const price = (): number => 60;
    const values = book.values(price);
    expect(values.buyingPowerUsd).toBeCloseTo(2 * values.netLiquidationUsd - 190 * 60, 9);
    expect(values.buyingPowerUsd).toBeLessThan(0);
    expect(book.rejectionReason(order(2, 'SELL', 190), 60, price)).toBeUndefined();
    expect(book.rejectionReason(order(3, 'BUY', 1), 60, price)).toMatch(
      /Insufficient buying power: .* available USD -/,
    );
  });

  it('refuses added exposure beyond the buying power but never a reduction', () => {
    const book = new AccountBook({ accountId: 'DU1', cashUsd: 1000, leverage: 1 });
    const price = (): number => 100;
    expect(book.rejectionReason(order(1, 'BUY', 10), 100, price)).toMatch(
      /Insufficient buying power/,
    );
    expect(book.rejectionReason(order(2, 'BUY', 9), 100, price)).toBeUndefined();
    book.fill(order(2, 'BUY', 9), 100, 0);
    expect(book.rejectionReason(order(3, 'SELL', 9), 100, price)).toBeUndefined();
  });

  it('keeps cash plus position value equal to the start minus commissions when prices do not move (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ buy: fc.boolean(), qty: fc.integer({ min: 1, max: 500 }) }), {
          maxLength: 30,
        }),
        (trades) => {
          const book = new AccountBook({ accountId: 'DU1', cashUsd: 1e9, leverage: 1 });
          let commissions = 0;
          trades.forEach((t, i) => {
            book.fill(order(i + 1, t.buy ? 'BUY' : 'SELL', t.qty), 50, 0);
            commissions += commissionUsd(t.qty, 50);
          });
          const v = book.values(() => 50);
          expect(v.netLiquidationUsd).toBeCloseTo(1e9 - commissions, 4);
        },
      ),
    );
  });
});
