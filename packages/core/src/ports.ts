import type { Account, MarketClock, Position } from './account';
import type { Bar, Timeframe } from './bar';
import type { JsonValue } from './json';
import type { Fill, Order, OrderRequest } from './order';

/** A request for historical bars of one symbol. */
export interface BarsRequest {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Inclusive start: a date or an ISO-8601 UTC instant. */
  readonly start: string;
  /** Inclusive end; defaults to now. */
  readonly end?: string;
}

/** Port: where bars come from (a vendor API, a CSV folder, a database cache, a simulation). */
export interface MarketData {
  /** Bars in ascending timestamp order, no duplicates. Unknown symbols throw NotFoundError. */
  getBars(request: BarsRequest): Promise<Bar[]>;
  /**
   * Optional: the answers to several requests at once, in request order, each as `getBars`
   * would give it; one failing request fails the whole call. Sources that can serve many
   * symbols in one round trip (memory, a multi-symbol endpoint) implement it; callers that
   * refresh a universe use it when present and fall back to one `getBars` per request.
   */
  getBarsBatch?(requests: readonly BarsRequest[]): Promise<Bar[][]>;
  /** The most recent bar of a symbol. */
  getLatestBar(symbol: string, timeframe?: Timeframe): Promise<Bar>;
}

/** Port: a place that stores bars and returns ranges of them (the market-data cache). */
export interface MarketDataCache {
  /** Inserts or replaces bars (keyed by symbol, timeframe, timestamp). Returns rows written. */
  upsertBars(timeframe: Timeframe, bars: readonly Bar[]): Promise<number>;
  /** Bars of `symbol` with start <= timestamp <= end, ascending. */
  getBars(request: BarsRequest): Promise<Bar[]>;
  /** Earliest and latest cached timestamps of a symbol, if any. */
  getCoverage(
    symbol: string,
    timeframe: Timeframe,
  ): Promise<{ first: string; last: string } | undefined>;
}

/** Port: an execution venue. */
export interface Broker {
  /** Short venue name for logs and errors ("sim", "alpaca", "ibkr", "dual"). */
  readonly venue: string;
  getAccount(): Promise<Account>;
  getPositions(): Promise<Position[]>;
  getClock(): Promise<MarketClock>;
  /**
   * Submits an order. Idempotent on `clientOrderId`: a second call with an id the venue
   * already knows returns that order and does not create another.
   */
  submitOrder(request: OrderRequest): Promise<Order>;
  /** The order with this client order id, or undefined if the venue never saw it. */
  getOrderByClientId(clientOrderId: string): Promise<Order | undefined>;
  /** Orders that can still fill. */
  listOpenOrders(): Promise<Order[]>;
  cancelOrder(orderId: string): Promise<void>;
  /** Executions since an ISO-8601 UTC instant (all known ones when omitted). */
  listFills(since?: string): Promise<Fill[]>;
}

/** Port: time. Live runs use the wall clock; backtests a simulated one. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
}

/** Every kind of engine event written to the journal, in the order of a cycle. */
export const JOURNAL_ENTRY_KINDS = [
  'run_started',
  'decision',
  'risk_verdict',
  'order_intent',
  'order_sent',
  'order_update',
  'fill',
  'cycle_completed',
  'reconciliation',
  'alert',
  'run_stopped',
] as const;

/** Kinds of engine event written to the journal. */
export type JournalEntryKind = (typeof JOURNAL_ENTRY_KINDS)[number];

/** What a caller appends. */
export interface JournalEntryInput {
  readonly runId: string;
  /** Rebalance cycle number within the run (0 for run-level events). */
  readonly cycle: number;
  readonly kind: JournalEntryKind;
  /** ISO-8601 UTC instant of the event. */
  readonly timestamp: string;
  /** Client order id, for order events (indexed). */
  readonly clientOrderId?: string;
  readonly payload: JsonValue;
}

/** An entry as stored: with its sequence number. */
export interface JournalEntry extends JournalEntryInput {
  /** Strictly increasing per journal. */
  readonly seq: number;
}

/** Filters for reading the journal. */
export interface JournalQuery {
  readonly runId: string;
  readonly kinds?: readonly JournalEntryKind[];
  readonly clientOrderId?: string;
  /** Only entries with seq > afterSeq. */
  readonly afterSeq?: number;
}

/**
 * Port: the engine's durable memory. `append` resolves only once the entry is durable, so a
 * crash right after it can never lose it; a restart reads the journal back to resume.
 */
export interface Journal {
  append(entry: JournalEntryInput): Promise<JournalEntry>;
  entries(query: JournalQuery): Promise<JournalEntry[]>;
  /**
   * Saves a named piece of state (monitor peaks, hedge state, position ages) for a run.
   * `json`, when given, must be `JSON.stringify(value)`: a caller that has serialised the value
   * already (to see whether it changed) passes it, and a journal that stores text uses it.
   */
  saveState(runId: string, key: string, value: JsonValue, json?: string): Promise<void>;
  /** Loads state saved with {@link Journal.saveState}, or undefined. */
  loadState(runId: string, key: string): Promise<JsonValue | undefined>;
}
