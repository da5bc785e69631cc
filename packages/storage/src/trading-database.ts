import {
  StorageError,
  type Alert,
  type AlertSink,
  type Bar,
  type BarsRequest,
  type Clock,
  type Fill,
  type Journal,
  type JournalEntry,
  type JournalEntryInput,
  type JournalQuery,
  type JsonValue,
  type MarketData,
  type MarketDataCache,
  type Position,
  type Timeframe,
} from '@quantpipe/core';
import { sql, type Kysely } from 'kysely';
import * as alerts from './alert-queries';
import { toStorageError } from './db-errors';
import * as engineState from './engine-state-queries';
import * as journal from './journal-queries';
import * as marketData from './market-data-queries';
import { CorruptDatabaseError } from './open-errors';
import * as orderImport from './order-import';
import * as orders from './order-queries';
import * as portfolio from './portfolio-queries';
import * as positionSnapshots from './position-queries';
import type {
  AlertQuery,
  OrderQuery,
  OrderRecord,
  OrderUpdate,
  OrderWithFills,
  PortfolioSnapshot,
  RunInput,
  RunRecord,
  RunStart,
  SignalQuery,
  SignalRecord,
  StoredAlert,
} from './records';
import type { SnapshotScope } from './run-scope';
import * as runs from './run-queries';
import type { StorageSchema } from './schema';
import * as signals from './signal-queries';
import type { SqliteHandle, StorageContext } from './storage-context';
import type { StorageDialect } from './url';
import { writeTransaction } from './write-transaction';

/** The parts `openDatabase` assembles; not for direct use. */
export interface TradingDatabaseParts {
  /** Which engine `kysely` talks to. */
  readonly dialect: StorageDialect;
  /** A kysely instance on a migrated database. */
  readonly kysely: Kysely<StorageSchema>;
  /** The better-sqlite3 handle under `kysely`, for the SQLite fast paths. */
  readonly sqlite?: SqliteHandle;
  /** Time source for `updated_at` columns. */
  readonly clock: Clock;
  /** The schema version the migration reported. */
  readonly schemaVersion: number;
  /** Opened read-only (no migration ran; every write fails). */
  readonly readOnly?: boolean;
}

/**
 * The trading database over SQLite or PostgreSQL (same API, same behaviour). Implements the
 * core `Journal`, `MarketDataCache`, `MarketData` and `AlertSink` ports, plus typed access
 * to orders, fills, positions, portfolio snapshots, signals and runs. Create it with
 * `openDatabase`, release it with {@link TradingDatabase.close}.
 *
 * Every method validates its whole input before writing and writes in one transaction, so
 * bad input (typed `ValidationError`) or a refused write (`StorageError`,
 * `DuplicateKeyError`) leaves nothing partial behind.
 */
