import type { DecisionTable, PrecomputeInput, PrecomputedStrategy } from '@quantpipe/core';

/**
 * Fixed share targets for every symbol at every decision: after the first cycle the engine has
 * nothing to trade, so a run measures what a cycle costs the engine outside any strategy.
 */
export class FixedSharesStrategy implements PrecomputedStrategy {
  readonly name = 'fixed-shares';

  constructor(private readonly shares: number) {}

  precompute(input: PrecomputeInput): DecisionTable {
    const n = input.symbols.length;
    const d = input.schedule.decisions;
    const empty = new Float64Array(0);
    return {
      symbols: input.symbols,
      decisions: d,
      signalNames: [],
      decided: new Uint8Array(d * n).fill(1),
      composite: new Float64Array(d * n),
      confidence: new Float64Array(d * n).fill(1),
      targetShares: new Float64Array(d * n).fill(this.shares),
      signals: empty,
      weights: empty,
      health: empty,
      ic: empty,
      hybrid: new Uint8Array(d),
      notes: [],
    };
  }
}
