import fc from 'fast-check';
import { SymbolTable, grownFloat64 } from './symbol-table';

describe('SymbolTable', () => {
  it('indexes the universe in its order, then later symbols in the order they are met', () => {
    const table = new SymbolTable(['MSFT', 'AAPL', 'SPY']);
    expect(table.size).toBe(3);
    expect([table.find('MSFT'), table.find('AAPL'), table.find('SPY')]).toEqual([0, 1, 2]);
    expect(table.find('TSLA')).toBe(-1);
    expect(table.add('TSLA')).toBe(3);
    expect(table.add('AAPL')).toBe(1); // known: the same index, nothing added
    expect(table.size).toBe(4);
    expect(table.name(3)).toBe('TSLA');
    expect(table.name(0)).toBe('MSFT');
  });

  it('starts with room for 8 symbols and doubles its capacity when a symbol goes beyond it', () => {
    const table = new SymbolTable(['A']);
    expect(table.capacity).toBe(8);
    for (let i = 0; i < 7; i++) table.add(`S${i}`);
    expect(table.size).toBe(8);
    expect(table.capacity).toBe(8);
    table.add('NINTH');
    expect(table.capacity).toBe(16);
    const big = new SymbolTable(Array.from({ length: 20 }, (_, i) => `U${i}`));
    expect(big.capacity).toBe(20);
    big.add('X');
    expect(big.capacity).toBe(40);
  });

  it('lists indices in code-unit order of the names, and again after a symbol is added', () => {
    const table = new SymbolTable(['b', 'B', 'a']);
    expect([...table.byName()]).toEqual([1, 2, 0]); // 'B' < 'a' < 'b'
    const first = table.byName();
    expect(table.byName()).toBe(first); // cached while nothing changes
    table.add('A');
    expect([...table.byName()]).toEqual([3, 1, 2, 0]);
    table.add('b'); // known: the cache stays valid
    expect([...table.byName()]).toEqual([3, 1, 2, 0]);
  });

  it('never changes an index once given; byName is a permutation sorted as Array.sort sorts', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 10 }),
        fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 30 }),
        (universe, later) => {
          const table = new SymbolTable(universe);
          const given = new Map<string, number>(universe.map((s, i) => [s, i]));
          for (const s of later) {
            const index = table.add(s);
            if (!given.has(s)) given.set(s, given.size);
            expect(index).toBe(given.get(s));
            expect(table.capacity).toBeGreaterThanOrEqual(table.size);
          }
          for (const [s, i] of given) {
            expect(table.find(s)).toBe(i);
            expect(table.name(i)).toBe(s);
          }
          const names = [...given.keys()].sort();
          expect([...table.byName()].map((i) => table.name(i))).toEqual(names);
        },
      ),
    );
  });
});

describe('grownFloat64', () => {
  it('returns the same column when it is long enough', () => {
    const column = Float64Array.from([1, 2, 3]);
    expect(grownFloat64(column, 3)).toBe(column);
    expect(grownFloat64(column, 1)).toBe(column);
  });

  it('copies into a longer column filled beyond the old entries', () => {
    const grown = grownFloat64(Float64Array.from([1, 2]), 5, Number.NaN);
    expect(grown).toHaveLength(5);
    expect([...grown]).toEqual([1, 2, Number.NaN, Number.NaN, Number.NaN]);
    expect([...grownFloat64(Float64Array.from([7]), 3)]).toEqual([7, 0, 0]);
  });
});
