import fc from 'fast-check';
import { NotFoundError, OrderRejectedError, ValidationError } from '@quantpipe/core';
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

  it('lists positions in name order, valued at their marks, and refreshes them when they change', async () => {
    const b = broker({ B: 20, A: 10, C: 5 });
    await b.submitOrder(order('1', 'C', 'buy', 10));
    await b.submitOrder(order('2', 'A', 'sell', 4));
    await b.submitOrder(order('3', 'B', 'buy', 3));
    const first = await b.getPositions();
    expect(first.map((p) => [p.symbol, p.quantity, p.marketValueUsd])).toEqual([
      ['A', -4, -40],
      ['B', 3, 60],
      ['C', 10, 50],
    ]);
    expect(await b.getPositions()).toEqual(first);
    b.markToMarket({ A: 12 }, '2024-01-02T21:00:00Z');
    const marked = await b.getPositions();
    expect(marked[0]).toEqual({
      symbol: 'A',
      quantity: -4,
      avgEntryPriceUsd: 10,
      currentPriceUsd: 12,
      marketValueUsd: -48,
      unrealizedPnlUsd: -8,
    });
    expect(first[0]?.currentPriceUsd).toBe(10); // a snapshot handed out is never changed
    expect(marked[1]).toEqual(first[1]);
    await b.submitOrder(order('4', 'C', 'sell', 10));
    expect((await b.getPositions()).map((p) => p.symbol)).toEqual(['A', 'B']);
  });

  it('reports the account: buying power, gross exposure, and the daily P&L since the session start', async () => {
    const b = broker({ A: 10 }, { marginMultiplier: 2 });
    await b.submitOrder(order('1', 'A', 'buy', 1_000));
    b.markToMarket({ A: 11 }, '2024-01-02T21:00:00Z');
    b.markToMarket({ A: 12 }, '2024-01-03T21:00:00Z');
    const account = await b.getAccount();
    expect(account).toEqual({
      accountId: 'sim',
      cashUsd: 90_000,
      equityUsd: 102_000,
      lastEquityUsd: 101_000,
      buyingPowerUsd: 102_000 * 2 - 12_000,
      portfolioValueUsd: 102_000,
      grossExposureUsd: 12_000,
      dailyPnlUsd: 1_000,
      timestamp: '2024-01-02T15:00:00.000Z',
    });
  });

  it('with the market closed an order waits, unfilled, until the open fills it', async () => {
    let open = false;
    const b = broker({ A: 10 }, { isMarketOpen: () => open });
    expect((await b.getClock()).isOpen).toBe(false);
    const placed = await b.submitOrder({ ...order('g', 'A', 'buy', 10), timeInForce: 'gtc' });
    expect(placed).toMatchObject({ status: 'new', filledQuantity: 0, id: 'sim-1' });
    expect(await b.getPositions()).toEqual([]);
    expect((await b.listOpenOrders()).map((o) => o.clientOrderId)).toEqual(['g']);
    open = true;
    b.fillOpenOrders();
    expect(await b.getOrderByClientId('g')).toMatchObject({ status: 'filled', filledQuantity: 10 });
    expect(await b.listOpenOrders()).toEqual([]);
    expect((await b.getClock()).isOpen).toBe(true);
  });

  it('cancels by venue id (a final order stays as it is) and refuses an unknown one', async () => {
    const b = broker({ A: 10 }, { allowShort: false });
    const filled = await b.submitOrder(order('f', 'A', 'buy', 1));
    await expect(b.submitOrder(order('r', 'A', 'sell', 5))).rejects.toThrow(OrderRejectedError);
    const rejected = await b.getOrderByClientId('r');
    expect(rejected).toMatchObject({
      id: 'sim-2',
      status: 'rejected',
      reason: 'short selling is not allowed',
    });
    await b.cancelOrder(filled.id);
    await b.cancelOrder('sim-2');
    expect((await b.getOrderByClientId('f'))?.status).toBe('filled');
    expect((await b.getOrderByClientId('r'))?.status).toBe('rejected');
    await expect(b.cancelOrder('sim-9')).rejects.toThrow(NotFoundError);
    await expect(b.cancelOrder('nonsense')).rejects.toThrow(/unknown order nonsense/);
    expect(b.clientOrderIds()).toEqual(['f', 'r']);
  });

  it('lists fills since an instant, and refuses a partial-fill ratio outside (0, 1]', async () => {
    const b = broker({ A: 10 });
    await b.submitOrder(order('1', 'A', 'buy', 1));
    const fills = await b.listFills();
    expect(fills).toEqual([
      {
        fillId: 'simfill-1',
        orderId: 'sim-1',
        clientOrderId: '1',
        symbol: 'A',
        side: 'buy',
        quantity: 1,
        priceUsd: 10,
        commissionUsd: 0,
        timestamp: '2024-01-02T15:00:00.000Z',
      },
    ]);
    expect(await b.listFills('2024-01-02T15:00:00.000Z')).toHaveLength(1);
    expect(await b.listFills('2024-01-03')).toEqual([]);
    expect(() => broker({}, { partialFillRatio: 0 })).toThrow(/partialFillRatio/);
    expect(() => broker({}, { partialFillRatio: 1.5 })).toThrow(ValidationError);
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
