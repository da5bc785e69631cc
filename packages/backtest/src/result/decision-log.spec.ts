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

describe('DecisionLog.appendColumns', () => {
  const TABLE_NAMES = ['Volatility', 'Momentum', 'Carry'] as const;

  it('reads a row of a decision table’s signal columns as the record API records them', () => {
    const row = fc.record({
      symbol: fc.constantFrom('AAA', 'BBB', 'CCC'),
      composite: value,
      confidence: value,
      targetShares: fc.integer(),
      currentShares: fc.integer(),
      priceUsd: value,
      values: fc.tuple(value, value, value),
      asRecord: fc.boolean(),
      otherShape: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(fc.array(row, { maxLength: 4 }), { maxLength: 12 }), (cycles) => {
        const columns = new DecisionLog();
        const records = new DecisionLog();
        const expected: DecisionRecord[] = [];
        // One signal table for the run: row r's values sit at r * 3 (as a DecisionTable's).
        const table = new Float64Array(3 * 64);
        let r = 0;
        cycles.forEach((rows, c) => {
          const timestamp = `2024-01-${String(2 + c).padStart(2, '0')}T21:00:00.000Z`;
          columns.beginCycle(timestamp, c + 1);
          records.beginCycle(timestamp, c + 1);
          for (const d of rows) {
            const names: readonly string[] = d.otherShape ? ['Beta'] : TABLE_NAMES;
            const signals: Record<string, number> = {};
            names.forEach((name, i) => (signals[name] = d.values[i] as number));
            table.set(d.values.slice(0, names.length), r * 3);
            const args = [
              d.symbol,
              d.composite,
              d.confidence,
              d.targetShares,
              d.currentShares,
              d.priceUsd,
            ] as const;
            if (d.asRecord) columns.appendRecord(...args, signals);
            else columns.appendColumns(...args, names, table, r * 3);
            records.appendRecord(...args, signals);
            expected.push({
              timestamp,
              cycle: c + 1,
              symbol: d.symbol,
              composite: d.composite,
              confidence: d.confidence,
              targetShares: d.targetShares,
              currentShares: d.currentShares,
              priceUsd: d.priceUsd,
              signals,
            });
            r = (r + 1) % 64;
          }
        });
        expect(columns.toArray()).toEqual(expected);
        expect(columns.toArray()).toEqual(records.toArray());
        expected.forEach((e, i) =>
          expect(Object.keys(columns.at(i).signals)).toEqual(Object.keys(e.signals)),
        );
      }),
    );
  });

  it('keeps the signal names in their order, whether given as the same array or an equal one', () => {
    const log = new DecisionLog();
    log.beginCycle('t1', 1);
    const names = ['Momentum', 'Volatility'];
    const values = Float64Array.from([0.1, 0.2, 0.3, 0.4]);
    log.appendColumns('AAA', 0.5, 1, 10, 0, 20, names, values, 0);
    log.appendColumns('BBB', -0.5, 1, -10, 0, 30, [...names], values, 2);
    log.appendColumns('CCC', 0, 1, 0, 0, 40, ['Volatility', 'Momentum'], values, 1);
    expect(log.toArray().map((d) => d.signals)).toEqual([
      { Momentum: 0.1, Volatility: 0.2 },
      { Momentum: 0.3, Volatility: 0.4 },
      { Volatility: 0.2, Momentum: 0.3 },
    ]);
    expect(Object.keys(log.at(2).signals)).toEqual(['Volatility', 'Momentum']);
    log.appendColumns('DDD', 0, 1, 0, 0, 40, [], values, 0);
    expect(log.at(3).signals).toEqual({});
  });
});
