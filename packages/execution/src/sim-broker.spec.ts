import fc from 'fast-check';
import { OrderRejectedError, ValidationError } from '@quantpipe/core';
import { estimateSlippageBps } from '@quantpipe/risk';
import { SimBroker, type SimQuote } from './sim-broker';
import { SimClock } from './sim-clock';

function broker(
  prices: Record<string, number>,
  extra: Partial<ConstructorParameters<typeof SimBroker>[0]> = {},
) {
  const clock = new SimClock('2024-01-02T15:00:00Z');
  const quote = (s: string): SimQuote => ({
    priceUsd: prices[s] as number,
    timestamp: clock.nowIso(),
    advShares: 1e6,
    volatility: 0.3,
  });
  return new SimBroker({
    initialCashUsd: 100_000,
    quote,
    clock,
    slippage: { kind: 'none' },
    ...extra,
  });
}

const order = (id: string, symbol: string, side: 'buy' | 'sell', quantity: number) => ({
  clientOrderId: id,
  symbol,
  side,
  quantity,
  type: 'market' as const,
  timeInForce: 'day' as const,
});

describe('SimBroker', () => {
  it('fills at the quote moved by the spec slippage model, and charges commissions', async () => {
    const b = broker(
      { A: 50 },
      { slippage: { kind: 'model' }, commissionPerShareUsd: 0.005, minCommissionUsd: 1 },
    );
    const o = await b.submitOrder(order('1', 'A', 'buy', 100));
    const bps = estimateSlippageBps({ shares: 100, adv: 1e6, volatility: 0.3 });
    expect(o.status).toBe('filled');
    expect(o.filledAvgPriceUsd).toBe(50 * (1 + bps / 10_000));
    expect(o.commissionUsd).toBe(1); // 100 x 0.005 = 0.5 < minimum 1
    expect(b.feesUsd).toBe(1);
    expect(b.slippageUsd).toBeCloseTo(100 * 50 * (bps / 10_000), 10);
    const account = await b.getAccount();
    expect(account.cashUsd).toBeCloseTo(100_000 - 100 * (o.filledAvgPriceUsd as number) - 1, 9);
  });

  it('is idempotent on clientOrderId', async () => {
    const b = broker({ A: 10 });
    const first = await b.submitOrder(order('same', 'A', 'buy', 5));
    const second = await b.submitOrder(order('same', 'A', 'buy', 5));
    expect(second).toEqual(first);
    expect((await b.getPositions())[0]?.quantity).toBe(5);
    expect(b.clientOrderIds()).toEqual(['same']);
  });

  it('sells short, and refuses shorts when they are not allowed', async () => {
    const b = broker({ A: 10 });
    await b.submitOrder(order('s', 'A', 'sell', 30));
    expect((await b.getPositions())[0]?.quantity).toBe(-30);
    const noShort = broker({ A: 10 }, { allowShort: false });
    await expect(noShort.submitOrder(order('s', 'A', 'sell', 1))).rejects.toBeInstanceOf(
      OrderRejectedError,
    );
    expect((await noShort.getOrderByClientId('s'))?.status).toBe('rejected');
  });

  it('rejects an order beyond buying power', async () => {
    const b = broker({ A: 100 }, { marginMultiplier: 1 });
    await expect(b.submitOrder(order('big', 'A', 'buy', 1001))).rejects.toThrow(
      /insufficient buying power/,
    );
    await expect(b.submitOrder(order('ok', 'A', 'buy', 1000))).resolves.toMatchObject({
      status: 'filled',
    });
  });

  it('partial fills leave the rest open until filled or canceled', async () => {
    const b = broker({ A: 10 }, { partialFillRatio: 0.4 });
    const o = await b.submitOrder(order('p', 'A', 'buy', 10));
    expect(o).toMatchObject({ status: 'partially_filled', filledQuantity: 4 });
    expect(await b.listOpenOrders()).toHaveLength(1);
    await b.cancelOrder(o.id);
    expect((await b.getOrderByClientId('p'))?.status).toBe('canceled');
    await b.submitOrder(order('q', 'A', 'buy', 10));
    b.fillOpenOrders();
    expect((await b.getOrderByClientId('q'))?.filledQuantity).toBe(10);
    expect(
      (await b.listFills()).filter((f) => f.clientOrderId === 'q').map((f) => f.quantity),
    ).toEqual([4, 6]);
  });

  it('validates orders and marks', async () => {
    const b = broker({ A: 10 });
    await expect(b.submitOrder(order('x', 'A', 'buy', 1.5))).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(() => b.markToMarket({ A: Number.NaN }, '2024-01-02')).toThrow(ValidationError);
  });

  it('property: equity = cash + Σ qty × mark, and gross P&L − fees − slippage = net P&L, after any order sequence', async () => {
    const symbols = ['A', 'B', 'C'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            symbol: fc.constantFrom(...symbols),
            side: fc.constantFrom('buy' as const, 'sell' as const),
            quantity: fc.integer({ min: 1, max: 500 }),
            move: fc.double({ min: -0.1, max: 0.1, noNaN: true }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        async (steps) => {
          const prices: Record<string, number> = { A: 20, B: 55.5, C: 101.25 };
          const b = broker(prices, {
            slippage: { kind: 'fixed', bps: 7 },
            commissionPerShareUsd: 0.01,
            minCommissionUsd: 0.5,
            marginMultiplier: 100,
          });
          const held: Record<string, number> = {};
          let grossUsd = 0; // P&L at reference prices, before costs
          let n = 0;
          for (const step of steps) {
            await b.submitOrder(order(`o${n++}`, step.symbol, step.side, step.quantity));
            held[step.symbol] =
              (held[step.symbol] ?? 0) + (step.side === 'buy' ? step.quantity : -step.quantity);
            // Price move: P&L of the held quantities at reference prices.
            const before = { ...prices };
            for (const s of symbols) prices[s] = (before[s] as number) * (1 + step.move);
            for (const s of symbols)
              grossUsd += (held[s] ?? 0) * ((prices[s] as number) - (before[s] as number));
            b.markToMarket(prices, '2024-01-02');
          }
          const account = await b.getAccount();
          let marked = account.cashUsd;
          for (const p of await b.getPositions())
            marked += p.quantity * (prices[p.symbol] as number);
          expect(Math.abs(account.equityUsd - marked)).toBeLessThanOrEqual(1e-6);
          const netUsd = account.equityUsd - 100_000;
          expect(Math.abs(grossUsd - b.feesUsd - b.slippageUsd - netUsd)).toBeLessThanOrEqual(1e-6);
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });
});
