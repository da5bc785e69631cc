import { loadOptionalDependency, systemClock, type Clock, type Logger } from '@quantpipe/core';
import type Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { toStorageError } from './db-errors';
import { SchemaVersionError } from './errors';
import { assertSchemaCurrent, migrateToLatest } from './migrate';
import { DatabaseNotFoundError, isWriteFailure } from './open-errors';
import type { StorageSchema } from './schema';
import type { SqliteSynchronous } from './sqlite-connection';
import { TradingDatabase } from './trading-database';
import { parseDatabaseUrl, type StorageDialect } from './url';

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** SQLite: how long a writer waits for another process's lock (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /**
   * SQLite: `FULL` (default) fsyncs every commit, so an appended journal entry survives
   * power loss as well as a crash; `NORMAL` survives a process crash only.
   */
  readonly synchronous?: SqliteSynchronous;
  /**
   * SQLite: a file that one writer fills and closes, whose all-or-nothing is kept by other means
   * (the backtester writes its run folder under a temporary name and renames it when complete):
   * the rollback journal in memory instead of the WAL and no fsync, so every page is written
   * once instead of twice. A transaction still rolls back on an error, but a crash mid-write can
   * leave the file unusable: never for a shared database or one kept across runs. Default false.
   */
  readonly bulkLoad?: boolean;
  /** PostgreSQL: maximum pool connections (default 10). */
  readonly maxConnections?: number;
  /** Time source for `updated_at` columns (default the system clock). */
  readonly clock?: Clock;
  /** PostgreSQL: where lost idle connections are reported (default: nowhere). */
  readonly logger?: Logger;
  /**
   * Create the database when it does not exist (default true). `false`: a missing SQLite
   * file, or a file or PostgreSQL database without the trading schema, is a
   * DatabaseNotFoundError and nothing (no file, no folder, no table) is created. A SQLite
   * URL's `?mode=rw` / `?mode=rwc` overrides this.
   */
  readonly create?: boolean;
  /**
   * Open read-only (default false): no migration and no write; the schema must be at this
   * code's version. SQLite `?mode=ro` sets it. On PostgreSQL every transaction is read-only.
   */
  readonly readOnly?: boolean;
  /**
   * When opening read-write fails because the database cannot be written (disk full, a
   * read-only file or folder, an I/O error on write), open it read-only instead, so the
   * journal can still be read (default false). The result's `readOnly` tells which it got.
   */
  readonly readOnlyFallback?: boolean;
}

/**
 * Opens (creating if needed, unless `create: false`) the trading database at `url` and
 * migrates it to the current schema version:
 *
 * - `sqlite:path/to/file.db`, `sqlite:/abs/file.db`: a SQLite file (better-sqlite3, WAL,
 *   busy timeout, synchronous FULL by default);
 * - `sqlite:file.db?mode=ro` (read-only), `?mode=rw` (must exist), `?mode=rwc` (created if
 *   missing); any other option is refused;
 * - `sqlite::memory:`: a private in-memory SQLite database (tests);
 * - `postgres://user:password@host:port/db`: PostgreSQL through a `pg` pool.
 *
 * Throws ConfigError for a bad URL, SchemaVersionError for a database written by a newer
 * version of this package, DatabaseNotFoundError for a missing database that was not to be
 * created, CorruptDatabaseError / DatabaseFullError for a damaged file or a full disk, and
 * StorageError when the database cannot be opened or migrated otherwise.
 */
export async function openDatabase(
  url: string,
  options: OpenDatabaseOptions = {},
): Promise<TradingDatabase> {
  const location = parseDatabaseUrl(url);
  const mode = location.dialect === 'sqlite' ? location.mode : undefined;
  const readOnly = mode === 'ro' || (mode === undefined && (options.readOnly ?? false));
  const create = mode === undefined ? (options.create ?? true) : mode === 'rwc';
  if (readOnly) return openOnce(location, options, { readOnly: true, create: false });
  try {
    return await openOnce(location, options, { readOnly: false, create });
  } catch (error) {
    if (!(options.readOnlyFallback ?? false) || !isWriteFailure(error)) throw error;
    let db: TradingDatabase;
    try {
      db = await openOnce(location, options, { readOnly: true, create: false });
    } catch (readError) {
      // A full disk can keep SQLite from setting up the WAL index even for reading.
      if (location.dialect !== 'sqlite' || !isWriteFailure(readError)) throw readError;
      db = await openOnce(location, options, { readOnly: true, create: false, copy: true });
    }
    db.readOnlyReason = error instanceof Error ? error.message : String(error);
    return db;
  }
}

async function openOnce(
  location: ReturnType<typeof parseDatabaseUrl>,
  options: OpenDatabaseOptions,
  how: { readonly readOnly: boolean; readonly create: boolean; readonly copy?: boolean },
): Promise<TradingDatabase> {
  const clock = options.clock ?? systemClock;
  let kysely: Kysely<StorageSchema>;
  let sqlite: Database.Database | undefined;
  if (location.dialect === 'sqlite') {
    // Loaded on demand, as pg below: better-sqlite3 and pg are optional peer dependencies, and a
    // missing one is a ConfigError that names it.
    const { openSqlite, openSqliteCopy } = await loadOptionalDependency(
      'url',
      'better-sqlite3',
      `the SQLite database ${location.filename}`,
      () => import('./sqlite-connection'),
    );
    sqlite =
      how.copy === true
        ? openSqliteCopy(location.filename)
        : openSqlite(location.filename, {
            ...(options.busyTimeoutMs === undefined
              ? {}
              : { busyTimeoutMs: options.busyTimeoutMs }),
            ...(options.synchronous === undefined ? {} : { synchronous: options.synchronous }),
            ...(options.bulkLoad === undefined ? {} : { bulkLoad: options.bulkLoad }),
            create: how.create,
            readOnly: how.readOnly,
          });
    kysely = new Kysely<StorageSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  } else {
    const { createPgPool } = await loadOptionalDependency(
      'url',
      'pg',
      'a PostgreSQL database',
      () => import('./pg-pool'),
    );
    const pool = createPgPool(location.connectionString, {
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      readOnly: how.readOnly,
    });
    kysely = new Kysely<StorageSchema>({ dialect: new PostgresDialect({ pool }) });
  }
  let schemaVersion: number;
  try {
    schemaVersion = how.readOnly
      ? await assertSchemaCurrent(kysely, location.dialect)
      : await migrateWithRetry(kysely, location.dialect, clock, how.create);
  } catch (error) {
    await kysely.destroy().catch(() => undefined);
    throw toStorageError('opening the database', error);
  }
  return new TradingDatabase({
    dialect: location.dialect,
    kysely,
    ...(sqlite === undefined ? {} : { sqlite }),
    clock,
    schemaVersion,
    readOnly: how.readOnly,
  });
}

const MIGRATION_ATTEMPTS = 5;

/**
 * Several processes may open a new SQLite file at once; only one can create the schema, the
 * others fail on a lock or on tables that appeared meanwhile. Running the (idempotent)
 * migration again then finds the work done. A newer-schema refusal is never retried.
 */
async function migrateWithRetry(
  kysely: Kysely<StorageSchema>,
  dialect: StorageDialect,
  clock: Clock,
  create: boolean,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateToLatest(kysely, dialect, clock, { create });
    } catch (error) {
      if (
        error instanceof SchemaVersionError ||
        error instanceof DatabaseNotFoundError ||
        isWriteFailure(error) ||
        attempt >= MIGRATION_ATTEMPTS
      )
        throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt + Math.random() * 25));
    }
  }
}
