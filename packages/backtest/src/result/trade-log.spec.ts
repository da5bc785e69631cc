import fc from 'fast-check';
import type { TradeRecord } from './backtest-result';
import { TradeLog } from './trade-log';

const value = fc.oneof(fc.double(), fc.constant(Number.NaN), fc.constant(-0));
const trade: fc.Arbitrary<TradeRecord> = fc.record({
  timestamp: fc.constantFrom('2024-01-03T14:30:00Z', '2024-01-04T14:30:00Z', '2024-01-05'),
  cycle: fc.integer({ min: 1, max: 1_000_000 }),
  symbol: fc.constantFrom('AAA', 'BBB', 'CCC'),
  side: fc.constantFrom('buy' as const, 'sell' as const),
  quantity: fc.integer({ min: 1, max: 1e9 }),
  priceUsd: value,
  referencePriceUsd: value,
  commissionUsd: value,
  slippageUsd: value,
  clientOrderId: fc.string(),
});

describe('TradeLog', () => {
  it('gives back every trade as recorded, in order, by index, iteration or array', () => {
    fc.assert(
      fc.property(fc.array(trade, { maxLength: 60 }), (trades) => {
        const log = TradeLog.of(trades);
        expect(log.length).toBe(trades.length);
        expect(log.toArray()).toEqual(trades);
        expect([...log]).toEqual(trades);
        trades.forEach((t, i) => expect(log.at(i)).toEqual(t));
      }),
    );
  });

  it('grows past its first allocation and refuses rows it does not have', () => {
    const log = new TradeLog();
    const t: TradeRecord = {
      timestamp: '2024-01-03T14:30:00Z',
      cycle: 1,
      symbol: 'AAA',
      side: 'buy',
      quantity: 5,
      priceUsd: 10.01,
      referencePriceUsd: 10,
      commissionUsd: 0.025,
      slippageUsd: 0.05,
      clientOrderId: 'qp-r-1-AAA-adjust',
    };
    for (let i = 0; i < 3000; i++) log.append({ ...t, cycle: i + 1 });
    expect(log.length).toBe(3000);
    expect(log.at(2999)).toEqual({ ...t, cycle: 3000 });
    expect(() => log.at(3000)).toThrow(RangeError);
  });
});
