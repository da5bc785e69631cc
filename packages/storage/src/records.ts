import type {
  AlertLevel,
  Fill,
  JsonValue,
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
} from '@quantpipe/core';

/** An order as the database keeps it: keyed by its deterministic client order id. */
export interface OrderRecord {
  /** Deterministic idempotency key (primary key). */
  readonly clientOrderId: string;
  /** The venue's order id, once known. */
  readonly id?: string;
  /** The engine run that created it. */
  readonly runId?: string;
  readonly symbol: string;
  readonly side: OrderSide;
  /** Positive whole shares. */
  readonly quantity: number;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly limitPriceUsd?: number;
  readonly status: OrderStatus;
  /** Shares filled so far, 0..quantity. */
  readonly filledQuantity: number;
  readonly filledAvgPriceUsd?: number;
  readonly commissionUsd?: number;
  /** ISO-8601 UTC instant of submission (the spec's `orders.timestamp`). */
  readonly submittedAt: string;
  /** ISO-8601 UTC instant of the last change. */
  readonly updatedAt: string;
  readonly reason?: string;
}

/** A change to a stored order (status, venue id, fill totals). Omitted fields are kept. */
export interface OrderUpdate {
  readonly status: OrderStatus;
  /** ISO-8601 UTC instant of the change. */
  readonly updatedAt: string;
  readonly id?: string;
  readonly filledQuantity?: number;
  readonly filledAvgPriceUsd?: number;
  readonly commissionUsd?: number;
  readonly reason?: string;
}

/** Filters for {@link TradingDatabase.listOrders}. */
export interface OrderQuery {
  readonly runId?: string;
  readonly symbol?: string;
  readonly statuses?: readonly OrderStatus[];
}

/** One row of the `signals` table: a symbol's signals at a bar timestamp (null = undefined). */
export interface SignalRecord {
  /** Bar timestamp: `YYYY-MM-DD` or ISO-8601 UTC instant. */
  readonly timestamp: string;
  readonly symbol: string;
  readonly composite: number | null;
  readonly volatility: number | null;
  readonly momentum: number | null;
  readonly tailRisk: number | null;
  readonly beta: number | null;
  readonly carry: number | null;
}

/** Filters for {@link TradingDatabase.getSignals}; bounds are inclusive. */
export interface SignalQuery {
  readonly symbol?: string;
  readonly start?: string;
  readonly end?: string;
}

/** A finished order with its fills, for {@link TradingDatabase.importOrders}. */
export interface OrderWithFills {
  readonly order: OrderRecord;
  readonly fills: readonly Fill[];
}

/** A portfolio (account) snapshot, the spec's `portfolio` table. Money in USD. */
export interface PortfolioSnapshot {
  /** The run it belongs to (with `timestamp`, the key); absent: no run. */
  readonly runId?: string;
  /** ISO-8601 UTC instant. */
  readonly timestamp: string;
  readonly cashUsd: number;
  readonly portfolioValueUsd: number;
  readonly equityUsd: number;
  readonly buyingPowerUsd: number;
  readonly dailyPnlUsd?: number;
  readonly totalPnlUsd?: number;
}

/** An alert as stored, with its id. */
export interface StoredAlert {
  readonly id: number;
  readonly level: AlertLevel;
  readonly title: string;
  readonly message: string;
  /** ISO-8601 UTC. */
  readonly timestamp: string;
  /** The alert's context as stored (JSON); absent when it had none. */
  readonly context?: JsonValue;
  /** The run that raised it, when it was stored with one. */
  readonly runId?: string;
}

/** Filters for {@link TradingDatabase.listAlerts}. */
export interface AlertQuery {
  /** Only alerts with timestamp >= since (ISO-8601 UTC). */
  readonly since?: string;
  readonly levels?: readonly AlertLevel[];
  /** Only alerts stored with this run id. */
  readonly runId?: string;
}

/** Status of an engine run. */
export type RunStatus = 'running' | 'stopped' | 'failed';

/** What {@link TradingDatabase.createRun} records. */
export interface RunInput {
  readonly runId: string;
  /** ISO-8601 UTC. */
  readonly startedAt: string;
  /** Free-form mode label ("paper", "live", "backtest"). */
  readonly mode?: string;
  /** The run's configuration (never secrets). */
  readonly config?: JsonValue;
}

/** A run as stored. */
export interface RunRecord extends RunInput {
  readonly status: RunStatus;
  /** ISO-8601 UTC, once finished. */
  readonly stoppedAt?: string;
  /** The last heartbeat of the run's process (ISO-8601 UTC, wall clock), if it sent any. */
  readonly heartbeatAt?: string;
  /** A `running` run without a heartbeat after this instant has lost its process. */
  readonly heartbeatExpiresAt?: string;
}

/** What {@link TradingDatabase.markRunStarted} records when a process (re)starts a run. */
export interface RunStart {
  /** The mode of this invocation (replaces the stored one). */
  readonly mode?: string;
  /** The configuration of this invocation (never secrets); replaces the stored one. */
  readonly config?: JsonValue;
  /** ISO-8601 UTC (wall clock). */
  readonly heartbeatAt: string;
  /** ISO-8601 UTC: the run counts as lost without a newer heartbeat by then. */
  readonly heartbeatExpiresAt: string;
}
