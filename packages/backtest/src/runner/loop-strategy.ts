import type { DecisionRow, DecisionTable, IncrementalStrategy, Strategy } from '@quantpipe/core';
import {
  TARGET_SHARES,
  TARGET_SIZED,
  TARGET_WEIGHT,
  type CycleDecisions,
} from '@quantpipe/execution';

/** The decisions a loop trades: a precomputed table, or a strategy asked every cycle. */
export type LoopStrategy =
  | { readonly kind: 'table'; readonly table: DecisionTable }
  | IncrementalLoopStrategy
  | { readonly kind: 'streaming'; readonly strategy: Strategy };

/** An incremental strategy with the row it writes and the point it reads (reused each decision). */
export interface IncrementalLoopStrategy {
  readonly kind: 'incremental';
  readonly strategy: IncrementalStrategy;
  readonly row: DecisionRow;
  readonly point: { decision: number; equityUsd: number; positions: Float64Array };
}

/** `strategy` ready for the loop over `n` symbols. */
export function incrementalLoopStrategy(
  strategy: IncrementalStrategy,
  n: number,
): IncrementalLoopStrategy {
  return {
    kind: 'incremental',
    strategy,
    row: {
      composite: new Float64Array(n),
      confidence: new Float64Array(n),
      targetShares: new Float64Array(n),
      targetWeights: new Float64Array(n),
    },
    point: { decision: 0, equityUsd: 0, positions: new Float64Array(n) },
  };
}

/** How a decision asks to be sized: explicit shares, a weight, or by the sizing step. */
function targetKind(shares: number, weight: number): number {
  return shares === shares ? TARGET_SHARES : weight === weight ? TARGET_WEIGHT : TARGET_SIZED;
}

/**
 * Asks an incremental strategy for decision `d` (over `n` symbols) and writes its row into `out`. A symbol the
 * strategy left without a composite and without a target is not decided.
 */
export function decideIncremental(
  strategy: IncrementalLoopStrategy,
  d: number,
  n: number,
  equityUsd: number,
  quantityOf: (s: number) => number,
  out: CycleDecisions,
): void {
  const { row, point } = strategy;
  row.composite.fill(Number.NaN);
  row.confidence.fill(1);
  row.targetShares.fill(Number.NaN);
  row.targetWeights.fill(Number.NaN);
  point.decision = d;
  point.equityUsd = equityUsd;
  for (let s = 0; s < n; s++) point.positions[s] = quantityOf(s);
  strategy.strategy.step(point, row);
  out.reset(n);
  for (let s = 0; s < n; s++) {
    const composite = row.composite[s] as number;
    const shares = row.targetShares[s] as number;
    const weight = row.targetWeights[s] as number;
    const kind = targetKind(shares, weight);
    if (kind === TARGET_SIZED && composite !== composite) continue;
    out.push(
      s,
      composite,
      row.confidence[s] as number,
      kind,
      kind === TARGET_SHARES ? shares : weight,
    );
  }
}

/** Row `d` of a precomputed table (over `n` symbols) into `out`: the symbols it decided. */
export function decideFromTable(
  table: DecisionTable,
  d: number,
  n: number,
  out: CycleDecisions,
): void {
  out.reset(n);
  for (let s = 0; s < n; s++) {
    const at = d * n + s;
    if (table.decided[at] !== 1) continue;
    const shares = table.targetShares?.[at] ?? Number.NaN;
    const weight = table.targetWeights?.[at] ?? Number.NaN;
    const kind = targetKind(shares, weight);
    out.push(
      s,
      table.composite[at] as number,
      table.confidence[at] as number,
      kind,
      kind === TARGET_SHARES ? shares : weight,
    );
  }
}
