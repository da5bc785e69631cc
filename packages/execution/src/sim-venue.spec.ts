import fc from 'fast-check';
import { ValidationError } from '@quantpipe/core';
import { slippageBps } from '@quantpipe/risk';
import { SymbolTable } from './core/symbol-table';
import { SimVenue, type SimSlippage, type VenueExecution } from './sim-venue';

const exec = (): VenueExecution => ({ priceUsd: 0, commissionUsd: 0, slippageUsd: 0 });

function venue(over: Partial<ConstructorParameters<typeof SimVenue>[0]> = {}) {
  return new SimVenue({
    initialCashUsd: 100_000,
    slippage: { kind: 'none' },
    symbols: new SymbolTable(['AAA', 'BBB', 'CCC']),
    ...over,
  });
}

describe('SimVenue', () => {
  it('refuses bad options, naming them', () => {
    expect(() => new SimVenue({ initialCashUsd: -1 })).toThrow(/initialCashUsd/);
    expect(() => new SimVenue({ initialCashUsd: Number.NaN })).toThrow(ValidationError);
    expect(() => new SimVenue({ initialCashUsd: 1, commissionPerShareUsd: -0.01 })).toThrow(
      /commission/,
    );
    expect(() => new SimVenue({ initialCashUsd: 1, minCommissionUsd: Number.NaN })).toThrow(
      /commission/,
    );
    expect(() => new SimVenue({ initialCashUsd: 1, marginMultiplier: 0.5 })).toThrow(
      /marginMultiplier/,
    );
    expect(() => new SimVenue({ initialCashUsd: 1, slippage: { kind: 'fixed', bps: -1 } })).toThrow(
      /slippage\.bps/,
    );
  });

  it('fills at the reference price moved by the slippage model, and books the commission', () => {
    const cases: [SimSlippage, number][] = [
      [{ kind: 'none' }, 50],
      [{ kind: 'fixed', bps: 10 }, 50 * (1 + 10 / 10_000)],
      [{ kind: 'model' }, 50 * (1 + slippageBps(200, 1e5, 0.3) / 10_000)],
    ];
    for (const [slippage, price] of cases) {
      const v = venue({ slippage, commissionPerShareUsd: 0.01, minCommissionUsd: 1 });
      const out = exec();
      v.execute(out, 0, 1, 200, { priceUsd: 50, advShares: 1e5, volatility: 0.3 });
      expect(out.priceUsd).toBe(price);
      expect(out.commissionUsd).toBe(2); // 200 × 0.01 above the 1 USD minimum
      expect(out.slippageUsd).toBe(Math.abs(price - 50) * 200);
      expect(v.cashUsd).toBe(100_000 - (200 * price + 2));
      expect(v.quantityOf(0)).toBe(200);
      expect(v.entryPriceOf(0)).toBe(price);
      expect(v.valuationPriceOf(0)).toBe(50); // marked at the reference price
      expect(v.feesUsd).toBe(2);
      expect(v.slippageUsd).toBe(out.slippageUsd);
    }
    // A sale moves the price down; the minimum commission applies to a small order.
    const v = venue({
      slippage: { kind: 'fixed', bps: 20 },
      commissionPerShareUsd: 0.005,
      minCommissionUsd: 1,
    });
    const out = exec();
    v.execute(out, 1, -1, 10, { priceUsd: 100, advShares: 1e6, volatility: 0.2 });
    expect(out.priceUsd).toBe(100 * (1 - 20 / 10_000));
    expect(out.commissionUsd).toBe(1);
    expect(v.quantityOf(1)).toBe(-10);
    expect(v.cashUsd).toBe(100_000 + 10 * out.priceUsd - 1);
  });

  it('settles a whole position at a price with neither slippage nor commission', () => {
    const v = venue({ slippage: { kind: 'fixed', bps: 25 }, commissionPerShareUsd: 0.01 });
    const out = exec();
    v.execute(out, 0, 1, 300, { priceUsd: 20, advShares: 1e6, volatility: 0.2 });
    v.execute(out, 1, -1, 100, { priceUsd: 50, advShares: 1e6, volatility: 0.2 });
    const cashBefore = v.cashUsd;
    const feesBefore = v.feesUsd;
    const slippageBefore = v.slippageUsd;
    expect(v.settle(out, 0, 22.5)).toBe(300);
    expect(out).toEqual({ priceUsd: 22.5, commissionUsd: 0, slippageUsd: 0 });
    expect(v.holds(0)).toBe(false);
    expect(v.quantityOf(0)).toBe(0);
    expect(v.cashUsd).toBe(cashBefore + 300 * 22.5);
    expect(v.settle(out, 1, 48)).toBe(-100); // a short is bought back
    expect(v.cashUsd).toBe(cashBefore + 300 * 22.5 - 100 * 48);
    expect(v.heldCount).toBe(0);
    expect(v.equityUsd()).toBe(v.cashUsd);
    expect(v.feesUsd).toBe(feesBefore);
    expect(v.slippageUsd).toBe(slippageBefore);
    expect(v.settle(out, 2, Number.NaN)).toBe(0); // nothing held: nothing to price
    v.execute(out, 2, 1, 10, { priceUsd: 5, advShares: 1e6, volatility: 0.2 });
    expect(() => v.settle(out, 2, Number.NaN)).toThrow(ValidationError);
    expect(v.quantityOf(2)).toBe(10);
  });

  it('charges no commission when neither fee is set', () => {
    const v = venue();
    const out = exec();
    v.execute(out, 0, 1, 1_000, { priceUsd: 10, advShares: 1e6, volatility: 0.2 });
    expect(out.commissionUsd).toBe(0);
    expect(v.feesUsd).toBe(0);
  });

  it('values holdings at their marks: equity, gross exposure and buying power', () => {
    const v = venue();
    const out = exec();
    v.execute(out, 0, 1, 100, { priceUsd: 50, advShares: 1e6, volatility: 0.2 }); // long 5 000 USD
    v.execute(out, 1, -1, 200, { priceUsd: 20, advShares: 1e6, volatility: 0.2 }); // short 4 000 USD
    expect(v.equityUsd()).toBe(100_000);
    expect(v.grossExposureUsd()).toBe(9_000);
    expect(v.buyingPowerUsd()).toBe(100_000 * 4 - 9_000);
    v.beginMarks('2024-03-04');
    v.markAt(0, 55);
    v.markAt(1, 25);
    expect(v.equityUsd()).toBe(v.cashUsd + 100 * 55 - 200 * 25);
    expect(v.equityUsd()).toBe(99_500);
    expect(v.grossExposureUsd()).toBe(10_500);
    const cash = new SimVenue({ initialCashUsd: 1_000, marginMultiplier: 1 });
    expect(cash.buyingPowerUsd()).toBe(1_000);
    cash.adjustCash(-5_000);
    expect(cash.buyingPowerUsd()).toBe(0); // never below zero
  });

  it('a new session takes the equity before revaluation as its starting equity', () => {
    const v = venue();
    const out = exec();
    v.beginMarks('2024-03-01');
    expect(v.sessionStartEquityUsd).toBe(100_000);
    v.execute(out, 0, 1, 100, { priceUsd: 50, advShares: 1e6, volatility: 0.2 });
    v.markAt(0, 60); // +1 000 on the first session
    v.beginMarks('2024-03-01'); // the same session: no new start
    expect(v.sessionStartEquityUsd).toBe(100_000);
    v.beginMarks('2024-03-04');
    expect(v.sessionStartEquityUsd).toBe(101_000);
    v.markAt(0, 40);
    expect(v.equityUsd()).toBe(99_000);
    expect(v.sessionStartEquityUsd).toBe(101_000);
  });

  it('refuses a non-positive mark or reference price', () => {
    const v = venue();
    expect(() => v.markAt(1, 0)).toThrow(/pricesUsd\.BBB/);
    expect(() => v.markAt(1, Number.NaN)).toThrow(ValidationError);
    expect(() =>
      v.execute(exec(), 2, 1, 1, { priceUsd: -3, advShares: 1, volatility: 0.1 }),
    ).toThrow(/quote\(CCC\)\.priceUsd/);
  });

  it('refuses shorting when not allowed and exposure beyond buying power; never a reduction', () => {
    const v = venue({ allowShort: false, marginMultiplier: 1 });
    const out = exec();
    expect(v.rejectionReason(0, -1, 10, 50)).toBe('short selling is not allowed');
    expect(v.rejectionReason(0, 1, 2_001, 50)).toBe(
      'insufficient buying power: need 100050.00, have 100000.00',
    );
    expect(v.rejectionReason(0, 1, 2_000, 50)).toBeUndefined();
    v.execute(out, 0, 1, 2_000, { priceUsd: 50, advShares: 1e6, volatility: 0.2 });
    v.markAt(0, 80); // equity 160 000, gross 160 000: no buying power left
    expect(v.addsExposure(0, 1, 1)).toBe(true);
    expect(v.rejectionReason(0, 1, 1, 80)).toMatch(
      /^insufficient buying power: need 80\.00, have 0\.00$/,
    );
    // Selling what is held never needs buying power, nor its price.
    expect(v.addsExposure(0, -1, 2_000)).toBe(false);
    expect(v.rejectionReason(0, -1, 2_000, Number.NaN)).toBeUndefined();
    expect(v.rejectionReason(0, -1, 2_001, Number.NaN)).toBe('short selling is not allowed');
  });

  it('a flip needs buying power only for its new side', () => {
    const v = venue({ marginMultiplier: 1 });
    const out = exec();
    v.execute(out, 0, 1, 1_000, { priceUsd: 50, advShares: 1e6, volatility: 0.2 }); // 50 000 long in a cash account
    expect(v.buyingPowerUsd()).toBe(50_000);
    // Sell 2 000: closes 1 000, opens 1 000 short (50 000 new exposure): just fits.
    expect(v.rejectionReason(0, -1, 2_000, 50)).toBeUndefined();
    expect(v.rejectionReason(0, -1, 2_001, 50)).toMatch(
      /^insufficient buying power: need 50050\.00/,
    );
  });

  it('keeps the average entry price: weighted when adding, kept when reducing, reset on a flip', () => {
    const v = venue();
    const out = exec();
    v.execute(out, 0, 1, 100, { priceUsd: 10, advShares: 1e6, volatility: 0.2 });
    v.execute(out, 0, 1, 300, { priceUsd: 14, advShares: 1e6, volatility: 0.2 });
    expect(v.entryPriceOf(0)).toBe((10 * 100 + 14 * 300) / 400);
    v.execute(out, 0, -1, 150, { priceUsd: 20, advShares: 1e6, volatility: 0.2 });
    expect(v.quantityOf(0)).toBe(250);
    expect(v.entryPriceOf(0)).toBe(13);
    v.execute(out, 0, -1, 400, { priceUsd: 18, advShares: 1e6, volatility: 0.2 });
    expect(v.quantityOf(0)).toBe(-150);
    expect(v.entryPriceOf(0)).toBe(18);
    expect(v.holds(0)).toBe(true);
    const version = v.holdingsVersion;
    v.execute(out, 0, 1, 150, { priceUsd: 17, advShares: 1e6, volatility: 0.2 });
    expect(v.holds(0)).toBe(false);
    expect(v.quantityOf(0)).toBe(0);
    expect(v.entryPriceOf(0)).toBe(0);
    expect(v.heldCount).toBe(0);
    expect(v.holdingsVersion).toBe(version + 1);
  });

  it('makes room for symbols beyond the table’s first capacity', () => {
    const v = new SimVenue({ initialCashUsd: 1e6, slippage: { kind: 'none' } });
    const out = exec();
    const indices = Array.from({ length: 20 }, (_, i) => v.indexOf(`S${i}`));
    expect(indices).toEqual(Array.from({ length: 20 }, (_, i) => i));
    for (const i of indices)
      v.execute(out, i, 1, 10, { priceUsd: 1 + i, advShares: 1e6, volatility: 0.2 });
    expect(v.heldCount).toBe(20);
    expect(v.quantityOf(19)).toBe(10);
    expect(Number.isNaN(v.valuationPriceOf(19))).toBe(false);
    expect(v.indexOf('S3')).toBe(3);
  });

  it('keeps cash + Σ quantity × mark = equity, and fees and slippage equal the sums over fills', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('fill' as const),
        symbol: fc.integer({ min: 0, max: 3 }),
        side: fc.constantFrom(1, -1),
        shares: fc.integer({ min: 1, max: 500 }),
        price: fc.double({ min: 1, max: 300, noNaN: true }),
        adv: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 1e7, noNaN: true })),
        volatility: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      fc.record({
        kind: fc.constant('mark' as const),
        symbol: fc.integer({ min: 0, max: 3 }),
        price: fc.double({ min: 1, max: 300, noNaN: true }),
        session: fc.constantFrom('2024-03-01', '2024-03-04', '2024-03-05'),
      }),
      fc.record({
        kind: fc.constant('cash' as const),
        amount: fc.double({ min: -1_000, max: 1_000, noNaN: true }),
      }),
    );
    const slippage = fc.oneof(
      fc.constant<SimSlippage>({ kind: 'none' }),
      fc.constant<SimSlippage>({ kind: 'model' }),
      fc
        .double({ min: 0, max: 50, noNaN: true })
        .map((bps): SimSlippage => ({ kind: 'fixed', bps })),
    );
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 40 }),
        slippage,
        fc.double({ min: 0, max: 0.02, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        (ops, slip, perShare, minimum) => {
          const v = new SimVenue({
            initialCashUsd: 50_000,
            slippage: slip,
            commissionPerShareUsd: perShare,
            minCommissionUsd: minimum,
            symbols: new SymbolTable(['A', 'B', 'C', 'D']),
          });
          const out = exec();
          let cash = 50_000;
          let fees = 0;
          let slippageUsd = 0;
          let adjustments = 0;
          const qty = [0, 0, 0, 0];
          const mark = [Number.NaN, Number.NaN, Number.NaN, Number.NaN];
          let opened: number[] = [];
          for (const o of ops) {
            if (o.kind === 'fill') {
              v.execute(out, o.symbol, o.side, o.shares, {
                priceUsd: o.price,
                advShares: o.adv,
                volatility: o.volatility,
              });
              cash -= o.side * o.shares * out.priceUsd + out.commissionUsd;
              fees += out.commissionUsd;
              slippageUsd += out.slippageUsd;
              expect(out.slippageUsd).toBe(Math.abs(out.priceUsd - o.price) * o.shares);
              expect(Math.sign(out.priceUsd - o.price) * o.side).toBeGreaterThanOrEqual(0);
              const before = qty[o.symbol] as number;
              const after = before + o.side * o.shares;
              qty[o.symbol] = after;
              if (before === 0 && after !== 0) opened.push(o.symbol);
              if (after === 0 && before !== 0) opened = opened.filter((s) => s !== o.symbol);
              mark[o.symbol] = o.price;
            } else if (o.kind === 'mark') {
              v.beginMarks(o.session);
              v.markAt(o.symbol, o.price);
              mark[o.symbol] = o.price;
            } else {
              v.adjustCash(o.amount);
              cash += o.amount;
              adjustments += o.amount;
            }
            // Summed in the order the holdings were opened, as the venue sums them.
            let equity = cash;
            let gross = 0;
            for (const s of opened) {
              const value = (qty[s] as number) * (mark[s] as number);
              equity += value;
              gross += Math.abs(value);
            }
            expect(v.cashUsd).toBe(cash);
            expect(v.equityUsd()).toBe(equity);
            expect(v.grossExposureUsd()).toBe(gross);
            expect(v.buyingPowerUsd()).toBe(Math.max(0, equity * 4 - gross));
            expect(v.feesUsd).toBe(fees);
            expect(v.slippageUsd).toBe(slippageUsd);
            expect(v.adjustmentsUsd).toBe(adjustments);
            expect(v.heldCount).toBe(opened.length);
            for (let s = 0; s < 4; s++) {
              expect(v.quantityOf(s)).toBe(qty[s]);
              expect(v.holds(s)).toBe(qty[s] !== 0);
            }
          }
        },
      ),
    );
  });
});
