import fc from 'fast-check';
import type { DecisionRecord } from './backtest-result';
import { recordColumns, type DecisionColumns } from './decision-columns';
import { DecisionLog } from './decision-log';
import { TableDecisionLog, type DecisionRowSource } from './table-decision-log';

const SYMBOLS = ['AAA', 'BBB', 'CCC'] as const;
const NAMES = ['Volatility', 'Momentum', 'Carry'] as const;
const value = fc.double({ min: -1e6, max: 1e6, noNaN: true });

/** A decision table of `decisions` rows over SYMBOLS, and a price per decision and symbol. */
function sourceOf(decisions: number, values: readonly number[]): DecisionRowSource {
  const cells = decisions * SYMBOLS.length;
  const at = (i: number): number => values[i % values.length] as number;
  const composite = Float64Array.from({ length: cells }, (_, i) => at(i));
  const confidence = Float64Array.from({ length: cells }, (_, i) => at(i + 1));
  const signals = Float64Array.from({ length: cells * NAMES.length }, (_, i) => at(i + 2));
  const prices = Float64Array.from({ length: cells }, (_, i) => Math.abs(at(i + 3)) + 1);
  return {
    symbols: SYMBOLS,
    signalNames: NAMES,
    composite,
    confidence,
    signals,
    priceUsd: (d, s) => prices[d * SYMBOLS.length + s] as number,
  };
}

describe('TableDecisionLog', () => {
  it('reads every row as a DecisionLog records the same decision', () => {
    const row = fc.record({
      s: fc.integer({ min: 0, max: SYMBOLS.length - 1 }),
      targetShares: fc.integer({ min: -1e6, max: 1e6 }),
      currentShares: fc.integer({ min: -1e6, max: 1e6 }),
    });
    const cycle = fc.record({
      d: fc.integer({ min: 0, max: 7 }),
      rows: fc.array(row, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 16 }),
        fc.array(cycle, { maxLength: 12 }),
        (values, cycles) => {
          const source = sourceOf(8, values);
          const table = new TableDecisionLog(source, 2);
          const records = new DecisionLog();
          cycles.forEach(({ d, rows }, c) => {
            const timestamp = `2024-01-${String(2 + c).padStart(2, '0')}T21:00:00.000Z`;
            table.beginCycle(timestamp, c + 1, d);
            records.beginCycle(timestamp, c + 1);
            for (const { s, targetShares, currentShares } of rows) {
              table.append(s, targetShares, currentShares);
              const cell = d * SYMBOLS.length + s;
              const signals: Record<string, number> = {};
              NAMES.forEach((name, k) => {
                signals[name] = source.signals[cell * NAMES.length + k] as number;
              });
              records.appendRecord(
                SYMBOLS[s] as string,
                source.composite[cell] as number,
                source.confidence[cell] as number,
                targetShares,
                currentShares,
                source.priceUsd(d, s),
                signals,
              );
            }
          });
          const expected: DecisionRecord[] = records.toArray();
          expect(table.length).toBe(expected.length);
          expect(table.toArray()).toEqual(expected);
          expect([...table]).toEqual(expected);
          expected.forEach((e, i) => {
            expect(table.at(i)).toEqual(e);
            expect(Object.keys(table.at(i).signals)).toEqual([...NAMES]);
          });
        },
      ),
    );
  });

  it('reads its rows by column as its records read, in a walk and stepping back', () => {
    const read = (columns: DecisionColumns, row: number) => {
      columns.select(row);
      return {
        timestamp: columns.timestamp(),
        date: columns.date(),
        symbol: columns.symbol(),
        composite: columns.composite(),
        currentShares: columns.currentShares(),
        priceUsd: columns.priceUsd(),
        hasContributions: columns.hasContributions(),
        signals: NAMES.map((_, k) => columns.signal(k)),
        contributions: NAMES.map((_, k) => columns.contribution(k)),
      };
    };
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 16 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 4 }), { maxLength: 9 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (values, cycles, jumps) => {
          const base = sourceOf(8, values);
          const contributions = base.signals.map((x) => x / 2);
          const table = new TableDecisionLog({ ...base, contributions });
          cycles.forEach((rows, c) => {
            table.beginCycle(`2024-02-${String(1 + c).padStart(2, '0')}T21:00:00.000Z`, c, c % 8);
            rows.forEach((s, i) => table.append(s, i, c * 10 + i));
          });
          const columns = table.columns(NAMES) as DecisionColumns;
          const records = recordColumns(table, NAMES);
          expect(columns.length).toBe(table.length);
          const order = [...Array.from({ length: table.length }, (_, i) => i)];
          for (const j of jumps) if (table.length > 0) order.push(j % table.length);
          for (const row of order) {
            const got = read(columns, row);
            expect({ ...got, symbolIndex: SYMBOLS[columns.symbolIndex()] }).toEqual({
              ...read(records, row),
              symbolIndex: got.symbol,
            });
          }
        },
      ),
    );
    // Other signal names than the table's are read through records
    expect(new TableDecisionLog(sourceOf(1, [1])).columns(['Carry'])).toBeUndefined();
  });

  it('grows past its first allocation and refuses rows it does not have', () => {
    const table = new TableDecisionLog(sourceOf(1, [0.5, -0.25, 2]));
    table.beginCycle('2024-01-02T21:00:00.000Z', 1, 0);
    for (let i = 0; i < 3_000; i++) table.append(i % SYMBOLS.length, i, -i);
    expect(table.length).toBe(3_000);
    expect(table.at(2_999)).toMatchObject({
      symbol: 'CCC',
      targetShares: 2_999,
      currentShares: -2_999,
    });
    expect(() => table.at(3_000)).toThrow(RangeError);
    expect(() => table.at(-1)).toThrow(RangeError);
    expect(() => table.at(0.5)).toThrow(RangeError);
  });
});
