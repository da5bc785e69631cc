import fc from 'fast-check';
import type { DecisionRecord } from './backtest-result';
import { DecisionLog, type DecisionInput } from './decision-log';

const value = fc.oneof(fc.double(), fc.constant(Number.NaN), fc.constant(-0));
const signals = fc.oneof(
  // Mostly the same names in the same order (the usual case), sometimes other shapes.
  fc
    .tuple(value, value, value)
    .map(([a, b, c]): Record<string, number> => ({ Volatility: a, Momentum: b, Carry: c })),
  fc.dictionary(fc.constantFrom('Beta', 'Carry', 'TailRisk', '1', 'x y'), value),
);
const decision: fc.Arbitrary<DecisionInput> = fc.record({
  symbol: fc.constantFrom('AAA', 'BBB', 'CCC'),
  composite: value,
  confidence: value,
  targetShares: fc.integer(),
  currentShares: fc.integer(),
  priceUsd: value,
  signals,
});

describe('DecisionLog', () => {
  it('gives back every decision as recorded, in order, by index, iteration or array', () => {
    fc.assert(
      fc.property(fc.array(fc.array(decision, { maxLength: 5 }), { maxLength: 30 }), (cycles) => {
        const log = new DecisionLog();
        const expected: DecisionRecord[] = [];
        cycles.forEach((decisions, i) => {
          const timestamp = new Date(Date.UTC(2024, 0, 2 + i, 21)).toISOString();
          log.append(timestamp, i + 1, decisions);
          for (const d of decisions) expected.push({ timestamp, cycle: i + 1, ...d });
        });
        expect(log.length).toBe(expected.length);
        expect(log.toArray()).toEqual(expected);
        expect([...log]).toEqual(expected);
        for (const [i, e] of expected.entries())
          expect(Object.keys(log.at(i).signals)).toEqual(Object.keys(e.signals));
      }),
    );
  });

  it('grows past its first allocation and refuses rows it does not have', () => {
    const log = new DecisionLog();
    const row: DecisionInput = {
      symbol: 'AAA',
      composite: 0.5,
      confidence: 1,
      targetShares: 10,
      currentShares: 0,
      priceUsd: 12.5,
      signals: { Volatility: 0.1 },
    };
    for (let c = 1; c <= 500; c++) log.append(`t${c}`, c, [row, { ...row, symbol: 'BBB' }, row]);
    expect(log.length).toBe(1500);
    expect(log.at(1499)).toEqual({ timestamp: 't500', cycle: 500, ...row });
    expect(log.at(1498).symbol).toBe('BBB');
    expect(() => log.at(1500)).toThrow(RangeError);
    expect(() => log.at(-1)).toThrow(RangeError);
  });
});
