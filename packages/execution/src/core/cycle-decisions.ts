import { ValidationError, type StrategyOutput } from '@quantpipe/core';
import type { SymbolTable } from './symbol-table';

/** {@link CycleDecisions.targetKind}: the engine sizes the composite. */
export const TARGET_SIZED = 0;
/** {@link CycleDecisions.targetKind}: `targetValue` is a share count chosen by the strategy. */
export const TARGET_SHARES = 1;
/** {@link CycleDecisions.targetKind}: `targetValue` is a fraction of equity. */
export const TARGET_WEIGHT = 2;

/**
 * A cycle's strategy decisions as columns, in the strategy's order: the symbol index, the
 * composite and confidence, and what the target is (sized by the engine, explicit shares, or a
 * fraction of equity). Filled from a {@link StrategyOutput} (live) or from a row of a
 * precomputed `DecisionTable` (backtests); reused from cycle to cycle.
 */
export class CycleDecisions {
  count = 0;
  symbol: Int32Array;
  composite: Float64Array;
  confidence: Float64Array;
  targetKind: Uint8Array;
  targetValue: Float64Array;

  constructor(capacity: number) {
    this.symbol = new Int32Array(capacity);
    this.composite = new Float64Array(capacity);
    this.confidence = new Float64Array(capacity);
    this.targetKind = new Uint8Array(capacity);
    this.targetValue = new Float64Array(capacity);
  }

  /** Clears the decisions and makes room for `capacity` of them. */
  reset(capacity: number): void {
    this.count = 0;
    if (this.symbol.length >= capacity) return;
    this.symbol = new Int32Array(capacity);
    this.composite = new Float64Array(capacity);
    this.confidence = new Float64Array(capacity);
    this.targetKind = new Uint8Array(capacity);
    this.targetValue = new Float64Array(capacity);
  }

  /** Appends one decision. */
  push(symbol: number, composite: number, confidence: number, kind: number, value: number): void {
    const i = this.count++;
    this.symbol[i] = symbol;
    this.composite[i] = composite;
    this.confidence[i] = confidence;
    this.targetKind[i] = kind;
    this.targetValue[i] = value;
  }

  /** The decisions of a strategy's output; symbols are added to `symbols` when new. */
  fill(output: StrategyOutput, symbols: SymbolTable): void {
    const decisions = output.decisions;
    this.reset(decisions.length);
    for (let i = 0; i < decisions.length; i++) {
      const d = decisions[i];
      if (!d || typeof d.symbol !== 'string')
        throw new ValidationError(`decisions[${i}].symbol`, 'expected a symbol');
      const shares = d.targetShares;
      this.push(
        symbols.add(d.symbol),
        d.composite,
        d.confidence,
        shares === undefined ? TARGET_SIZED : TARGET_SHARES,
        shares === undefined ? 0 : shares,
      );
    }
  }
}
