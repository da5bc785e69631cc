import { systemClock, type Clock, type Logger } from '@quantpipe/core';
import type Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { toStorageError } from './db-errors';
import { SchemaVersionError } from './errors';
import { migrateToLatest } from './migrate';
import type { StorageSchema } from './schema';
import { openSqlite, type SqliteSynchronous } from './sqlite-connection';
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
  /** PostgreSQL: maximum pool connections (default 10). */
  readonly maxConnections?: number;
  /** Time source for `updated_at` columns (default the system clock). */
  readonly clock?: Clock;
  /** PostgreSQL: where lost idle connections are reported (default: nowhere). */
  readonly logger?: Logger;
}

/**
 * Opens (creating if needed) the trading database at `url` and migrates it to the current
 * schema version:
 *
 * - `sqlite:path/to/file.db`, `sqlite:/abs/file.db`: a SQLite file (better-sqlite3, WAL,
 *   busy timeout, synchronous FULL by default);
 * - `sqlite::memory:`: a private in-memory SQLite database (tests);
 * - `postgres://user:password@host:port/db`: PostgreSQL through a `pg` pool.
 *
 * Throws ConfigError for a bad URL, SchemaVersionError for a database written by a newer
 * version of this package, StorageError when the database cannot be opened or migrated.
 */
export async function openDatabase(
  url: string,
  options: OpenDatabaseOptions = {},
): Promise<TradingDatabase> {
  const location = parseDatabaseUrl(url);
  const clock = options.clock ?? systemClock;
  let kysely: Kysely<StorageSchema>;
  let sqlite: Database.Database | undefined;
  if (location.dialect === 'sqlite') {
    sqlite = openSqlite(location.filename, {
      ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
      ...(options.synchronous === undefined ? {} : { synchronous: options.synchronous }),
    });
    kysely = new Kysely<StorageSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  } else {
    // Loaded on demand: SQLite users never load pg.
    const { createPgPool } = await import('./pg-pool');
    const pool = createPgPool(location.connectionString, {
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
    kysely = new Kysely<StorageSchema>({ dialect: new PostgresDialect({ pool }) });
  }
  let schemaVersion: number;
  try {
    schemaVersion = await migrateWithRetry(kysely, location.dialect, clock);
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
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateToLatest(kysely, dialect, clock);
    } catch (error) {
      if (error instanceof SchemaVersionError || attempt >= MIGRATION_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt + Math.random() * 25));
    }
  }
}
