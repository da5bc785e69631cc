import {
  NotFoundError,
  StateError,
  StorageError,
  ValidationError,
  isOrderOpen,
  type Alert,
  type AlertLevel,
  type AlertSink,
  type Bar,
  type BarsRequest,
  type Clock,
  type Fill,
  type Journal,
  type JournalEntry,
  type JournalEntryInput,
  type JournalEntryKind,
  type JournalQuery,
  type JsonValue,
  type MarketData,
  type MarketDataCache,
  type Position,
  type Timeframe,
} from '@quantpipe/core';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { PG_BAR_CHUNK_ROWS, unknownSymbol, upsertBarChunkPg, validateBar } from './bar-rows';
import { journalChecksum } from './checksum';
import { isUniqueViolation, toStorageError } from './db-errors';
import { DuplicateKeyError } from './errors';
import { CorruptDatabaseError } from './open-errors';
import { nextSnapshotSeq, scopeRunId, type SnapshotScope } from './run-scope';
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
import {
  ORDER_STATUSES,
  assertFillMatchesOrder,
  fillToRow,
  foldFill,
  rowToFill,
  rowToOrder,
  orderToRow,
  sameFill,
  selectOrder,
  validateFill,
  validateOrder,
  type OrderRow,
} from './order-rows';
import type { FillsTable, OrdersTable, PortfolioTable, StorageSchema } from './schema';
import { rowToPortfolio, rowToRun } from './snapshot-rows';
import type { StorageDialect } from './url';
import {
  TIMEFRAMES,
  assertBarTime,
  assertFiniteNumber,
  assertJsonValue,
  assertNonEmptyString,
  assertOneOf,
  assertOptionalFinite,
  assertPositivePrice,
  assertSymbol,
  assertTextSize,
  assertUtcInstant,
  assertWholeNumber,
  normaliseBound,
} from './validate';

/** Every journal entry kind of the core `Journal` port. */

/** Signal rows per INSERT statement in {@link TradingDatabase.upsertSignals}. */
const SIGNAL_ROWS_PER_STATEMENT = 500;

/**
 * Rows per statement for the bulk writes (at most 16 parameters a row: well under SQLite's
 * 32,766 and PostgreSQL's 65,535 bound parameters).
 */
const IMPORT_ROWS_PER_STATEMENT = 500;

/**
 * A DuplicateKeyError for the first of `orderIds` already in `orders`, else of `fillIds`
 * already in `fills`; undefined when all are free.
 */
async function findStoredKey(
  db: Kysely<StorageSchema> | Transaction<StorageSchema>,
  orderIds: ReadonlySet<string>,
  fillIds: ReadonlySet<string>,
  cause?: unknown,
): Promise<DuplicateKeyError | undefined> {
  const options = cause === undefined ? undefined : { cause };
  for (const ids of chunks([...orderIds], IMPORT_ROWS_PER_STATEMENT)) {
    const row = await db
      .selectFrom('orders')
      .select('client_order_id')
      .where('client_order_id', 'in', ids)
      .executeTakeFirst();
    if (row !== undefined) return new DuplicateKeyError('orders', row.client_order_id, options);
  }
  for (const ids of chunks([...fillIds], IMPORT_ROWS_PER_STATEMENT)) {
    const row = await db
      .selectFrom('fills')
      .select('fill_id')
      .where('fill_id', 'in', ids)
      .executeTakeFirst();
    if (row !== undefined) return new DuplicateKeyError('fills', row.fill_id, options);
  }
  return undefined;
}

/** Whether a driver error is SQLite's "database is locked" (SQLITE_BUSY and its variants). */
function isSqliteBusy(error: unknown): boolean {
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * `BEGIN IMMEDIATE` on one SQLite connection. SQLite's busy handler waits up to the busy
 * timeout for another process's write lock; a `SQLITE_BUSY` that still comes back (the handler
 * is not called in every case, e.g. during WAL recovery) is retried with a short backoff until
 * the busy timeout has passed, then fails loudly naming the operation and the wait.
 */
async function beginImmediate(db: Kysely<StorageSchema>, operation: string): Promise<void> {
  const startedMs = Date.now();
  let timeoutMs: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`begin immediate`.execute(db);
      return;
    } catch (error) {
      if (!isSqliteBusy(error)) throw error;
      timeoutMs ??= Number(
        (await sql<{ timeout: number }>`pragma busy_timeout`.execute(db)).rows[0]?.timeout ?? 0,
      );
      const waitedMs = Date.now() - startedMs;
      if (waitedMs >= timeoutMs) {
        throw new StorageError(
          `${operation} failed: the database is locked by another writer (waited ${waitedMs} ms, busy timeout ${timeoutMs} ms); nothing was written`,
          { cause: error, context: { operation, waitedMs, busyTimeoutMs: timeoutMs } },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, 5 * attempt)));
    }
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    out.push(items.slice(start, start + size));
  return out;
}

export const JOURNAL_ENTRY_KINDS: readonly JournalEntryKind[] = [
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
];

const ALERT_LEVELS: readonly AlertLevel[] = ['INFO', 'WARNING', 'CRITICAL'];

/**
 * The part of a better-sqlite3 `Database` the SQLite fast paths use (structural, so the
 * published types do not require better-sqlite3's type declarations).
 */
export interface SqliteHandle {
  /** Compiles a statement once for repeated runs. */
  prepare(source: string): SqliteStatement;
  /** Wraps `work` so that calling the result runs it in one transaction. */
  transaction(work: () => void): () => void;
}

