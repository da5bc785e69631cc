import type { DecisionRecords } from './decision-records';
import type { TradeLog } from './trade-log';
import type { DataWarning, OrderSide } from '@quantpipe/core';

/** The portfolio at one mark (a daily or hourly close), after marking to market. */
export interface EquityPoint {
  /** ISO-8601 UTC instant of the mark. */
  readonly timestamp: string;
  /** Session date of the mark. */
  readonly date: string;
  readonly cashUsd: number;
  /** Signed market value of all positions. */
  readonly positionsValueUsd: number;
  /** cash + positions value. */
  readonly equityUsd: number;
  /** Σ |market value|. */
  readonly grossExposureUsd: number;
  /** Σ market value (signed). */
  readonly netExposureUsd: number;
  /** Gross exposure / equity. */
  readonly leverage: number;
  /** Close of the benchmark on the mark's session (null when the benchmark is unavailable). */
  readonly benchmarkClose: number | null;
  /** Cumulative commissions paid so far. */
  readonly feesUsd: number;
  /** Cumulative slippage cost so far (fill price vs reference price). */
  readonly slippageUsd: number;
  /** Whether the tail hedge was ACTIVE after the last cycle. */
  readonly hedgeActive: boolean;
  /** Cumulative synthetic tail-hedge P&L booked so far, net of its cost. */
  readonly hedgePnlUsd: number;
}

/** One execution. */
export interface TradeRecord {
  readonly timestamp: string;
  readonly cycle: number;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  /** Price the fill got, slippage included. */
  readonly priceUsd: number;
  /** The reference price (next bar's open) before slippage. */
  readonly referencePriceUsd: number;
  readonly commissionUsd: number;
  /** Cost of slippage in USD (always >= 0 with the spec's model). */
  readonly slippageUsd: number;
  readonly clientOrderId: string;
}

/**
 * A symbol that enters or leaves the universe during a run: it is tradable from its first bar,
 * and its position is closed at its last close when it has no bar at the next session.
 */
export interface UniverseChange {
  readonly symbol: string;
  /** `listed`: first session with a bar; `delisted`: last session with a bar. */
  readonly change: 'listed' | 'delisted';
  /** The session of the change. */
  readonly date: string;
}

/** One decision of one cycle for one symbol. */
export interface DecisionRecord {
  readonly timestamp: string;
  readonly cycle: number;
  readonly symbol: string;
  readonly composite: number;
  readonly confidence: number;
  readonly targetShares: number;
  readonly currentShares: number;
  readonly priceUsd: number;
  /** Per-signal values that went into the composite. */
  readonly signals: Readonly<Record<string, number>>;
  /**
   * Each signal's contribution to the daily composite (effective weight × value; they sum to
   * the daily composite), when the strategy reports them.
   */
  readonly contributions?: Readonly<Record<string, number>>;
}

/** Signal weights, health and IC at one cycle. */
export interface SignalStateRecord {
  readonly timestamp: string;
  readonly cycle: number;
  readonly weights: Readonly<Record<string, number>>;
  readonly health: Readonly<Record<string, number>>;
  readonly ic: Readonly<Record<string, number>>;
}

/** Which composite the run used. */
export type CompositeMode = 'hybrid' | 'daily';

/** Everything a backtest produced, ready for the outputs and the report. */
export interface BacktestResult {
  readonly runId: string;
  readonly sourceLabel: string;
  readonly symbols: readonly string[];
  readonly benchmarkSymbol: string;
  /** Why there is no benchmark comparison, when the benchmark could not be loaded. */
  readonly benchmarkNote?: string;
  /** Implausible bars and benchmark fills found when the market was opened (see openMarket). */
  readonly dataWarnings?: readonly DataWarning[];
  readonly rebalance: 'daily' | 'hourly';
  readonly compositeMode: CompositeMode;
  /** Why the composite mode was chosen (e.g. "no hourly bars for the period"). */
  readonly compositeReason: string;
  readonly initialCapitalUsd: number;
  readonly startDate: string;
  readonly endDate: string;
  /** The symbols that listed or delisted during the run, in date order. */
  readonly universeChanges: readonly UniverseChange[];
  readonly equity: readonly EquityPoint[];
  /** Every fill as a trade, as columns (see TradeLog). */
  readonly trades: TradeLog;
  /** Every decision, as columns (see DecisionLog and TableDecisionLog). */
  readonly decisions: DecisionRecords;
  readonly signalStates: readonly SignalStateRecord[];
  readonly cycles: number;
  /** Drawdown halts that ended by their cooldown (`kill_switch_reset: cooldown`). */
  readonly killSwitchResets: number;
  /** Sessions in which the tail hedge was stepped while ACTIVE. */
  readonly hedgeActiveSessions: number;
  readonly barsProcessed: number;
  readonly alerts: readonly {
    readonly timestamp: string;
    readonly level: string;
    readonly message: string;
  }[];
  readonly wallTimeMs: number;
  /** The resolved configuration, for the report and metrics.json. */
  readonly config: Readonly<Record<string, unknown>>;
}
