import type { DecisionRecord } from './backtest-result';

/** A run's decisions, in order, however they are stored (see DecisionLog, TableDecisionLog). */
export interface DecisionRecords extends Iterable<DecisionRecord> {
  /** Decisions recorded. */
  readonly length: number;
  /** Decision `row` (0-based, in recording order). */
  at(row: number): DecisionRecord;
  /** Every decision as a record. */
  toArray(): DecisionRecord[];
}
