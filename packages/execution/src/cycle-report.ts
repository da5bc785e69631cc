import type { Fill, Order } from '@quantpipe/core';
import type { RiskVerdict } from '@quantpipe/risk';

/**
 * Outcome of one rebalance cycle: `traded` (orders sent), `idle` (it ran but sent no order:
 * every position at its target, or every planned order skipped), `skipped` (it stopped before
 * planning, e.g. on stale data), `halted` (kill switch), `dry_run`.
 */
export type CycleStatus = 'traded' | 'idle' | 'skipped' | 'halted' | 'dry_run';

/**
 * A planned order that was not sent, and why (in a dry run: one the real run would skip), or a
 * trade the no-trade band kept from going, under the client order id its first leg would have
 * had.
 */
export interface SkippedOrder {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly reason: string;
}

/** One symbol's line of a cycle report. */
export interface DecisionReport {
  readonly symbol: string;
  readonly composite: number;
  readonly confidence: number;
  readonly signals: Readonly<Record<string, number>>;
  /** Final target after sizing, risk and buying-power scaling. */
  readonly targetShares: number;
  /** Position before the cycle's orders. */
  readonly currentShares: number;
  /** Price used for sizing (last close at the decision time). */
  readonly priceUsd: number;
}

/** The tail hedge (spec 6.1) at a cycle. */
export interface HedgeReport {
  readonly state: 'INACTIVE' | 'ACTIVE';
  /** Drawdown at the last activation (null before the first). */
  readonly activationLevel: number | null;
  readonly transition: 'activated' | 'deactivated' | null;
  /** Synthetic hedge P&L of this step as a fraction of equity (0 when INACTIVE). */
  readonly hedgePnl: number;
  /** Hedge cost of this step as a fraction of equity (0 when INACTIVE). */
  readonly hedgeCost: number;
  /** Whether the hedge advanced this cycle (once per new benchmark session). */
  readonly stepped: boolean;
}

/** One planned order. */
export interface PlannedOrder {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly leg: 'adjust' | 'close' | 'open';
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly timeInForce: 'day' | 'gtc';
  /** Whether the order adds gross exposure (blocked while the verdict forbids it). */
  readonly increasesExposure: boolean;
}

/** Everything a cycle decided and did (the backtest report is built from these). */
export interface CycleReport {
  readonly runId: string;
  readonly cycle: number;
  /** Decision instant, ISO-8601 UTC. */
  readonly timestamp: string;
  readonly status: CycleStatus;
  /** Why the cycle skipped or halted, or remarks on a traded one. */
  readonly reason?: string;
  readonly decisions: readonly DecisionReport[];
  readonly weights: Readonly<Record<string, number>>;
  readonly weightsBySymbol?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly health: Readonly<Record<string, number>>;
  readonly ic: Readonly<Record<string, number>>;
  readonly hybrid: boolean;
  /** Orders planned (in dry-run mode: what would have been sent). */
  readonly plannedOrders: readonly PlannedOrder[];
  /**
   * Trades inside the no-trade band, then planned orders not sent, each with the reason
   * (journaled as `skipped` order updates).
   */
  readonly skippedOrders: readonly SkippedOrder[];
  /** Orders as the broker reported them at the end of the cycle. */
  readonly orders: readonly Order[];
  readonly fills: readonly Fill[];
  /** The risk monitor's verdict before orders (null when the cycle stopped earlier). */
  readonly riskVerdict: RiskVerdict | null;
  /** Pre-trade cost estimate (spec 6.3), USD. */
  readonly estimatedCostUsd: number;
  /** Buying-power scale factor applied (spec 7.1), or null. */
  readonly buyingPowerScale: number | null;
  /** Tail hedge state and synthetic P&L (null when the cycle stopped before the risk check). */
  readonly hedge: HedgeReport | null;
  /** Account equity at the decision (before orders). */
  readonly equityUsd: number;
  /** Account equity after the cycle's fills. */
  readonly equityAfterUsd: number;
  /** Gross leverage after the cycle. */
  readonly leverageAfter: number;
}

/** What {@link TradingEngine.start} found and did. */
export interface StartReport {
  readonly runId: string;
  /** Last completed cycle found in the journal (0 for a fresh run). */
  readonly lastCompletedCycle: number;
  /** A cycle that was interrupted and has been finished on start, if any. */
  readonly resumedCycle: number | null;
  /** Orders of the interrupted cycle found at the broker and adopted (not resent). */
  readonly adoptedOrders: readonly string[];
  /** Orders of the interrupted cycle that had not reached the broker and were submitted. */
  readonly resubmittedOrders: readonly string[];
  /** Reconciliation differences (journal vs broker); empty when they agree. */
  readonly mismatches: readonly string[];
  readonly killSwitchTripped: boolean;
}
