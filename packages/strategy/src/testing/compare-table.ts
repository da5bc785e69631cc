// Test-only: compares a precomputed decision table with the streaming strategy's outputs over
// the same schedule, number by number (Object.is), and counts what it compared.
import type { DecisionTable, StrategyOutput } from '@quantpipe/core';

/** What {@link compareWithStream} compared, and every difference it found. */
export interface TableComparison {
  /** `where: table vs stream` for each number that differs (empty when all agree). */
  readonly mismatches: string[];
  /** Numbers compared with Object.is. */
  numbers: number;
  /** Decided (decision, symbol) entries. */
  decidedCells: number;
  /** Entries whose composite came from the hybrid. */
  hybridCells: number;
  /** Decisions with a health figure for some signal. */
  decisionsWithHealth: number;
  /** Decided entries whose contributions were checked against the daily composite. */
  contributionSums: number;
}

/** Compares every number of `table` with `outputs` (one output per decision). */
export function compareWithStream(
  table: DecisionTable,
  outputs: readonly StrategyOutput[],
): TableComparison {
  const c: TableComparison = {
    mismatches: [],
    numbers: 0,
    decidedCells: 0,
    hybridCells: 0,
    decisionsWithHealth: 0,
    contributionSums: 0,
  };
  const same = (where: string, a: number | undefined, b: number | undefined) => {
    c.numbers++;
    if (!Object.is(a, b) && c.mismatches.length < 20)
      c.mismatches.push(`${where}: ${String(a)} vs ${String(b)}`);
  };
  const n = table.symbols.length;
  const names = table.signalNames;
  const k = names.length;
  if (outputs.length !== table.decisions)
    c.mismatches.push(`decisions: ${table.decisions} vs ${outputs.length}`);
  outputs.forEach((out, d) => {
    const bySymbol = new Map(out.decisions.map((x) => [x.symbol, x]));
    table.symbols.forEach((symbol, s) => {
      const cell = d * n + s;
      const x = bySymbol.get(symbol);
      if ((table.decided[cell] === 1) !== (x !== undefined)) {
        c.mismatches.push(`decided[${d}, ${symbol}]: ${table.decided[cell]} vs ${x !== undefined}`);
        return;
      }
      if (x === undefined) return;
      c.decidedCells++;
      same(`composite[${d}, ${symbol}]`, table.composite[cell], x.composite);
      same(`confidence[${d}, ${symbol}]`, table.confidence[cell], x.confidence);
      let daily = 0;
      names.forEach((name, i) => {
        same(`signals[${d}, ${symbol}, ${name}]`, table.signals[cell * k + i], x.signals[name]);
        daily += table.contributions?.[cell * k + i] as number;
      });
      if (x.confidence === 1 && !out.hybrid) {
        // without the hybrid the composite is the daily composite the contributions sum to
        same(`Σ contributions[${d}, ${symbol}]`, daily, x.composite);
        c.contributionSums++;
      } else if (x.confidence !== 1) c.hybridCells++;
    });
    names.forEach((name, i) => {
      same(`weights[${d}, ${name}]`, table.weights[d * k + i], out.weights[name]);
      same(`health[${d}, ${name}]`, table.health[d * k + i], out.health[name] ?? NaN);
      same(`ic[${d}, ${name}]`, table.ic[d * k + i], out.ic[name] ?? NaN);
    });
    if (Object.keys(out.health).length > 0) c.decisionsWithHealth++;
    if ((table.hybrid[d] === 1) !== out.hybrid)
      c.mismatches.push(`hybrid[${d}]: ${table.hybrid[d]} vs ${out.hybrid}`);
  });
  return c;
}