/** A prepared better-sqlite3 statement, as far as {@link SqliteHandle} needs it. */
export interface SqliteStatement {
  /** Executes the statement with positional parameters. */
  run(...params: unknown[]): unknown;
}

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
  readonly #sqlite: SqliteHandle | undefined;
  readonly #clock: Clock;
  #appendChain: Promise<unknown> = Promise.resolve();
  #barUpsert: SqliteStatement | undefined;
  #orderInsert: SqliteStatement | undefined;
  #fillInsert: SqliteStatement | undefined;
  #signalUpsert: SqliteStatement | undefined;
  #closed = false;

  /** Use `openDatabase`; this constructor takes an already migrated connection. */
  constructor(parts: TradingDatabaseParts) {
    this.dialect = parts.dialect;
    this.kysely = parts.kysely;
    this.#sqlite = parts.sqlite;
    this.#clock = parts.clock;
    this.schemaVersion = parts.schemaVersion;
    this.readOnly = parts.readOnly ?? false;
    this.readOnlyReason = undefined;
  }

  /** Closes the connection (SQLite file or PostgreSQL pool). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
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
    assertNonEmptyString('entry.runId', entry.runId);
    assertWholeNumber('entry.cycle', entry.cycle, 0);
    assertOneOf('entry.kind', entry.kind, JOURNAL_ENTRY_KINDS);
    assertUtcInstant('entry.timestamp', entry.timestamp);
    if (entry.clientOrderId !== undefined)
      assertNonEmptyString('entry.clientOrderId', entry.clientOrderId);
    assertJsonValue('entry.payload', entry.payload);
    const payloadText = JSON.stringify(entry.payload);
    assertTextSize('entry.payload', payloadText);
    const clientOrderId = entry.clientOrderId ?? null;
    const checksum = journalChecksum({
      runId: entry.runId,
      cycle: entry.cycle,
      kind: entry.kind,
      timestamp: entry.timestamp,
      clientOrderId,
      payloadText,
    });
    const write = async (): Promise<JournalEntry> => {
      try {
        const row = await this.kysely
          .insertInto('journal')
          .values({
            run_id: entry.runId,
            cycle: entry.cycle,
            kind: entry.kind,
            timestamp: entry.timestamp,
            client_order_id: clientOrderId,
            payload: payloadText,
            checksum,
          })
          .returning('seq')
          .executeTakeFirstOrThrow();
        return {
          seq: Number(row.seq),
          runId: entry.runId,
          cycle: entry.cycle,
          kind: entry.kind,
          timestamp: entry.timestamp,
          ...(entry.clientOrderId === undefined ? {} : { clientOrderId: entry.clientOrderId }),
          payload: JSON.parse(payloadText) as JsonValue,
        };
      } catch (error) {
        throw toStorageError('journal append', error);
      }
    };
    const result = this.#appendChain.then(write, write);
    this.#appendChain = result.catch(() => undefined);
    return result;
  }

  /**
   * Entries of a run in `seq` order, optionally filtered by kinds, client order id and
   * `afterSeq`. Each row's checksum is verified: a damaged row is a StorageError, never
   * replayed silently.
   */
  async entries(query: JournalQuery): Promise<JournalEntry[]> {
    assertNonEmptyString('query.runId', query.runId);
    if (query.kinds !== undefined) {
      query.kinds.forEach((kind, i) => assertOneOf(`query.kinds[${i}]`, kind, JOURNAL_ENTRY_KINDS));
    }
    if (query.clientOrderId !== undefined)
      assertNonEmptyString('query.clientOrderId', query.clientOrderId);
    if (query.afterSeq !== undefined) assertWholeNumber('query.afterSeq', query.afterSeq, 0);
    try {
      let select = this.kysely.selectFrom('journal').selectAll().where('run_id', '=', query.runId);
      if (query.kinds !== undefined) {
        if (query.kinds.length === 0) return [];
        select = select.where('kind', 'in', [...query.kinds]);
      }
      if (query.clientOrderId !== undefined)
        select = select.where('client_order_id', '=', query.clientOrderId);
      if (query.afterSeq !== undefined) select = select.where('seq', '>', query.afterSeq);
      const rows = await select.orderBy('seq').execute();
      return rows.map((row) => {
        const seq = Number(row.seq);
        const expected = journalChecksum({
          runId: row.run_id,
          cycle: Number(row.cycle),
          kind: row.kind,
          timestamp: row.timestamp,
          clientOrderId: row.client_order_id,
          payloadText: row.payload,
        });
        if (expected !== row.checksum) {
          throw new StorageError(`journal entry ${seq} fails its checksum (damaged row)`, {
            context: { seq, runId: row.run_id },
          });
        }
        let payload: JsonValue;
        try {
          payload = JSON.parse(row.payload) as JsonValue;
        } catch (error) {
          throw new StorageError(`journal entry ${seq} holds unreadable JSON`, {
            cause: error,
            context: { seq },
          });
        }
        return {
          seq,
          runId: row.run_id,
          cycle: Number(row.cycle),
          kind: row.kind as JournalEntryKind,
          timestamp: row.timestamp,
          ...(row.client_order_id === null ? {} : { clientOrderId: row.client_order_id }),
          payload,
        };
      });
    } catch (error) {
      throw toStorageError('journal read', error);
    }
  }

  /**
   * Saves (inserts or replaces) a named piece of a run's state as JSON; `json`, when given, is
   * `JSON.stringify(value)` already made by the caller.
   */
  async saveState(runId: string, key: string, value: JsonValue, json?: string): Promise<void> {
    assertNonEmptyString('runId', runId);
    assertNonEmptyString('key', key);
    assertJsonValue('value', value);
    const text = json ?? JSON.stringify(value);
    assertTextSize('value', text);
    const updatedAt = this.#now();
    try {
      await this.kysely
        .insertInto('engine_state')
        .values({ run_id: runId, key, value: text, updated_at: updatedAt })
        .onConflict((oc) =>
          oc.columns(['run_id', 'key']).doUpdateSet({ value: text, updated_at: updatedAt }),
        )
        .execute();
    } catch (error) {
      throw toStorageError('saveState', error);
    }
  }

  /** Loads state saved with {@link TradingDatabase.saveState}, or undefined. */
  async loadState(runId: string, key: string): Promise<JsonValue | undefined> {
    assertNonEmptyString('runId', runId);
    assertNonEmptyString('key', key);
    try {
      const row = await this.kysely
        .selectFrom('engine_state')
        .select('value')
        .where('run_id', '=', runId)
        .where('key', '=', key)
        .executeTakeFirst();
      return row === undefined ? undefined : (JSON.parse(row.value) as JsonValue);
    } catch (error) {
      throw toStorageError('loadState', error);
    }
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
  async upsertBars(timeframe: Timeframe, bars: readonly Bar[]): Promise<number> {
    assertOneOf('timeframe', timeframe, TIMEFRAMES);
    if (!Array.isArray(bars)) throw new ValidationError('bars', 'expected an array of bars');
    for (let i = 0; i < bars.length; i++) validateBar(bars[i] as Bar, i, timeframe);
    if (bars.length === 0) return 0;
    try {
      if (this.#sqlite !== undefined) {
        const sqlite = this.#sqlite;
        await this.kysely.connection().execute(() => {
          // Holding kysely's connection: no kysely transaction can interleave with this one.
          this.#barUpsert ??= sqlite.prepare(
            `insert into market_data (symbol, timeframe, timestamp, open, high, low, close, volume)
             values (?, ?, ?, ?, ?, ?, ?, ?)
             on conflict (symbol, timeframe, timestamp) do update set
               open = excluded.open, high = excluded.high, low = excluded.low,
               close = excluded.close, volume = excluded.volume`,
          );
          const statement = this.#barUpsert;
          sqlite.transaction(() => {
            for (const bar of bars) {
              statement.run(
                bar.symbol,
                timeframe,
                bar.timestamp,
                bar.open,
                bar.high,
                bar.low,
                bar.close,
                bar.volume,
              );
            }
          })();
          return Promise.resolve();
        });
      } else {
        await this.kysely.transaction().execute(async (trx) => {
          for (let from = 0; from < bars.length; from += PG_BAR_CHUNK_ROWS) {
            await upsertBarChunkPg(trx, timeframe, bars.slice(from, from + PG_BAR_CHUNK_ROWS));
          }
        });
      }
    } catch (error) {
      throw toStorageError('upsertBars', error);
    }
    return bars.length;
  }

  /**
   * Bars of a symbol and timeframe with start <= timestamp <= end (end open when omitted),
   * ascending. Bounds may be dates or instants (normalised to the timeframe's form). A symbol
   * with no bars at all in this timeframe is a NotFoundError; a known symbol with nothing in
   * the range gives [].
   */
  async getBars(request: BarsRequest): Promise<Bar[]> {
    assertSymbol('request.symbol', request.symbol);
    assertOneOf('request.timeframe', request.timeframe, TIMEFRAMES);
    const start = normaliseBound('request.start', request.start, request.timeframe, 'start');
    const end =
      request.end === undefined
        ? undefined
        : normaliseBound('request.end', request.end, request.timeframe, 'end');
    let rows: Bar[];
    try {
      let select = this.kysely
        .selectFrom('market_data')
        .select(['symbol', 'timestamp', 'open', 'high', 'low', 'close', 'volume'])
        .where('symbol', '=', request.symbol)
        .where('timeframe', '=', request.timeframe)
        .where('timestamp', '>=', start);
      if (end !== undefined) select = select.where('timestamp', '<=', end);
      rows = await select.orderBy('timestamp').execute();
    } catch (error) {
      throw toStorageError('getBars', error);
    }
    if (rows.length === 0) await this.#assertSymbolKnown(request.symbol, request.timeframe);
    return rows;
  }

  /** The most recent bar of a symbol (default timeframe `1Day`); NotFoundError if none. */
  async getLatestBar(symbol: string, timeframe: Timeframe = '1Day'): Promise<Bar> {
    assertSymbol('symbol', symbol);
    assertOneOf('timeframe', timeframe, TIMEFRAMES);
    let row: Bar | undefined;
    try {
      row = await this.kysely
        .selectFrom('market_data')
        .select(['symbol', 'timestamp', 'open', 'high', 'low', 'close', 'volume'])
        .where('symbol', '=', symbol)
        .where('timeframe', '=', timeframe)
        .orderBy('timestamp', 'desc')
        .limit(1)
        .executeTakeFirst();
    } catch (error) {
      throw toStorageError('getLatestBar', error);
    }
    if (row === undefined) throw unknownSymbol(symbol, timeframe);
    return row;
  }

  /** Earliest and latest cached timestamps of a symbol, or undefined when none are cached. */
  async getCoverage(
    symbol: string,
    timeframe: Timeframe,
  ): Promise<{ first: string; last: string } | undefined> {
    assertSymbol('symbol', symbol);
    assertOneOf('timeframe', timeframe, TIMEFRAMES);
    try {
      const row = await this.kysely
        .selectFrom('market_data')
        .select((eb) => [eb.fn.min('timestamp').as('first'), eb.fn.max('timestamp').as('last')])
        .where('symbol', '=', symbol)
        .where('timeframe', '=', timeframe)
        .executeTakeFirst();
      if (row === undefined || row.first === null || row.last === null) return undefined;
      return { first: String(row.first), last: String(row.last) };
    } catch (error) {
      throw toStorageError('getCoverage', error);
    }
  }

  /** Symbols with cached bars in a timeframe, sorted. */
  async listSymbols(timeframe: Timeframe): Promise<string[]> {
    assertOneOf('timeframe', timeframe, TIMEFRAMES);
    try {
      const rows = await this.kysely
        .selectFrom('market_data')
        .select('symbol')
        .distinct()
        .where('timeframe', '=', timeframe)
        .orderBy('symbol')
        .execute();
      return rows.map((row) => row.symbol);
    } catch (error) {
      throw toStorageError('listSymbols', error);
    }
  }

  async #assertSymbolKnown(symbol: string, timeframe: Timeframe): Promise<void> {
    let known: unknown;
    try {
      known = await this.kysely
        .selectFrom('market_data')
        .select('symbol')
        .where('symbol', '=', symbol)
        .where('timeframe', '=', timeframe)
        .limit(1)
        .executeTakeFirst();
    } catch (error) {
      throw toStorageError('getBars', error);
    }
    if (known === undefined) throw unknownSymbol(symbol, timeframe);
  }

  // ---------------------------------------------------------------- orders and fills

  /**
   * Records a new order. A second order with the same client order id (or venue id) is a
   * {@link DuplicateKeyError}; the existing row is left untouched.
   */
  async insertOrder(order: OrderRecord): Promise<void> {
    validateOrder(order);
    await this.#transaction('insertOrder', async (trx) => {
      const existing = await trx
        .selectFrom('orders')
        .select('client_order_id')
        .where('client_order_id', '=', order.clientOrderId)
        .executeTakeFirst();
      if (existing !== undefined) throw new DuplicateKeyError('orders', order.clientOrderId);
      try {
        await trx.insertInto('orders').values(orderToRow(order)).execute();
      } catch (error) {
        // The client id was free, so the clash is on the venue's order id.
        if (isUniqueViolation(error))
          throw new DuplicateKeyError('orders', order.id ?? '', { cause: error });
        throw error;
      }
    });
  }

  /**
   * Applies a status change (and venue id, fill totals, reason) to a stored order and returns
   * it. Unknown id: NotFoundError. A final order (filled, canceled, rejected, expired) cannot
   * change status, and filled quantity never decreases: StateError.
   */
  async updateOrder(clientOrderId: string, update: OrderUpdate): Promise<OrderRecord> {
    assertNonEmptyString('clientOrderId', clientOrderId);
    assertOneOf('update.status', update.status, ORDER_STATUSES);
    assertUtcInstant('update.updatedAt', update.updatedAt);
    if (update.id !== undefined) assertNonEmptyString('update.id', update.id);
    if (update.filledQuantity !== undefined)
      assertWholeNumber('update.filledQuantity', update.filledQuantity, 0);
    if (update.filledAvgPriceUsd !== undefined)
      assertPositivePrice('update.filledAvgPriceUsd', update.filledAvgPriceUsd);
    assertOptionalFinite('update.commissionUsd', update.commissionUsd);
    if (update.reason !== undefined && typeof update.reason !== 'string') {
      throw new ValidationError('update.reason', 'expected a string');
    }
    return this.#transaction('updateOrder', async (trx) => {
      const row = await selectOrder(trx, clientOrderId, this.dialect === 'postgres');
      if (row === undefined)
        throw new NotFoundError(`order ${clientOrderId} is not in the database`, {
          context: { clientOrderId },
        });
      const current = rowToOrder(row);
      if (!isOrderOpen(current.status) && update.status !== current.status) {
        throw new StateError(
          `order ${clientOrderId} is ${current.status} (final) and cannot become ${update.status}`,
          { context: { clientOrderId, status: current.status, requested: update.status } },
        );
      }
      const filled = update.filledQuantity ?? current.filledQuantity;
      if (filled < current.filledQuantity) {
        throw new StateError(
          `order ${clientOrderId}: filled quantity cannot decrease (${current.filledQuantity} -> ${filled})`,
          { context: { clientOrderId } },
        );
      }
      if (filled > current.quantity) {
        throw new ValidationError(
          'update.filledQuantity',
          `${filled} exceeds the order quantity ${current.quantity}`,
        );
      }
      try {
        await trx
          .updateTable('orders')
          .set({
            status: update.status,
            updated_at: update.updatedAt,
            filled_qty: filled,
            ...(update.id === undefined ? {} : { order_id: update.id }),
            ...(update.filledAvgPriceUsd === undefined
              ? {}
              : { filled_avg_price: update.filledAvgPriceUsd }),
            ...(update.commissionUsd === undefined ? {} : { commission: update.commissionUsd }),
            ...(update.reason === undefined ? {} : { reason: update.reason }),
          })
          .where('client_order_id', '=', clientOrderId)
          .execute();
      } catch (error) {
        if (isUniqueViolation(error))
          throw new DuplicateKeyError('orders', update.id ?? '', { cause: error });
        throw error;
      }
      return rowToOrder((await selectOrder(trx, clientOrderId)) as OrderRow);
    });
  }

  /** The order with this client order id; NotFoundError if there is none. */
  async getOrder(clientOrderId: string): Promise<OrderRecord> {
    const order = await this.findOrder(clientOrderId);
    if (order === undefined)
      throw new NotFoundError(`order ${clientOrderId} is not in the database`, {
        context: { clientOrderId },
      });
    return order;
  }

  /** The order with this client order id, or undefined. */
  async findOrder(clientOrderId: string): Promise<OrderRecord | undefined> {
    assertNonEmptyString('clientOrderId', clientOrderId);
    try {
      const row = await selectOrder(this.kysely, clientOrderId);
      return row === undefined ? undefined : rowToOrder(row);
    } catch (error) {
      throw toStorageError('findOrder', error);
    }
  }

  /** The order with this venue order id; NotFoundError if there is none. */
  async getOrderByVenueId(id: string): Promise<OrderRecord> {
    assertNonEmptyString('id', id);
    let row: OrderRow | undefined;
    try {
      row = await this.kysely
        .selectFrom('orders')
        .selectAll()
        .where('order_id', '=', id)
        .executeTakeFirst();
    } catch (error) {
      throw toStorageError('getOrderByVenueId', error);
    }
    if (row === undefined)
      throw new NotFoundError(`no order with venue id ${id}`, { context: { id } });
    return rowToOrder(row);
  }

  /** Orders matching the filters, by submission time then client order id. */
  async listOrders(query: OrderQuery = {}): Promise<OrderRecord[]> {
    if (query.runId !== undefined) assertNonEmptyString('query.runId', query.runId);
    if (query.symbol !== undefined) assertSymbol('query.symbol', query.symbol);
    query.statuses?.forEach((status, i) =>
      assertOneOf(`query.statuses[${i}]`, status, ORDER_STATUSES),
    );
    if (query.statuses !== undefined && query.statuses.length === 0) return [];
    try {
      let select = this.kysely.selectFrom('orders').selectAll();
      if (query.runId !== undefined) select = select.where('run_id', '=', query.runId);
      if (query.symbol !== undefined) select = select.where('symbol', '=', query.symbol);
      if (query.statuses !== undefined) select = select.where('status', 'in', [...query.statuses]);
      const rows = await select.orderBy('timestamp').orderBy('client_order_id').execute();
      return rows.map(rowToOrder);
    } catch (error) {
      throw toStorageError('listOrders', error);
    }
  }

  /**
   * Records an execution and folds it into its order (filled quantity, volume-weighted
   * average price, commission; status `filled` once complete, `partially_filled` before,
   * unless the order is already final). Idempotent on `fillId`: the same fill again changes
   * nothing; a different fill under a known id is a DuplicateKeyError. Unknown order:
   * NotFoundError. A fill beyond the order quantity, or of another symbol or side, is
   * refused. Returns the updated order.
   */
  async recordFill(fill: Fill): Promise<OrderRecord> {
    validateFill(fill);
    return this.#transaction('recordFill', async (trx) => {
      const row = await selectOrder(trx, fill.clientOrderId, this.dialect === 'postgres');
      if (row === undefined) {
        throw new NotFoundError(
          `fill ${fill.fillId}: order ${fill.clientOrderId} is not in the database`,
          {
            context: { fillId: fill.fillId, clientOrderId: fill.clientOrderId },
          },
        );
      }
      const order = rowToOrder(row);
      const existing = await trx
        .selectFrom('fills')
        .selectAll()
        .where('fill_id', '=', fill.fillId)
        .executeTakeFirst();
      if (existing !== undefined) {
        if (sameFill(rowToFill(existing), fill)) return order;
        throw new DuplicateKeyError('fills', fill.fillId);
      }
      const folded = foldFill(order, fill);
      await trx.insertInto('fills').values(fillToRow(fill)).execute();
      await trx
        .updateTable('orders')
        .set({
          filled_qty: folded.filledQuantity,
          filled_avg_price: folded.filledAvgPriceUsd ?? null,
          commission: folded.commissionUsd ?? null,
          status: folded.status,
          updated_at: folded.updatedAt,
          ...(order.id === undefined ? { order_id: fill.orderId } : {}),
        })
        .where('client_order_id', '=', order.clientOrderId)
        .execute();
      return rowToOrder((await selectOrder(trx, order.clientOrderId)) as OrderRow);
    });
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
  async importOrders(entries: readonly OrderWithFills[]): Promise<number> {
    if (!Array.isArray(entries)) throw new ValidationError('entries', 'expected an array');
    const orderRows: OrdersTable[] = [];
    const fillRows: FillsTable[] = [];
    const orderIds = new Set<string>();
    const fillIds = new Set<string>();
    entries.forEach(({ order, fills }: OrderWithFills, i: number) => {
      validateOrder(order);
      if (orderIds.has(order.clientOrderId))
        throw new DuplicateKeyError('orders', order.clientOrderId);
      orderIds.add(order.clientOrderId);
      // Folded as insertOrder then recordFill would (see foldFill), in locals: one row per order.
      let filled = 0;
      let avgPriceUsd = 0;
      let commissionUsd = 0;
      let venueId = order.id;
      let updatedAt = order.submittedAt;
      fills.forEach((fill: Fill, j: number) => {
        const at = `entries[${i}].fills[${j}]`;
        validateFill(fill, at);
        if (fill.clientOrderId !== order.clientOrderId) {
          throw new ValidationError(
            `${at}.clientOrderId`,
            `${fill.clientOrderId} does not match order ${order.clientOrderId}`,
          );
        }
        if (fillIds.has(fill.fillId)) throw new DuplicateKeyError('fills', fill.fillId);
        fillIds.add(fill.fillId);
        assertFillMatchesOrder(order, fill, filled);
        const total = filled + fill.quantity;
        avgPriceUsd = (avgPriceUsd * filled + fill.priceUsd * fill.quantity) / total;
        filled = total;
        commissionUsd += fill.commissionUsd;
        venueId ??= fill.orderId;
        if (fill.timestamp > updatedAt) updatedAt = fill.timestamp;
        fillRows.push(fillToRow(fill));
      });
      if (filled !== order.filledQuantity) {
        throw new ValidationError(
          `entries[${i}].order.filledQuantity`,
          `${order.filledQuantity} disagrees with its fills (${filled} shares)`,
        );
      }
      const row = orderToRow(order);
      row.order_id = venueId ?? null;
      row.filled_qty = filled;
      row.filled_avg_price = fills.length > 0 ? avgPriceUsd : null;
      row.commission = fills.length > 0 ? commissionUsd : null;
      if (updatedAt > order.updatedAt) row.updated_at = updatedAt;
      orderRows.push(row);
    });
    if (orderRows.length === 0) return 0;
    if (this.#sqlite !== undefined) {
      await this.#importOrdersSqlite(this.#sqlite, orderRows, fillRows, orderIds, fillIds);
      return orderRows.length;
    }
    await this.#transaction('importOrders', async (trx) => {
      const clash = await findStoredKey(trx, orderIds, fillIds);
      if (clash !== undefined) throw clash;
      try {
        for (const rows of chunks(orderRows, IMPORT_ROWS_PER_STATEMENT))
          await trx.insertInto('orders').values(rows).execute();
      } catch (error) {
        // The client ids were free, so the clash is on a venue order id.
        if (isUniqueViolation(error)) throw new DuplicateKeyError('orders', '', { cause: error });
        throw error;
      }
      for (const rows of chunks(fillRows, IMPORT_ROWS_PER_STATEMENT))
        await trx.insertInto('fills').values(rows).execute();
    });
    return orderRows.length;
  }

  /** Fills, of one order when a client order id is given, by timestamp then fill id. */
  async listFills(clientOrderId?: string): Promise<Fill[]> {
    if (clientOrderId !== undefined) assertNonEmptyString('clientOrderId', clientOrderId);
    try {
      let select = this.kysely.selectFrom('fills').selectAll();
      if (clientOrderId !== undefined) select = select.where('client_order_id', '=', clientOrderId);
      const rows = await select.orderBy('timestamp').orderBy('fill_id').execute();
      return rows.map(rowToFill);
    } catch (error) {
      throw toStorageError('listFills', error);
    }
  }

  // ---------------------------------------------------------------- positions and portfolio

  /**
   * Stores the positions held at `timestamp` (ISO-8601 UTC), replacing any snapshot the same
   * run (`scope.runId`, default none) already stored at that instant. Quantities are signed
   * whole shares. An empty array stores an empty (flat) snapshot, which reads back as [].
   * Each snapshot gets the next sequence number: "latest" is the last written.
   */
  async savePositions(
    timestamp: string,
    positions: readonly Position[],
    scope: SnapshotScope = {},
  ): Promise<void> {
    assertUtcInstant('timestamp', timestamp);
    const runId = scopeRunId(scope);
    if (!Array.isArray(positions)) throw new ValidationError('positions', 'expected an array');
    const seen = new Set<string>();
    positions.forEach((p, i) => {
      assertSymbol(`positions[${i}].symbol`, p.symbol);
      if (seen.has(p.symbol))
        throw new ValidationError(`positions[${i}].symbol`, `${p.symbol} appears twice`);
      seen.add(p.symbol);
      assertWholeNumber(`positions[${i}].quantity`, p.quantity, Number.MIN_SAFE_INTEGER);
      assertFiniteNumber(`positions[${i}].avgEntryPriceUsd`, p.avgEntryPriceUsd);
      assertFiniteNumber(`positions[${i}].currentPriceUsd`, p.currentPriceUsd);
      assertFiniteNumber(`positions[${i}].marketValueUsd`, p.marketValueUsd);
      assertFiniteNumber(`positions[${i}].unrealizedPnlUsd`, p.unrealizedPnlUsd);
    });
    await this.#transaction('savePositions', async (trx) => {
      const seq = await nextSnapshotSeq(trx, 'positions');
      await trx
        .deleteFrom('positions')
        .where('run_id', '=', runId)
        .where('timestamp', '=', timestamp)
        .execute();
      // A flat book is stored as a marker row with an empty symbol, so "latest snapshot"
      // can tell "no positions" from "no snapshot".
      const rows =
        positions.length === 0
          ? [
              {
                run_id: runId,
                timestamp,
                seq,
                symbol: '',
                quantity: 0,
                avg_entry_price: 0,
                current_price: 0,
                market_value: 0,
                unrealized_pnl: 0,
              },
            ]
          : positions.map((p) => ({
              run_id: runId,
              timestamp,
              seq,
              symbol: p.symbol,
              quantity: p.quantity,
              avg_entry_price: p.avgEntryPriceUsd,
              current_price: p.currentPriceUsd,
              market_value: p.marketValueUsd,
              unrealized_pnl: p.unrealizedPnlUsd,
            }));
      await trx.insertInto('positions').values(rows).execute();
    });
  }

  /**
   * The positions snapshot stored at exactly `timestamp`, sorted by symbol ([] if none): the
   * run's (`scope.runId`), or without a run id the last one written at that instant.
   */
  async getPositions(timestamp: string, scope: SnapshotScope = {}): Promise<Position[]> {
    assertUtcInstant('timestamp', timestamp);
    if (scope.runId !== undefined) assertNonEmptyString('scope.runId', scope.runId);
    try {
      let latest = this.kysely
        .selectFrom('positions')
        .select('seq')
        .where('timestamp', '=', timestamp);
      if (scope.runId !== undefined) latest = latest.where('run_id', '=', scope.runId);
      const head = await latest.orderBy('seq', 'desc').limit(1).executeTakeFirst();
      if (head === undefined) return [];
      const rows = await this.kysely
        .selectFrom('positions')
        .selectAll()
        .where('seq', '=', head.seq)
        .where('timestamp', '=', timestamp)
        .where('symbol', '!=', '')
        .orderBy('symbol')
        .execute();
      return rows.map((row) => ({
        symbol: row.symbol,
        quantity: Number(row.quantity),
        avgEntryPriceUsd: row.avg_entry_price,
        currentPriceUsd: row.current_price,
        marketValueUsd: row.market_value,
        unrealizedPnlUsd: row.unrealized_pnl,
      }));
    } catch (error) {
      throw toStorageError('getPositions', error);
    }
  }

  /**
   * The last positions snapshot written (highest sequence, whatever its timestamp) by the run
   * `scope.runId`, or by any run without one; undefined when there is none.
   */
  async getLatestPositions(
    scope: SnapshotScope = {},
  ): Promise<{ timestamp: string; positions: Position[] } | undefined> {
    if (scope.runId !== undefined) assertNonEmptyString('scope.runId', scope.runId);
    let head: { timestamp: string; run_id: string } | undefined;
    try {
      let select = this.kysely.selectFrom('positions').select(['timestamp', 'run_id']);
      if (scope.runId !== undefined) select = select.where('run_id', '=', scope.runId);
      head = await select.orderBy('seq', 'desc').limit(1).executeTakeFirst();
    } catch (error) {
      throw toStorageError('getLatestPositions', error);
    }
    if (head === undefined) return undefined;
    return {
      timestamp: head.timestamp,
      positions: await this.getPositions(head.timestamp, { runId: head.run_id || undefined }),
    };
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
  async savePortfolioSnapshots(snapshots: readonly PortfolioSnapshot[]): Promise<void> {
    if (!Array.isArray(snapshots)) throw new ValidationError('snapshots', 'expected an array');
    const latest = new Map<string, Omit<PortfolioTable, 'seq'>>();
    snapshots.forEach((snapshot: PortfolioSnapshot, i: number) => {
      const at = snapshots.length === 1 ? 'snapshot' : `snapshots[${i}]`;
      assertUtcInstant(`${at}.timestamp`, snapshot.timestamp);
      assertFiniteNumber(`${at}.cashUsd`, snapshot.cashUsd);
      assertFiniteNumber(`${at}.portfolioValueUsd`, snapshot.portfolioValueUsd);
      assertFiniteNumber(`${at}.equityUsd`, snapshot.equityUsd);
      assertFiniteNumber(`${at}.buyingPowerUsd`, snapshot.buyingPowerUsd);
      assertOptionalFinite(`${at}.dailyPnlUsd`, snapshot.dailyPnlUsd);
      assertOptionalFinite(`${at}.totalPnlUsd`, snapshot.totalPnlUsd);
      if (snapshot.runId !== undefined) assertNonEmptyString(`${at}.runId`, snapshot.runId);
      const runId = snapshot.runId ?? '';
      const mapKey = `${runId}\u0000${snapshot.timestamp}`;
      latest.delete(mapKey);
      latest.set(mapKey, {
        run_id: runId,
        timestamp: snapshot.timestamp,
        cash: snapshot.cashUsd,
        portfolio_value: snapshot.portfolioValueUsd,
        equity: snapshot.equityUsd,
        buying_power: snapshot.buyingPowerUsd,
        daily_pnl: snapshot.dailyPnlUsd ?? null,
        total_pnl: snapshot.totalPnlUsd ?? null,
      });
    });
    if (latest.size === 0) return;
    await this.#transaction('savePortfolioSnapshot', async (trx) => {
      const base = await nextSnapshotSeq(trx, 'portfolio');
      const sequenced = [...latest.values()].map((row, i) => ({ ...row, seq: base + i }));
      for (const rows of chunks(sequenced, IMPORT_ROWS_PER_STATEMENT)) {
        await trx
          .insertInto('portfolio')
          .values(rows)
          .onConflict((oc) =>
            oc.columns(['run_id', 'timestamp']).doUpdateSet((eb) => ({
              seq: eb.ref('excluded.seq'),
              cash: eb.ref('excluded.cash'),
              portfolio_value: eb.ref('excluded.portfolio_value'),
              equity: eb.ref('excluded.equity'),
              buying_power: eb.ref('excluded.buying_power'),
              daily_pnl: eb.ref('excluded.daily_pnl'),
              total_pnl: eb.ref('excluded.total_pnl'),
            })),
          )
          .execute();
      }
    });
  }

  /**
   * Portfolio snapshots with start <= timestamp <= end (both optional), of the run
   * `range.runId` (or every run), ascending by timestamp.
   */
  async getPortfolioSnapshots(
    range: { start?: string; end?: string; runId?: string } = {},
  ): Promise<PortfolioSnapshot[]> {
    if (range.start !== undefined) assertUtcInstant('range.start', range.start);
    if (range.end !== undefined) assertUtcInstant('range.end', range.end);
    if (range.runId !== undefined) assertNonEmptyString('range.runId', range.runId);
    try {
      let select = this.kysely.selectFrom('portfolio').selectAll();
      if (range.runId !== undefined) select = select.where('run_id', '=', range.runId);
      if (range.start !== undefined) select = select.where('timestamp', '>=', range.start);
      if (range.end !== undefined) select = select.where('timestamp', '<=', range.end);
      return (await select.orderBy('timestamp').orderBy('seq').execute()).map(rowToPortfolio);
    } catch (error) {
      throw toStorageError('getPortfolioSnapshots', error);
    }
  }

  /**
   * The last portfolio snapshot written (highest sequence, whatever its timestamp) by the run
   * `scope.runId`, or by any run without one; undefined when there is none.
   */
  async getLatestPortfolioSnapshot(
    scope: SnapshotScope = {},
  ): Promise<PortfolioSnapshot | undefined> {
    if (scope.runId !== undefined) assertNonEmptyString('scope.runId', scope.runId);
    try {
      let select = this.kysely.selectFrom('portfolio').selectAll();
      if (scope.runId !== undefined) select = select.where('run_id', '=', scope.runId);
      const row = await select.orderBy('seq', 'desc').limit(1).executeTakeFirst();
      return row === undefined ? undefined : rowToPortfolio(row);
    } catch (error) {
      throw toStorageError('getLatestPortfolioSnapshot', error);
    }
  }

  // ---------------------------------------------------------------- signals

  /**
   * Inserts or replaces signal rows keyed by (timestamp, symbol), in one transaction.
   * Undefined signals are null; NaN or infinite values are refused (pass null instead).
   * Returns the number of rows written.
   */
  async upsertSignals(records: readonly SignalRecord[]): Promise<number> {
    if (!Array.isArray(records)) throw new ValidationError('records', 'expected an array');
    records.forEach((r, i) => {
      assertBarTime(`records[${i}].timestamp`, r.timestamp);
      assertSymbol(`records[${i}].symbol`, r.symbol);
      for (const field of [
        'composite',
        'volatility',
        'momentum',
        'tailRisk',
        'beta',
        'carry',
      ] as const) {
        const value = r[field];
        if (value !== null) {
          if (typeof value !== 'number' || !Number.isFinite(value)) {
            throw new ValidationError(
              `records[${i}].${field}`,
              `expected a finite number or null, got ${String(value)}`,
            );
          }
        }
      }
    });
    if (records.length === 0) return 0;
    // Last record wins for a repeated (timestamp, symbol), as one upsert after another would;
    // PostgreSQL also refuses to touch the same row twice in one statement.
    const latest = new Map<string, SignalRecord>();
    for (const r of records) latest.set(`${r.timestamp}\u0000${r.symbol}`, r);
    const rows = [...latest.values()].map((r) => ({
      timestamp: r.timestamp,
      symbol: r.symbol,
      composite_signal: r.composite,
      volatility_signal: r.volatility,
      momentum_signal: r.momentum,
      tail_risk_signal: r.tailRisk,
      beta_signal: r.beta,
      carry_signal: r.carry,
    }));
    if (this.#sqlite !== undefined) {
      const sqlite = this.#sqlite;
      try {
        await this.kysely.connection().execute(() => {
          this.#signalUpsert ??= sqlite.prepare(
            `insert into signals (timestamp, symbol, composite_signal, volatility_signal,
               momentum_signal, tail_risk_signal, beta_signal, carry_signal)
             values (?, ?, ?, ?, ?, ?, ?, ?)
             on conflict (timestamp, symbol) do update set
               composite_signal = excluded.composite_signal,
               volatility_signal = excluded.volatility_signal,
               momentum_signal = excluded.momentum_signal,
               tail_risk_signal = excluded.tail_risk_signal,
               beta_signal = excluded.beta_signal,
               carry_signal = excluded.carry_signal`,
          );
          const statement = this.#signalUpsert;
          sqlite.transaction(() => {
            for (const r of rows) {
              statement.run(
                r.timestamp,
                r.symbol,
                r.composite_signal,
                r.volatility_signal,
                r.momentum_signal,
                r.tail_risk_signal,
                r.beta_signal,
                r.carry_signal,
              );
            }
          })();
          return Promise.resolve();
        });
      } catch (error) {
        throw toStorageError('upsertSignals', error);
      }
      return records.length;
    }
    await this.#transaction('upsertSignals', async (trx) => {
      // Multi-row statements (8 parameters a row, well under both engines' limits).
      for (let start = 0; start < rows.length; start += SIGNAL_ROWS_PER_STATEMENT) {
        await trx
          .insertInto('signals')
          .values(rows.slice(start, start + SIGNAL_ROWS_PER_STATEMENT))
          .onConflict((oc) =>
            oc.columns(['timestamp', 'symbol']).doUpdateSet((eb) => ({
              composite_signal: eb.ref('excluded.composite_signal'),
              volatility_signal: eb.ref('excluded.volatility_signal'),
              momentum_signal: eb.ref('excluded.momentum_signal'),
              tail_risk_signal: eb.ref('excluded.tail_risk_signal'),
              beta_signal: eb.ref('excluded.beta_signal'),
              carry_signal: eb.ref('excluded.carry_signal'),
            })),
          )
          .execute();
      }
    });
    return records.length;
  }

  /** Signal rows matching the filters, by timestamp then symbol. */
  async getSignals(query: SignalQuery = {}): Promise<SignalRecord[]> {
    if (query.symbol !== undefined) assertSymbol('query.symbol', query.symbol);
    if (query.start !== undefined) assertBarTime('query.start', query.start);
    if (query.end !== undefined) assertBarTime('query.end', query.end);
    try {
      let select = this.kysely.selectFrom('signals').selectAll();
      if (query.symbol !== undefined) select = select.where('symbol', '=', query.symbol);
      if (query.start !== undefined) select = select.where('timestamp', '>=', query.start);
      if (query.end !== undefined) select = select.where('timestamp', '<=', query.end);
      const rows = await select.orderBy('timestamp').orderBy('symbol').execute();
      return rows.map((row) => ({
        timestamp: row.timestamp,
        symbol: row.symbol,
        composite: row.composite_signal,
        volatility: row.volatility_signal,
        momentum: row.momentum_signal,
        tailRisk: row.tail_risk_signal,
        beta: row.beta_signal,
        carry: row.carry_signal,
      }));
    } catch (error) {
      throw toStorageError('getSignals', error);
    }
  }

  // ---------------------------------------------------------------- alerts

  /**
   * Stores an alert and returns its id. The context is stored as JSON; values JSON cannot
   * hold (NaN, Infinity, bigint) are stored as strings rather than failing, since losing an
   * alert is worse than a stringified detail.
   */
  async insertAlert(alert: Alert, scope: SnapshotScope = {}): Promise<number> {
    assertOneOf('alert.level', alert.level, ALERT_LEVELS);
    if (scope.runId !== undefined) assertNonEmptyString('scope.runId', scope.runId);
    if (typeof alert.title !== 'string')
      throw new ValidationError('alert.title', 'expected a string');
    if (typeof alert.message !== 'string')
      throw new ValidationError('alert.message', 'expected a string');
    assertUtcInstant('alert.timestamp', alert.timestamp);
    assertTextSize('alert.title', alert.title);
    assertTextSize('alert.message', alert.message);
    let context: string | null = null;
    if (alert.context !== undefined) {
      try {
        context = JSON.stringify(alert.context, (_key, value: unknown) =>
          typeof value === 'bigint' || (typeof value === 'number' && !Number.isFinite(value))
            ? String(value)
            : value,
        );
        assertTextSize('alert.context', context);
      } catch (error) {
        if (error instanceof ValidationError) throw error;
        throw new ValidationError(
          'alert.context',
          `cannot be stored as JSON: ${(error as Error).message}`,
        );
      }
    }
    try {
      const row = await this.kysely
        .insertInto('alerts')
        .values({
          timestamp: alert.timestamp,
          level: alert.level,
          title: alert.title,
          message: alert.message,
          context,
          run_id: scope.runId ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    } catch (error) {
      throw toStorageError('insertAlert', error);
    }
  }

  /** `AlertSink`: stores the alert (see {@link TradingDatabase.insertAlert}). */
  async alert(alert: Alert): Promise<void> {
    await this.insertAlert(alert);
  }

  /** Alerts matching the filters, oldest first. */
  async listAlerts(query: AlertQuery = {}): Promise<StoredAlert[]> {
    if (query.since !== undefined) assertUtcInstant('query.since', query.since);
    query.levels?.forEach((level, i) => assertOneOf(`query.levels[${i}]`, level, ALERT_LEVELS));
    if (query.levels !== undefined && query.levels.length === 0) return [];
    try {
      let select = this.kysely.selectFrom('alerts').selectAll();
      if (query.since !== undefined) select = select.where('timestamp', '>=', query.since);
      if (query.levels !== undefined) select = select.where('level', 'in', [...query.levels]);
      if (query.runId !== undefined) select = select.where('run_id', '=', query.runId);
      const rows = await select.orderBy('timestamp').orderBy('id').execute();
      return rows.map((row) => ({
        id: Number(row.id),
        level: row.level as AlertLevel,
        title: row.title,
        message: row.message,
        timestamp: row.timestamp,
        ...(row.context === null ? {} : { context: JSON.parse(row.context) as JsonValue }),
        ...(row.run_id === null ? {} : { runId: row.run_id }),
      }));
    } catch (error) {
      throw toStorageError('listAlerts', error);
    }
  }

  // ---------------------------------------------------------------- runs

  /** Records a new run with status `running`. A known run id is a DuplicateKeyError. */
  async createRun(run: RunInput): Promise<RunRecord> {
    assertNonEmptyString('run.runId', run.runId);
    assertUtcInstant('run.startedAt', run.startedAt);
    if (run.mode !== undefined) assertNonEmptyString('run.mode', run.mode);
    if (run.config !== undefined) assertJsonValue('run.config', run.config);
    try {
      await this.kysely
        .insertInto('runs')
        .values({
          run_id: run.runId,
          started_at: run.startedAt,
          stopped_at: null,
          status: 'running',
          mode: run.mode ?? null,
          config: run.config === undefined ? null : JSON.stringify(run.config),
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DuplicateKeyError('runs', run.runId, { cause: error });
      throw toStorageError('createRun', error);
    }
    return this.getRun(run.runId);
  }

  /** Marks a run stopped or failed. Unknown run: NotFoundError. */
  async finishRun(
    runId: string,
    finish: { stoppedAt: string; status: 'stopped' | 'failed' },
  ): Promise<RunRecord> {
    assertNonEmptyString('runId', runId);
    assertUtcInstant('finish.stoppedAt', finish.stoppedAt);
    assertOneOf('finish.status', finish.status, ['stopped', 'failed'] as const);
    let updated: bigint;
    try {
      const result = await this.kysely
        .updateTable('runs')
        .set({ stopped_at: finish.stoppedAt, status: finish.status })
        .where('run_id', '=', runId)
        .executeTakeFirst();
      updated = result.numUpdatedRows;
    } catch (error) {
      throw toStorageError('finishRun', error);
    }
    if (updated === 0n)
      throw new NotFoundError(`run ${runId} is not in the database`, { context: { runId } });
    return this.getRun(runId);
  }

  /**
   * A process (re)starts the run: status `running` again (no stop time), this invocation's
   * mode and configuration, and a first heartbeat. Unknown run: NotFoundError.
   */
  async markRunStarted(runId: string, start: RunStart): Promise<RunRecord> {
    assertNonEmptyString('runId', runId);
    if (start.mode !== undefined) assertNonEmptyString('start.mode', start.mode);
    if (start.config !== undefined) assertJsonValue('start.config', start.config);
    assertUtcInstant('start.heartbeatAt', start.heartbeatAt);
    assertUtcInstant('start.heartbeatExpiresAt', start.heartbeatExpiresAt);
    await this.#updateRun('markRunStarted', runId, {
      status: 'running',
      stopped_at: null,
      heartbeat_at: start.heartbeatAt,
      heartbeat_expires_at: start.heartbeatExpiresAt,
      ...(start.mode === undefined ? {} : { mode: start.mode }),
      ...(start.config === undefined ? {} : { config: JSON.stringify(start.config) }),
    });
    return this.getRun(runId);
  }

  /** The run's process is alive at `at`; it counts as lost after `expiresAt` without another. */
  async recordHeartbeat(runId: string, beat: { at: string; expiresAt: string }): Promise<void> {
    assertNonEmptyString('runId', runId);
    assertUtcInstant('beat.at', beat.at);
    assertUtcInstant('beat.expiresAt', beat.expiresAt);
    await this.#updateRun('recordHeartbeat', runId, {
      heartbeat_at: beat.at,
      heartbeat_expires_at: beat.expiresAt,
    });
  }

  async #updateRun(
    operation: string,
    runId: string,
    set: Partial<Omit<StorageSchema['runs'], 'run_id' | 'started_at'>>,
  ): Promise<void> {
    let updated: bigint;
    try {
      const result = await this.kysely
        .updateTable('runs')
        .set(set)
        .where('run_id', '=', runId)
        .executeTakeFirst();
      updated = result.numUpdatedRows;
    } catch (error) {
      throw toStorageError(operation, error);
    }
    if (updated === 0n)
      throw new NotFoundError(`run ${runId} is not in the database`, { context: { runId } });
  }

  /** The run with this id; NotFoundError if there is none. */
  async getRun(runId: string): Promise<RunRecord> {
    assertNonEmptyString('runId', runId);
    let row: Selectable<StorageSchema['runs']> | undefined;
    try {
      row = await this.kysely
        .selectFrom('runs')
        .selectAll()
        .where('run_id', '=', runId)
        .executeTakeFirst();
    } catch (error) {
      throw toStorageError('getRun', error);
    }
    if (row === undefined)
      throw new NotFoundError(`run ${runId} is not in the database`, { context: { runId } });
    return rowToRun(row);
  }

  /** All runs, oldest first. */
  async listRuns(): Promise<RunRecord[]> {
    try {
      const rows = await this.kysely
        .selectFrom('runs')
        .selectAll()
        .orderBy('started_at')
        .orderBy('run_id')
        .execute();
      return rows.map(rowToRun);
    } catch (error) {
      throw toStorageError('listRuns', error);
    }
  }

  // ---------------------------------------------------------------- internals

  /**
   * importOrders on SQLite: prepared single-row inserts in one transaction (several times
   * faster than multi-row statements through kysely). A key clash rolls everything back; the
   * clashing key is then looked up for the error.
   */
  async #importOrdersSqlite(
    sqlite: SqliteHandle,
    orderRows: readonly OrdersTable[],
    fillRows: readonly FillsTable[],
    orderIds: ReadonlySet<string>,
    fillIds: ReadonlySet<string>,
  ): Promise<void> {
    try {
      await this.kysely.connection().execute(() => {
        // Holding kysely's connection: no kysely transaction can interleave with this one.
        this.#orderInsert ??= sqlite.prepare(
          `insert into orders (client_order_id, order_id, run_id, timestamp, symbol, side,
             quantity, order_type, time_in_force, limit_price, status, filled_qty,
             filled_avg_price, commission, updated_at, reason)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        this.#fillInsert ??= sqlite.prepare(
          `insert into fills (fill_id, order_id, client_order_id, symbol, side, quantity, price,
             commission, timestamp)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        const orderInsert = this.#orderInsert;
        const fillInsert = this.#fillInsert;
        sqlite.transaction(() => {
          for (const r of orderRows) {
            orderInsert.run(
              r.client_order_id,
              r.order_id,
              r.run_id,
              r.timestamp,
              r.symbol,
              r.side,
              r.quantity,
              r.order_type,
              r.time_in_force,
              r.limit_price,
              r.status,
              r.filled_qty,
              r.filled_avg_price,
              r.commission,
              r.updated_at,
              r.reason,
            );
          }
          for (const r of fillRows) {
            fillInsert.run(
              r.fill_id,
              r.order_id,
              r.client_order_id,
              r.symbol,
              r.side,
              r.quantity,
              r.price,
              r.commission,
              r.timestamp,
            );
          }
        })();
        return Promise.resolve();
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw toStorageError('importOrders', error);
      // The client and fill ids free: the clash is on a venue order id.
      throw (
        (await findStoredKey(this.kysely, orderIds, fillIds, error)) ??
        new DuplicateKeyError('orders', '', { cause: error })
      );
    }
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  /**
   * Runs `work` in one write transaction. On SQLite it begins `IMMEDIATE`: the write lock is
   * taken (waiting out the busy timeout) before the first read, so a transaction that reads
   * then writes never fails halfway on a lock another process took in between (a deferred
   * `BEGIN` cannot wait there and fails at once with "database is locked").
   */
  async #transaction<T>(
    operation: string,
    work: (trx: Kysely<StorageSchema>) => Promise<T>,
  ): Promise<T> {
    try {
      if (this.dialect !== 'sqlite') return await this.kysely.transaction().execute(work);
      return await this.kysely.connection().execute(async (db) => {
        await beginImmediate(db, operation);
        let result: T;
        try {
          result = await work(db);
        } catch (error) {
          await sql`rollback`.execute(db).catch(() => undefined);
          throw error;
        }
        await sql`commit`.execute(db);
        return result;
      });
    } catch (error) {
      throw toStorageError(operation, error);
    }
  }
}
