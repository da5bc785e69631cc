import { ValidationError, type StrategyOutput } from '@quantpipe/core';
import { CycleDecisions, TARGET_SHARES, TARGET_SIZED, TARGET_WEIGHT } from './cycle-decisions';
import { SymbolTable } from './symbol-table';

const output = (decisions: StrategyOutput['decisions']): StrategyOutput => ({
  decisions,
  weights: {},
  health: {},
  ic: {},
  hybrid: false,
});

describe('CycleDecisions', () => {
  it('fills the columns from a strategy output in its order, adding new symbols', () => {
    const table = new SymbolTable(['AAA', 'BBB']);
    const d = new CycleDecisions(table.capacity);
    d.fill(
      output([
        { symbol: 'BBB', composite: 0.4, confidence: 0.7, signals: {} },
        { symbol: 'NEW', composite: -0.2, confidence: 1, signals: {}, targetShares: -30 },
        { symbol: 'AAA', composite: 0, confidence: 1, signals: {}, targetShares: 0 },
      ]),
      table,
    );
    expect(d.count).toBe(3);
    expect([...d.symbol.subarray(0, 3)]).toEqual([1, 2, 0]);
    expect(table.name(2)).toBe('NEW');
    expect([...d.composite.subarray(0, 3)]).toEqual([0.4, -0.2, 0]);
    expect([...d.confidence.subarray(0, 3)]).toEqual([0.7, 1, 1]);
    // An explicit share target (zero included) is the strategy's; none means the engine sizes.
    expect([...d.targetKind.subarray(0, 3)]).toEqual([TARGET_SIZED, TARGET_SHARES, TARGET_SHARES]);
    expect([...d.targetValue.subarray(0, 3)]).toEqual([0, -30, 0]);
  });

  it('refuses a decision without a symbol, naming its index', () => {
    const table = new SymbolTable(['AAA']);
    const d = new CycleDecisions(1);
    const bad = output([
      { symbol: 'AAA', composite: 0, confidence: 1, signals: {} },
      { composite: 0, confidence: 1, signals: {} } as unknown as StrategyOutput['decisions'][0],
    ]);
    expect(() => d.fill(bad, table)).toThrow(ValidationError);
    expect(() => d.fill(bad, table)).toThrow(/decisions\[1\]\.symbol/);
  });

  it('reset clears the count and grows the columns only when needed', () => {
    const d = new CycleDecisions(2);
    d.push(0, 0.1, 1, TARGET_WEIGHT, 0.25);
    d.push(1, 0.2, 1, TARGET_SIZED, 0);
    const columns = d.symbol;
    d.reset(2);
    expect(d.count).toBe(0);
    expect(d.symbol).toBe(columns);
    d.reset(5);
    expect(d.symbol.length).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < 5; i++) d.push(i, i / 10, 1, TARGET_WEIGHT, i / 100);
    expect(d.count).toBe(5);
    expect([...d.symbol.subarray(0, 5)]).toEqual([0, 1, 2, 3, 4]);
    expect(d.targetValue[4]).toBe(0.04);
    expect(d.targetKind[4]).toBe(TARGET_WEIGHT);
  });

  it('a longer output than the columns hold is filled completely', () => {
    const table = new SymbolTable([]);
    const d = new CycleDecisions(1);
    const many = Array.from({ length: 12 }, (_, i) => ({
      symbol: `S${i}`,
      composite: i,
      confidence: 1,
      signals: {},
    }));
    d.fill(output(many), table);
    expect(d.count).toBe(12);
    expect(table.size).toBe(12);
    expect(d.composite[11]).toBe(11);
    expect(d.symbol[11]).toBe(table.find('S11'));
  });
});
