import fc from 'fast-check';
import { clientOrderIdFor, type OrderLeg } from '@quantpipe/execution';
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

describe('TradeLog.appendFill', () => {
  it('records an engine fill whose client order id is made when read', () => {
    const log = new TradeLog();
    log.appendFill(
      '2024-03-04T14:30:00Z',
      7,
      'AAA',
      -1,
      40,
      { priceUsd: 49.95, referencePriceUsd: 50, commissionUsd: 0.2, slippageUsd: 2 },
      'run-1',
      'close',
    );
    log.appendFill(
      '2024-03-04T14:30:00Z',
      7,
      'AAA',
      -1,
      10,
      { priceUsd: 49.9, referencePriceUsd: 50, commissionUsd: 0.05, slippageUsd: 1 },
      'run-1',
      'open',
    );
    log.append({ ...(log.at(0) as TradeRecord), clientOrderId: 'manual', cycle: 8 });
    expect(log.toArray()).toEqual([
      {
        timestamp: '2024-03-04T14:30:00Z',
        cycle: 7,
        symbol: 'AAA',
        side: 'sell',
        quantity: 40,
        priceUsd: 49.95,
        referencePriceUsd: 50,
        commissionUsd: 0.2,
        slippageUsd: 2,
        clientOrderId: 'qp-run-1-7-AAA-close',
      },
      {
        timestamp: '2024-03-04T14:30:00Z',
        cycle: 7,
        symbol: 'AAA',
        side: 'sell',
        quantity: 10,
        priceUsd: 49.9,
        referencePriceUsd: 50,
        commissionUsd: 0.05,
        slippageUsd: 1,
        clientOrderId: 'qp-run-1-7-AAA-open',
      },
      {
        timestamp: '2024-03-04T14:30:00Z',
        cycle: 8,
        symbol: 'AAA',
        side: 'sell',
        quantity: 40,
        priceUsd: 49.95,
        referencePriceUsd: 50,
        commissionUsd: 0.2,
        slippageUsd: 2,
        clientOrderId: 'manual',
      },
    ]);
  });

  it('keeps each fill’s own run in its id when fills of two runs share a log', () => {
    const log = new TradeLog();
    log.appendFill(
      't',
      1,
      'AAA',
      1,
      5,
      { priceUsd: 10, referencePriceUsd: 10, commissionUsd: 0, slippageUsd: 0 },
      'run-a',
      'adjust',
    );
    log.appendFill(
      't',
      1,
      'AAA',
      1,
      5,
      { priceUsd: 10, referencePriceUsd: 10, commissionUsd: 0, slippageUsd: 0 },
      'run-b',
      'adjust',
    );
    log.appendFill(
      't',
      2,
      'BBB',
      1,
      5,
      { priceUsd: 10, referencePriceUsd: 10, commissionUsd: 0, slippageUsd: 0 },
      'run-a',
      'open',
    );
    expect(log.toArray().map((t) => t.clientOrderId)).toEqual([
      'qp-run-a-1-AAA-adjust',
      'qp-run-b-1-AAA-adjust',
      'qp-run-a-2-BBB-open',
    ]);
  });

  it('a fill recorded as a fill reads back as the record with its id made eagerly', () => {
    const fill = fc.record({
      timestamp: fc.constantFrom('2024-03-04T14:30:00Z', '2024-03-05T14:30:00Z'),
      cycle: fc.integer({ min: 1, max: 10_000 }),
      symbol: fc.constantFrom('AAA', 'BBB', 'C.D'),
      side: fc.constantFrom(1, -1),
      quantity: fc.integer({ min: 1, max: 1e6 }),
      priceUsd: value,
      referencePriceUsd: value,
      commissionUsd: value,
      slippageUsd: value,
      leg: fc.constantFrom<OrderLeg>('adjust', 'close', 'open'),
    });
    fc.assert(
      fc.property(fc.array(fill, { maxLength: 40 }), (fills) => {
        const log = new TradeLog();
        for (const f of fills)
          log.appendFill(f.timestamp, f.cycle, f.symbol, f.side, f.quantity, f, 'bt', f.leg);
        const expected = fills.map((f): TradeRecord => ({
          timestamp: f.timestamp,
          cycle: f.cycle,
          symbol: f.symbol,
          side: f.side === 1 ? 'buy' : 'sell',
          quantity: f.quantity,
          priceUsd: f.priceUsd,
          referencePriceUsd: f.referencePriceUsd,
          commissionUsd: f.commissionUsd,
          slippageUsd: f.slippageUsd,
          clientOrderId: clientOrderIdFor('bt', f.cycle, f.symbol, f.leg),
        }));
        expect(log.toArray()).toEqual(expected);
        expect(TradeLog.of(expected).toArray()).toEqual(expected);
      }),
    );
  });
});
