import type { Clock } from '@quantpipe/core';
import type { Kysely } from 'kysely';
import type { StorageSchema } from './schema';
import type { StorageDialect } from './url';

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

/** The SQLite fast paths' statements, each compiled on first use and kept for the connection. */
export interface PreparedStatements {
  barUpsert?: SqliteStatement;
  orderInsert?: SqliteStatement;
  fillInsert?: SqliteStatement;
  signalUpsert?: SqliteStatement;
}

/** What the query modules share: one open database connection and its clock. */
export interface StorageContext {
  /** Which engine `kysely` talks to. */
  readonly dialect: StorageDialect;
  /** A kysely instance on a migrated database. */
  readonly kysely: Kysely<StorageSchema>;
  /** The better-sqlite3 handle under `kysely`, for the SQLite fast paths. */
  readonly sqlite: SqliteHandle | undefined;
  /** Time source for `updated_at` columns. */
  readonly clock: Clock;
  readonly statements: PreparedStatements;
  /**
   * Set on the context of {@link TradingDatabase.transaction}'s handle: `kysely` is then the
   * open transaction, so writes join it instead of beginning their own.
   */
  readonly inTransaction?: boolean;
}