export class TradingDatabase implements Journal, MarketDataCache, MarketData, AlertSink {
  /** `sqlite` or `postgres`. */
  readonly dialect: StorageDialect;
  /** The schema version of the open database. */
  readonly schemaVersion: number;
  /** Whether the database was opened read-only (`readOnly`, `?mode=ro`, or the fallback). */
  readonly readOnly: boolean;
  /** Why a `readOnlyFallback` open ended read-only (the read-write failure), else undefined. */
  readOnlyReason: string | undefined;
  /**
   * The typed kysely instance, for read queries this API does not cover (reports). Writes
   * should go through the methods, which validate.
   */
  readonly kysely: Kysely<StorageSchema>;
  #context: StorageContext;
  readonly #parts: TradingDatabaseParts;
  #appendChain: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** Use `openDatabase`; this constructor takes an already migrated connection. */
  constructor(parts: TradingDatabaseParts) {
    this.dialect = parts.dialect;
    this.kysely = parts.kysely;
    this.#context = {
      dialect: parts.dialect,
      kysely: parts.kysely,
      sqlite: parts.sqlite,
      clock: parts.clock,
      statements: {},
    };
    this.#parts = parts;
    this.schemaVersion = parts.schemaVersion;
    this.readOnly = parts.readOnly ?? false;
    this.readOnlyReason = undefined;
  }

  /**
   * Runs `work` in one write transaction: every write made through the handle it receives
   * (the same API) commits together when `work` resolves, or not at all when it throws or the
   * process dies part-way. Use it for writes that must appear whole, such as a finished
   * backtest's run, snapshots, orders, signals and alerts. Inside, the handle's methods join
   * the transaction (a nested `transaction` call runs in the same one); the handle must not
   * be used after `work` settles, nor closed. What `work` throws is rethrown as is, after the
   * rollback. Other writers wait for the commit (SQLite takes the write lock at the start,
   * within the busy timeout).
   */
  async transaction<T>(work: (tx: TradingDatabase) => Promise<T>): Promise<T> {
    if (this.#context.inTransaction === true) return work(this);
    // What `work` throws reaches the caller unchanged (after the rollback); only failures of
    // the transaction itself (begin, commit) become typed storage errors.
    let thrown: { readonly error: unknown } | undefined;
    try {
      return await writeTransaction(this.#context, 'transaction', async (trx) => {
        const tx = new TradingDatabase({ ...this.#parts, kysely: trx });
        tx.#context = { ...this.#context, kysely: trx, inTransaction: true };
        try {
          return await work(tx);
        } catch (error) {
          thrown = { error };
          throw error;
        } finally {
          tx.#closed = true;
        }
      });
    } catch (error) {
      throw thrown === undefined ? error : thrown.error;
    }
  }

  /** Closes the connection (SQLite file or PostgreSQL pool). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#context.inTransaction === true)
      throw new StorageError('close() inside transaction(): the transaction owns the connection', {
        context: { operation: 'close' },
      });
    this.#closed = true;
    await this.#appendChain.catch(() => undefined);
    await this.kysely.destroy();
  }

  /**
   * Verifies the database file is sound (SQLite `PRAGMA integrity_check`); on PostgreSQL a
   * round trip. Throws a CorruptDatabaseError describing the damage otherwise (never a raw
   * driver error).
   */
  async checkIntegrity(): Promise<void> {
    if (this.dialect === 'sqlite') {
      let messages: string[];
      try {
        const result = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
          this.kysely,
        );
        messages = result.rows.map((row) => row.integrity_check);
      } catch (error) {
        // A file damaged badly enough fails the check itself (SQLITE_CORRUPT, SQLITE_NOTADB).
        const typed = toStorageError('SQLite integrity check', error);
        throw typed instanceof CorruptDatabaseError
          ? typed
          : new CorruptDatabaseError(typed.message, { cause: error, context: typed.context });
      }
      if (messages.length !== 1 || messages[0] !== 'ok') {
        throw new CorruptDatabaseError(`SQLite integrity check failed: ${messages.join('; ')}`, {
          context: { messages },
        });
      }
      return;
    }
    try {
      await sql`select 1`.execute(this.kysely);
    } catch (error) {
      throw toStorageError('integrity check', error);
    }
  }

  // ---------------------------------------------------------------- journal (core port)

  /**
   * Appends an engine event. Resolves with its sequence number once the entry is committed
   * (on SQLite with `synchronous=FULL`, fsynced). Appends from one process are serialised,
   * so `seq` order is commit order. The payload is stored as JSON text with a SHA-256
   * checksum over the whole entry, verified on every read.
   */
  async append(entry: JournalEntryInput): Promise<JournalEntry> {
    const write = journal.journalAppend(this.#context, entry);
    const result = this.#appendChain.then(write, write);
    this.#appendChain = result.catch(() => undefined);
    return result;
  }

  /**
   * Entries of a run in `seq` order, optionally filtered by kinds, client order id and
   * `afterSeq`. Each row's checksum is verified: a damaged row is a StorageError, never
   * replayed silently.
   */
  entries(query: JournalQuery): Promise<JournalEntry[]> {
    return journal.entries(this.#context, query);
  }

  /**
   * Saves (inserts or replaces) a named piece of a run's state as JSON; `json`, when given, is
   * `JSON.stringify(value)` already made by the caller.
   */
  saveState(runId: string, key: string, value: JsonValue, json?: string): Promise<void> {
    return engineState.saveState(this.#context, runId, key, value, json);
  }

  /** Loads state saved with {@link TradingDatabase.saveState}, or undefined. */
  loadState(runId: string, key: string): Promise<JsonValue | undefined> {
    return engineState.loadState(this.#context, runId, key);
  }

  // ---------------------------------------------------------------- market data (core ports)

  /**
   * Inserts or replaces bars of one timeframe, keyed by (symbol, timeframe, timestamp), in
   * one transaction. All bars are validated first (symbol, timestamp form of the timeframe,
   * finite prices > 0, finite volume >= 0): one bad bar and nothing is written. Bars with the
   * same key in one call: the last wins. Returns the number of bars written.
   *
   * SQLite runs one prepared statement per bar inside a single transaction (faster than
   * multi-row statements in better-sqlite3); PostgreSQL sends chunks of 10,000 rows as one
   * `INSERT ... SELECT FROM unnest(arrays)` each.
   */
  upsertBars(timeframe: Timeframe, bars: readonly Bar[]): Promise<number> {
    return marketData.upsertBars(this.#context, timeframe, bars);
  }

  /**
   * Bars of a symbol and timeframe with start <= timestamp <= end (end open when omitted),
   * ascending. Bounds may be dates or instants (normalised to the timeframe's form). A symbol
   * with no bars at all in this timeframe is a NotFoundError; a known symbol with nothing in
   * the range gives [].
   */
  getBars(request: BarsRequest): Promise<Bar[]> {
    return marketData.getBars(this.#context, request);
  }

  /** The most recent bar of a symbol (default timeframe `1Day`); NotFoundError if none. */
  getLatestBar(symbol: string, timeframe: Timeframe = '1Day'): Promise<Bar> {
    return marketData.getLatestBar(this.#context, symbol, timeframe);
  }

  /** Earliest and latest cached timestamps of a symbol, or undefined when none are cached. */
  getCoverage(
    symbol: string,
    timeframe: Timeframe,
  ): Promise<{ first: string; last: string } | undefined> {
    return marketData.getCoverage(this.#context, symbol, timeframe);
  }

  /** Symbols with cached bars in a timeframe, sorted. */
  listSymbols(timeframe: Timeframe): Promise<string[]> {
    return marketData.listSymbols(this.#context, timeframe);
  }

  // ---------------------------------------------------------------- orders and fills

  /**
   * Records a new order. A second order with the same client order id (or venue id) is a
   * {@link DuplicateKeyError}; the existing row is left untouched.
   */
  insertOrder(order: OrderRecord): Promise<void> {
    return orders.insertOrder(this.#context, order);
  }

  /**
   * Applies a status change (and venue id, fill totals, reason) to a stored order and returns
   * it. Unknown id: NotFoundError. A final order (filled, canceled, rejected, expired) cannot
   * change status, and filled quantity never decreases: StateError.
   */
  updateOrder(clientOrderId: string, update: OrderUpdate): Promise<OrderRecord> {
    return orders.updateOrder(this.#context, clientOrderId, update);
  }

  /** The order with this client order id; NotFoundError if there is none. */
  getOrder(clientOrderId: string): Promise<OrderRecord> {
    return orders.getOrder(this.#context, clientOrderId);
  }

  /** The order with this client order id, or undefined. */
  findOrder(clientOrderId: string): Promise<OrderRecord | undefined> {
    return orders.findOrder(this.#context, clientOrderId);
  }

  /** The order with this venue order id; NotFoundError if there is none. */
  getOrderByVenueId(id: string): Promise<OrderRecord> {
    return orders.getOrderByVenueId(this.#context, id);
  }

  /** Orders matching the filters, by submission time then client order id. */
  listOrders(query: OrderQuery = {}): Promise<OrderRecord[]> {
    return orders.listOrders(this.#context, query);
  }

  /**
   * Records an execution and folds it into its order (filled quantity, volume-weighted
   * average price, commission; status `filled` once complete, `partially_filled` before,
   * unless the order is already final). Idempotent on `fillId`: the same fill again changes
   * nothing; a different fill under a known id is a DuplicateKeyError. Unknown order:
   * NotFoundError. A fill beyond the order quantity, or of another symbol or side, is
   * refused. Returns the updated order.
   */
  recordFill(fill: Fill): Promise<OrderRecord> {
    return orders.recordFill(this.#context, fill);
  }

  /**
   * Stores finished orders with their fills in one transaction: a completed backtest's, or
   * history moved from another database. Each order is stored as `insertOrder` followed by
   * `recordFill` for each of its fills (in the order given) and, when the record's status
   * differs from the folded one, `updateOrder` would leave it: filled quantity, average price
   * and commission are folded from the fills and must agree with the record's
   * `filledQuantity`; status, reason and venue id come from the record. Everything is
   * validated before anything is written; a client order id or fill id already stored (or
   * repeated in the batch) is a {@link DuplicateKeyError} and nothing is written. Returns the
   * number of orders stored.
   */
  importOrders(entries: readonly OrderWithFills[]): Promise<number> {
    return orderImport.importOrders(this.#context, entries);
  }

  /** Fills, of one order when a client order id is given, by timestamp then fill id. */
  listFills(clientOrderId?: string): Promise<Fill[]> {
    return orders.listFills(this.#context, clientOrderId);
  }

  // ---------------------------------------------------------------- positions and portfolio

  /**
   * Stores the positions held at `timestamp` (ISO-8601 UTC), replacing any snapshot the same
   * run (`scope.runId`, default none) already stored at that instant. Quantities are signed
   * whole shares. An empty array stores an empty (flat) snapshot, which reads back as [].
   * Each snapshot gets the next sequence number: "latest" is the last written.
   */
  savePositions(
    timestamp: string,
    positions: readonly Position[],
    scope: SnapshotScope = {},
  ): Promise<void> {
    return positionSnapshots.savePositions(this.#context, timestamp, positions, scope);
  }

  /**
   * The positions snapshot stored at exactly `timestamp`, sorted by symbol ([] if none): the
   * run's (`scope.runId`), or without a run id the last one written at that instant.
   */
  getPositions(timestamp: string, scope: SnapshotScope = {}): Promise<Position[]> {
    return positionSnapshots.getPositions(this.#context, timestamp, scope);
  }

  /**
   * The last positions snapshot written (highest sequence, whatever its timestamp) by the run
   * `scope.runId`, or by any run without one; undefined when there is none.
   */
  getLatestPositions(
    scope: SnapshotScope = {},
  ): Promise<{ timestamp: string; positions: Position[] } | undefined> {
    return positionSnapshots.getLatestPositions(this.#context, scope);
  }

  /** Stores (inserts or replaces) a portfolio snapshot. */
  async savePortfolioSnapshot(snapshot: PortfolioSnapshot): Promise<void> {
    await this.savePortfolioSnapshots([snapshot]);
  }

  /**
   * Stores (inserts or replaces) portfolio snapshots in one transaction; all are validated
   * before any is written, and the last of a repeated (run, timestamp) wins. Each gets the next
   * sequence number, in the order given.
   */
  savePortfolioSnapshots(snapshots: readonly PortfolioSnapshot[]): Promise<void> {
    return portfolio.savePortfolioSnapshots(this.#context, snapshots);
  }

  /**
   * Portfolio snapshots with start <= timestamp <= end (both optional), of the run
   * `range.runId` (or every run), ascending by timestamp.
   */
  getPortfolioSnapshots(
    range: { start?: string; end?: string; runId?: string } = {},
  ): Promise<PortfolioSnapshot[]> {
    return portfolio.getPortfolioSnapshots(this.#context, range);
  }

  /**
   * The last portfolio snapshot written (highest sequence, whatever its timestamp) by the run
   * `scope.runId`, or by any run without one; undefined when there is none.
   */
  getLatestPortfolioSnapshot(scope: SnapshotScope = {}): Promise<PortfolioSnapshot | undefined> {
    return portfolio.getLatestPortfolioSnapshot(this.#context, scope);
  }

  // ---------------------------------------------------------------- signals

  /**
   * Inserts or replaces signal rows keyed by (timestamp, symbol), in one transaction.
   * Undefined signals are null; NaN or infinite values are refused (pass null instead).
   * Returns the number of rows written.
   */
  upsertSignals(records: readonly SignalRecord[]): Promise<number> {
    return signals.upsertSignals(this.#context, records);
  }

  /** Signal rows matching the filters, by timestamp then symbol. */
  getSignals(query: SignalQuery = {}): Promise<SignalRecord[]> {
    return signals.getSignals(this.#context, query);
  }

  // ---------------------------------------------------------------- alerts

  /**
   * Stores an alert and returns its id. The context is stored as JSON; values JSON cannot
   * hold (NaN, Infinity, bigint) are stored as strings rather than failing, since losing an
   * alert is worse than a stringified detail.
   */
  insertAlert(alert: Alert, scope: SnapshotScope = {}): Promise<number> {
    return alerts.insertAlert(this.#context, alert, scope);
  }

  /** `AlertSink`: stores the alert (see {@link TradingDatabase.insertAlert}). */
  async alert(alert: Alert): Promise<void> {
    await this.insertAlert(alert);
  }

  /** Alerts matching the filters, oldest first. */
  listAlerts(query: AlertQuery = {}): Promise<StoredAlert[]> {
    return alerts.listAlerts(this.#context, query);
  }

  // ---------------------------------------------------------------- runs

  /** Records a new run with status `running`. A known run id is a DuplicateKeyError. */
  createRun(run: RunInput): Promise<RunRecord> {
    return runs.createRun(this.#context, run);
  }

  /** Marks a run stopped or failed. Unknown run: NotFoundError. */
  finishRun(
    runId: string,
    finish: { stoppedAt: string; status: 'stopped' | 'failed' },
  ): Promise<RunRecord> {
    return runs.finishRun(this.#context, runId, finish);
  }

  /**
   * A process (re)starts the run: status `running` again (no stop time), this invocation's
   * mode and configuration, and a first heartbeat. Unknown run: NotFoundError.
   */
  markRunStarted(runId: string, start: RunStart): Promise<RunRecord> {
    return runs.markRunStarted(this.#context, runId, start);
  }

  /** The run's process is alive at `at`; it counts as lost after `expiresAt` without another. */
  recordHeartbeat(runId: string, beat: { at: string; expiresAt: string }): Promise<void> {
    return runs.recordHeartbeat(this.#context, runId, beat);
  }

  /** The run with this id; NotFoundError if there is none. */
  getRun(runId: string): Promise<RunRecord> {
    return runs.getRun(this.#context, runId);
  }

  /** All runs, oldest first. */
  listRuns(): Promise<RunRecord[]> {
    return runs.listRuns(this.#context);
  }
}
