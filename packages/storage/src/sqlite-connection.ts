import { StorageError } from '@quantpipe/core';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `FULL`: every commit (every journal append) fsyncs the WAL before it returns, so a
 * committed entry survives a process kill and an OS crash or power loss. `NORMAL`: commits
 * survive a process kill, but the last transactions may roll back after a power loss; faster
 * for bulk work that can be redone.
 */
export type SqliteSynchronous = 'FULL' | 'NORMAL';

/** Options for {@link openSqlite}. */
export interface SqliteOptions {
  /** How long a writer waits for another process's lock before failing (default 5000). */
  readonly busyTimeoutMs?: number;
  /** Durability of each commit (default `FULL`). */
  readonly synchronous?: SqliteSynchronous;
}

/**
 * Opens (creating the file and its folder if needed) a better-sqlite3 database with the settings the trading database relies on:
 * WAL journal (readers never block the writer, a commit is one append to the WAL),
 * busy timeout, the chosen `synchronous` level and foreign keys on.
 */
export function openSqlite(filename: string, options: SqliteOptions = {}): Database.Database {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const synchronous = options.synchronous ?? 'FULL';
  let db: Database.Database;
  try {
    // Zero-config: `sqlite:data/trading.db` works in a fresh checkout.
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    db = new Database(filename, { timeout: busyTimeoutMs });
  } catch (error) {
    throw new StorageError(`cannot open SQLite database: ${(error as Error).message}`, {
      cause: error,
      context: { filename },
    });
  }
  try {
    if (filename !== ':memory:') {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') {
        throw new StorageError(`SQLite refused WAL mode (journal_mode is ${String(mode)})`, {
          context: { filename },
        });
      }
    }
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    if (error instanceof StorageError) throw error;
    throw new StorageError(`cannot configure SQLite database: ${(error as Error).message}`, {
      cause: error,
      context: { filename },
    });
  }
  return db;
}
