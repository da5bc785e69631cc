import fc from 'fast-check';
import type { Fill, Position } from '@quantpipe/core';
import { SimVenue, SymbolTable, type VenueExecution } from '@quantpipe/execution';
import { AccountingAudit, type AuditedBook } from './accounting-audit';

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

describe('AccountingAudit.checkBook', () => {
  /** A book of the given holdings (by index), cash and totals. */
  const book = (
    over: Partial<AuditedBook> & { held?: Record<number, number>; equity?: number },
  ): AuditedBook => {
    const held = over.held ?? {};
    return {
      cashUsd: over.cashUsd ?? 10_000,
      equityUsd: () => over.equity ?? 10_000,
      quantityOf: (i) => held[i] ?? 0,
      holds: (i) => (held[i] ?? 0) !== 0,
      feesUsd: over.feesUsd ?? 0,
      slippageUsd: over.slippageUsd ?? 0,
      adjustmentsUsd: over.adjustmentsUsd ?? 0,
      interestUsd: over.interestUsd ?? 0,
      borrowFeesUsd: over.borrowFeesUsd ?? 0,
    };
  };

  it('balances margin interest and borrow fees as costs of the net P&L', () => {
    const audit = new AccountingAudit({ initialCashUsd: 10_000 });
    audit.recordFinancing(3, 1); // the venue charged 4 USD of financing
    const none = new Int32Array(0);
    const charged = book({ cashUsd: 9_996, equity: 9_996, interestUsd: 3, borrowFeesUsd: 1 });
    expect(() => audit.checkBook('t', charged, none, () => Number.NaN)).not.toThrow();
    expect(audit.summary()).toMatchObject({
      interestUsd: 3,
      borrowFeesUsd: 1,
      grossEquityUsd: 10_000,
    });
    const misreported = book({ cashUsd: 9_996, equity: 9_996, interestUsd: 2, borrowFeesUsd: 1 });
    expect(() => audit.checkBook('u', misreported, none, () => Number.NaN)).toThrow(/interest 2/);
    const uncharged = book({ cashUsd: 10_000, equity: 10_000, interestUsd: 3, borrowFeesUsd: 1 });
    expect(() => audit.checkBook('v', uncharged, none, () => Number.NaN)).toThrow(/gross − net/);
  });

  it('audits a simulated venue’s book by index as check audits the positions it lists', () => {
    const trade = fc.record({
      symbol: fc.integer({ min: 0, max: 2 }),
      side: fc.constantFrom(1, -1),
      shares: fc.integer({ min: 1, max: 300 }),
      reference: fc.double({ min: 5, max: 200, noNaN: true }),
    });
    const step = fc.record({
      trades: fc.array(trade, { maxLength: 4 }),
      closes: fc.tuple(
        fc.double({ min: 5, max: 200, noNaN: true }),
        fc.double({ min: 5, max: 200, noNaN: true }),
        fc.double({ min: 5, max: 200, noNaN: true }),
      ),
      hedgeUsd: fc.oneof(fc.constant(0), fc.double({ min: -50, max: 50, noNaN: true })),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        const symbols = new SymbolTable(['CCC', 'AAA', 'BBB']);
        const venue = new SimVenue({
          initialCashUsd: 1e6,
          slippage: { kind: 'fixed', bps: 3 },
          commissionPerShareUsd: 0.005,
          minCommissionUsd: 1,
          symbols,
        });
        const byIndex = new AccountingAudit({ initialCashUsd: 1e6, symbols });
        const byList = new AccountingAudit({ initialCashUsd: 1e6 });
        const exec: VenueExecution = { priceUsd: 0, commissionUsd: 0, slippageUsd: 0 };
        steps.forEach((st, k) => {
          for (const t of st.trades) {
            venue.execute(exec, t.symbol, t.side, t.shares, {
              priceUsd: t.reference,
              advShares: 1e6,
              volatility: 0.2,
            });
            byIndex.recordExecution(
              t.symbol,
              t.side,
              t.shares,
              exec.priceUsd,
              t.reference,
              exec.commissionUsd,
            );
            byList.recordFill(
              {
                fillId: `f${k}`,
                orderId: 'o',
                clientOrderId: 'c',
                symbol: symbols.name(t.symbol),
                side: t.side === 1 ? 'buy' : 'sell',
                quantity: t.shares,
                priceUsd: exec.priceUsd,
                commissionUsd: exec.commissionUsd,
                timestamp: 't',
              },
              t.reference,
            );
          }
          if (st.hedgeUsd !== 0) {
            venue.adjustCash(st.hedgeUsd);
            byIndex.recordAdjustment(st.hedgeUsd);
            byList.recordAdjustment(st.hedgeUsd);
          }
          venue.beginMarks(`2024-01-${String(2 + k).padStart(2, '0')}`);
          st.closes.forEach((c, i) => venue.markAt(i, c));
          const at = `step ${k}`;
          byIndex.checkBook(at, venue, symbols.byName(), (i) => st.closes[i] as number);
          const positions: Position[] = [];
          for (const i of symbols.byName())
            if (venue.holds(i))
              positions.push({
                symbol: symbols.name(i),
                quantity: venue.quantityOf(i),
                avgEntryPriceUsd: venue.entryPriceOf(i),
                currentPriceUsd: venue.valuationPriceOf(i),
                marketValueUsd: venue.quantityOf(i) * venue.valuationPriceOf(i),
                unrealizedPnlUsd: 0,
              });
          byList.check(
            at,
            { cashUsd: venue.cashUsd, equityUsd: venue.equityUsd() },
            positions,
            { CCC: st.closes[0], AAA: st.closes[1], BBB: st.closes[2] } as Record<string, number>,
            venue,
          );
        });
        expect(byIndex.summary()).toEqual(byList.summary());
        expect(byIndex.summary().checks).toBe(steps.length);
        expect(byIndex.summary().feesUsd).toBe(venue.feesUsd);
        expect(byIndex.summary().slippageUsd).toBeCloseTo(venue.slippageUsd, 9);
      }),
    );
  });

  it('throws when the book holds other quantities than the fills add up to', () => {
    const symbols = new SymbolTable(['AAA', 'BBB']);
    const audit = new AccountingAudit({ initialCashUsd: 10_000, symbols });
    audit.recordExecution(0, 1, 100, 10, 10, 0);
    expect(() =>
      audit.checkBook(
        't1',
        book({ held: { 0: 90 }, cashUsd: 9_000, equity: 9_900 }),
        symbols.byName(),
        () => 10,
      ),
    ).toThrow('t1: broker holds 90 AAA, the fills add up to 100');
    // Sold back to zero by the fills, but still held.
    audit.recordExecution(0, -1, 100, 10, 10, 0);
    expect(() =>
      audit.checkBook('t2', book({ held: { 0: 5 } }), symbols.byName(), () => 10),
    ).toThrow('t2: broker holds 5 AAA, the fills add up to 0');
  });

  it('throws for a holding no fill bought, or one without a price', () => {
    const symbols = new SymbolTable(['AAA', 'BBB']);
    const audit = new AccountingAudit({ initialCashUsd: 10_000, symbols });
    audit.recordExecution(0, 1, 100, 10, 10, 0);
    expect(() =>
      audit.checkBook(
        't1',
        book({ held: { 0: 100, 1: 3 }, cashUsd: 9_000, equity: 10_030 }),
        symbols.byName(),
        () => 10,
      ),
    ).toThrow('t1: broker holds BBB that no fill bought');
    expect(() =>
      audit.checkBook(
        't2',
        book({ held: { 0: 100 }, cashUsd: 9_000, equity: 10_000 }),
        symbols.byName(),
        () => Number.NaN,
      ),
    ).toThrow('t2: position in AAA, which has no price');
  });

  it('throws when equity, costs or the book’s own totals do not add up', () => {
    const symbols = new SymbolTable(['AAA']);
    const audit = new AccountingAudit({ initialCashUsd: 10_000, symbols });
    audit.recordExecution(0, 1, 100, 10.02, 10, 1); // slippage 2, fee 1
    const cash = 10_000 - 1_002 - 1;
    const right = {
      held: { 0: 100 },
      cashUsd: cash,
      equity: cash + 1_100,
      feesUsd: 1,
      slippageUsd: 2,
    };
    expect(() => audit.checkBook('ok', book(right), symbols.byName(), () => 11)).not.toThrow();
    expect(() =>
      audit.checkBook('e', book({ ...right, equity: cash + 1_101 }), symbols.byName(), () => 11),
    ).toThrow(/^e: cash 8997 \+ positions 1100 != equity 10098$/);
    expect(() =>
      audit.checkBook(
        'c',
        book({ ...right, cashUsd: cash - 5, equity: cash - 5 + 1_100 }),
        symbols.byName(),
        () => 11,
      ),
    ).toThrow(/^c: gross − net P&L/);
    expect(() =>
      audit.checkBook('f', book({ ...right, feesUsd: 1.5 }), symbols.byName(), () => 11),
    ).toThrow(
      /^f: broker totals \(fees 1.5, slippage 2, adjustments 0, interest 0, borrow fees 0\) differ/,
    );
    const s = audit.summary();
    expect(s.checks).toBe(1);
    expect(s.feesUsd).toBe(1);
    expect(s.slippageUsd).toBeCloseTo(2, 12);
    expect(s.grossEquityUsd).toBe(10_000 - 1_000 + 1_100);
    expect(s.maxEquityErrorUsd).toBe(1);
  });
});
