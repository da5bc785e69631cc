import { calendarDaysBetween, commissionOf, financingOf } from './sim-account';
import { SimVenue, type VenueExecution } from './sim-venue';
import { simAccountOf, simulationKeys } from './simulation-keys';
import { z } from 'zod';

const defaults = z.object(simulationKeys).parse({});

describe('the simulated account', () => {
  it('commission models: IBKR fixed with its minimum and cap, percent, zero', () => {
    const ibkr = simAccountOf(defaults).commission;
    expect(commissionOf(ibkr, 100, 50)).toBe(1); // 0.50 -> the $1 minimum
    expect(commissionOf(ibkr, 1000, 50)).toBe(5); // 0.005 a share
    expect(commissionOf(ibkr, 1000, 0.3)).toBeCloseTo(3, 12); // 5 capped at 1 % of $300
    const pct = simAccountOf({ ...defaults, commission_model: 'percent' }).commission;
    expect(commissionOf(pct, 200, 50)).toBeCloseTo(5, 12); // 5 bps of $10,000
    expect(commissionOf({ kind: 'zero' }, 1e6, 100)).toBe(0);
  });

  it('defaults to a Reg-T 2x margin account; a cash account cannot short or borrow', () => {
    expect(simAccountOf(defaults)).toMatchObject({
      allowShort: true,
      marginMultiplier: 2,
      marginInterestRate: 0.06,
      shortBorrowRate: 0.003,
    });
    expect(simAccountOf({ ...defaults, account_type: 'cash' })).toMatchObject({
      allowShort: false,
      marginMultiplier: 1,
      marginInterestRate: 0,
      shortBorrowRate: 0,
    });
  });

  it('financing accrues on calendar days, actual/360', () => {
    expect(calendarDaysBetween('2024-03-01', '2024-03-04')).toBe(3); // over a weekend
    expect(calendarDaysBetween('2024-03-04', '2024-03-04')).toBe(0);
    expect(financingOf(0.06, 360_000, 3)).toBeCloseTo(180, 9);
    expect(financingOf(0.06, -5, 3)).toBe(0); // a credit balance pays nothing
  });

  it('the venue charges interest on the debit and borrow on the shorts once per session', () => {
    const venue = new SimVenue({
      initialCashUsd: 100_000,
      slippage: { kind: 'none' },
      ...simAccountOf(defaults),
    });
    const long = venue.indexOf('AAA');
    const short = venue.indexOf('BBB');
    const out: VenueExecution = { priceUsd: 0, commissionUsd: 0, slippageUsd: 0 };
    venue.beginMarks('2024-03-01');
    venue.execute(out, long, 1, 1500, { priceUsd: 100, advShares: 1e6, volatility: 0.2 }); // $150,000 long: a $50,000 debit
    expect(out.commissionUsd).toBe(7.5);
    venue.execute(out, short, -1, 200, { priceUsd: 50, advShares: 1e6, volatility: 0.2 }); // $10,000 short (proceeds to cash)
    expect(out.commissionUsd).toBe(1);
    const debitUsd = -venue.cashUsd; // 150,000 + 8.5 − 100,000 − 10,000
    expect(debitUsd).toBeCloseTo(40_008.5, 9);
    venue.beginMarks('2024-03-01'); // the same session: nothing charged
    expect(venue.interestUsd).toBe(0);
    venue.beginMarks('2024-03-04'); // three calendar days later
    expect(venue.lastInterestUsd).toBeCloseTo((debitUsd * 0.06 * 3) / 360, 9);
    expect(venue.lastBorrowFeeUsd).toBeCloseTo((10_000 * 0.003 * 3) / 360, 9);
    expect(venue.cashUsd).toBeCloseTo(-debitUsd - venue.interestUsd - venue.borrowFeesUsd, 9);
    venue.markAt(long, 100);
    venue.markAt(short, 50);
    expect(venue.equityUsd()).toBeCloseTo(
      100_000 - 8.5 - venue.interestUsd - venue.borrowFeesUsd,
      9,
    );
  });
});
