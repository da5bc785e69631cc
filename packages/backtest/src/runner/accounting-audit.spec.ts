import type { Fill, Position } from '@quantpipe/core';
import { AccountingAudit } from './accounting-audit';

const fill = (over: Partial<Fill>): Fill => ({
  fillId: 'f',
  orderId: 'o',
  clientOrderId: 'c',
  symbol: 'AAA',
  side: 'buy',
  quantity: 100,
  priceUsd: 10.01,
  commissionUsd: 1,
  timestamp: '2020-01-02T14:30:00Z',
  ...over,
});
const position = (quantity: number, price: number): Position => ({
  symbol: 'AAA',
  quantity,
  avgEntryPriceUsd: 10.01,
  currentPriceUsd: price,
  marketValueUsd: quantity * price,
  unrealizedPnlUsd: 0,
});

describe('AccountingAudit', () => {
  it('accepts consistent books and reconciles gross and net P&L with fees and slippage', () => {
    const audit = new AccountingAudit({ initialCashUsd: 10_000 });
    audit.recordFill(fill({}), 10);
    const cash = 10_000 - 100 * 10.01 - 1;
    audit.check(
      't1',
      { cashUsd: cash, equityUsd: cash + 100 * 11 },
      [position(100, 11)],
      { AAA: 11 },
      { feesUsd: 1, slippageUsd: 1 },
    );
    const s = audit.summary();
    expect(s.checks).toBe(1);
    expect(s.feesUsd).toBe(1);
    expect(s.slippageUsd).toBeCloseTo(1, 10);
    expect(s.grossEquityUsd).toBeCloseTo(10_000 - 1000 + 1100, 9);
  });

  it('throws when equity is not cash plus positions at the close', () => {
    const audit = new AccountingAudit({ initialCashUsd: 10_000 });
    audit.recordFill(fill({ commissionUsd: 0, priceUsd: 10 }), 10);
    expect(() =>
      audit.check(
        't1',
        { cashUsd: 9_000, equityUsd: 10_050 },
        [position(100, 11)],
        { AAA: 11 },
        { feesUsd: 0, slippageUsd: 0 },
      ),
    ).toThrow(/t1: cash 9000 \+ positions 1100 != equity 10050/);
  });

  it('throws when positions differ from the fills or costs do not add up', () => {
    const audit = new AccountingAudit({ initialCashUsd: 10_000 });
    audit.recordFill(fill({ commissionUsd: 0, priceUsd: 10 }), 10);
    expect(() =>
      audit.check(
        't1',
        { cashUsd: 9_000, equityUsd: 10_000 },
        [position(90, 11.111111111111111)],
        { AAA: 11.111111111111111 },
        { feesUsd: 0, slippageUsd: 0 },
      ),
    ).toThrow(/broker holds 90 AAA, the fills add up to 100/);
    // Cash short by 5 with no fee or slippage to explain it.
    expect(() =>
      audit.check(
        't2',
        { cashUsd: 8_995, equityUsd: 10_095 },
        [position(100, 11)],
        { AAA: 11 },
        { feesUsd: 0, slippageUsd: 0 },
      ),
    ).toThrow(/gross − net P&L/);
  });
});
