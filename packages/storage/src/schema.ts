import type { Generated } from 'kysely';

/*
 * Row types of every table, as kysely sees them (snake_case, as stored). Column types:
 *
 *  - Timestamps are ISO-8601 text on both engines: `YYYY-MM-DD` session dates for daily bars,
 *    `YYYY-MM-DDTHH:MM:SSZ` instants otherwise (NOTES.md: "stored as ISO-8601 UTC text").
 *  - Prices, money and volumes are SQLite `REAL` / PostgreSQL `double precision`: both are
 *    IEEE-754 binary64, exactly a JS number, so every finite value round-trips bit for bit.
 *    Numbers are never stored through text columns or `numeric`.
 *  - Share quantities are SQLite `INTEGER` / PostgreSQL `bigint` (whole shares, safe integers).
 *  - JSON (journal payloads, state, run config, alert context) is text holding
 *    `JSON.stringify` output, kept byte for byte (not jsonb, which reorders keys).
 */

/** `market_data`: the OHLCV cache, keyed by (symbol, timeframe, timestamp). */
export interface MarketDataTable {
  symbol: string;
  timeframe: string;
  timestamp: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** `signals`: signal history, keyed by (timestamp, symbol); null where a signal is undefined. */
export interface SignalsTable {
  timestamp: string;
  symbol: string;
  composite_signal: number | null;
  volatility_signal: number | null;
  momentum_signal: number | null;
  tail_risk_signal: number | null;
  beta_signal: number | null;
  carry_signal: number | null;
}

/** `positions`: position snapshots, keyed by (run_id, timestamp, symbol). */
export interface PositionsTable {
  /** The run the snapshot belongs to; `''` for none (and rows written before version 2). */
  run_id: string;
  timestamp: string;
  /** Write order of snapshots (all rows of one snapshot share it); latest = highest. */
  seq: number;
  symbol: string;
  quantity: number;
  avg_entry_price: number;
  current_price: number;
  market_value: number;
  unrealized_pnl: number;
}

/** `orders`: order history, keyed by the deterministic client order id. */
export interface OrdersTable {
  client_order_id: string;
  /** The venue's id, once the venue has seen the order. */
  order_id: string | null;
  run_id: string | null;
  /** Submission instant. */
  timestamp: string;
  symbol: string;
  side: string;
  quantity: number;
  order_type: string;
  time_in_force: string;
  limit_price: number | null;
  status: string;
  filled_qty: number;
  filled_avg_price: number | null;
  commission: number | null;
  updated_at: string;
  reason: string | null;
}

/** `fills`: executions, keyed by the venue's fill id. */
export interface FillsTable {
  fill_id: string;
  order_id: string;
  client_order_id: string;
  symbol: string;
  side: string;
  quantity: number;
  price: number;
  commission: number;
  timestamp: string;
}

/** `portfolio`: account snapshots, keyed by (run_id, timestamp). */
export interface PortfolioTable {
  /** The run the snapshot belongs to; `''` for none (and rows written before version 2). */
  run_id: string;
  timestamp: string;
  /** Write order of snapshots; latest = highest. */
  seq: number;
  cash: number;
  portfolio_value: number;
  equity: number;
  buying_power: number;
  daily_pnl: number | null;
  total_pnl: number | null;
}

/** `alerts`: notifications. */
export interface AlertsTable {
  id: Generated<number>;
  timestamp: string;
  level: string;
  title: string;
  message: string;
  /** JSON text, or null. */
  context: string | null;
  /** The run that raised it, when known. */
  run_id: string | null;
}

/** `runs`: one row per engine run. */
export interface RunsTable {
  run_id: string;
  started_at: string;
  stopped_at: string | null;
  status: string;
  mode: string | null;
  /** JSON text, or null. */
  config: string | null;
  /** Last sign of life of the run's process (ISO-8601 UTC, wall clock). */
  heartbeat_at: string | null;
  /** When the run counts as lost if it is still `running` without a newer heartbeat. */
  heartbeat_expires_at: string | null;
}

/** `journal`: the engine's append-only event log. */
export interface JournalTable {
  seq: Generated<number>;
  run_id: string;
  cycle: number;
  kind: string;
  timestamp: string;
  client_order_id: string | null;
  /** JSON text. */
  payload: string;
  /** SHA-256 (hex) over the other columns; see `journalChecksum`. */
  checksum: string;
}

/** `engine_state`: named pieces of state per run. */
export interface EngineStateTable {
  run_id: string;
  key: string;
  /** JSON text. */
  value: string;
  updated_at: string;
}

/** `schema_info`: the schema version this database was last migrated to. */
export interface SchemaInfoTable {
  id: number;
  version: number;
  updated_at: string;
}

/** Every table of the trading database, for typed kysely queries. */
export interface StorageSchema {
  market_data: MarketDataTable;
  signals: SignalsTable;
  positions: PositionsTable;
  orders: OrdersTable;
  fills: FillsTable;
  portfolio: PortfolioTable;
  alerts: AlertsTable;
  runs: RunsTable;
  journal: JournalTable;
  engine_state: EngineStateTable;
  schema_info: SchemaInfoTable;
}
